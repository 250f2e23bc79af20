/* kwb-atomic-file.h — replace a file whole, through its symlinks, keeping its mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  kwb_atomic_file_replace  (const char  *path,
                                    const char  *data,
                                    gsize        len,
                                    GError     **error);

G_END_DECLS
