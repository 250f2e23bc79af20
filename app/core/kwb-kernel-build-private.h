/* kwb-kernel-build-private.h — helpers shared by the kernel build's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* kwb-kernel-build-checks.c */
char        *kwb_kernel_build_find_in_path     (const char         *program,
                                                const char         *path_env);
gboolean     kwb_kernel_build_have_header      (const char         *gcc,
                                                const char * const *envp,
                                                const char         *header);

/* kwb-kernel-build-counts.c */
guint        kwb_kernel_build_expected_objects (const char         *profile,
                                                const char         *config_hash);
void         kwb_kernel_build_record_objects   (const char         *profile,
                                                const char         *config_hash,
                                                guint               objects);

G_END_DECLS
