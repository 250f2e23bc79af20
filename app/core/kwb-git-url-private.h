/* kwb-git-url-private.h — taking a clone address's credentials apart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void  kwb_git_url_credentials  (const char  *url,
                                char       **user,
                                char       **password,
                                char       **host);

G_END_DECLS
