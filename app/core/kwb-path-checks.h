/* kwb-path-checks.h — refuse a pipe, socket or device where a file is read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sys/types.h>

#include <gio/gio.h>

G_BEGIN_DECLS

const char *kwb_path_describe_kind       (mode_t       mode);
gboolean    kwb_path_check_regular_file  (const char  *path,
                                          const char  *setting,
                                          GError     **error);
int         kwb_path_open_regular_file   (const char  *path,
                                          const char  *setting,
                                          GError     **error);

G_END_DECLS
