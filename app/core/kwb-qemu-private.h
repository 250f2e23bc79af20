/* kwb-qemu-private.h — helpers shared by KwbQemu's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* kwb-qemu-sockets.c */
char        *kwb_qemu_make_socket_dir      (GError **error);
void         kwb_qemu_remove_socket_dir    (const char *dir);
guint        kwb_qemu_find_free_tcp_port   (void);

G_END_DECLS
