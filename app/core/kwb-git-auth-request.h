/* kwb-git-auth-request.h — a git server's question for a user name and password, and its answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KWB_TYPE_GIT_AUTH_REQUEST (kwb_git_auth_request_get_type ())
G_DECLARE_FINAL_TYPE (KwbGitAuthRequest, kwb_git_auth_request, KWB, GIT_AUTH_REQUEST, GObject)

const char *kwb_git_auth_request_get_url      (KwbGitAuthRequest *self);
const char *kwb_git_auth_request_get_host     (KwbGitAuthRequest *self);
const char *kwb_git_auth_request_get_username (KwbGitAuthRequest *self);
void        kwb_git_auth_request_reply        (KwbGitAuthRequest *self,
                                               const char        *username,
                                               const char        *password);
void        kwb_git_auth_request_cancel       (KwbGitAuthRequest *self);

G_END_DECLS
