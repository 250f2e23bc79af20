/* kwb-git-auth-request-private.h — the clone thread's side of a KwbGitAuthRequest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-git-auth-request.h"

G_BEGIN_DECLS

KwbGitAuthRequest *kwb_git_auth_request_new  (const char         *url,
                                              const char         *host,
                                              const char         *username);
gboolean           kwb_git_auth_request_wait (KwbGitAuthRequest  *self,
                                              GCancellable       *cancellable,
                                              char              **username,
                                              char              **password);

G_END_DECLS
