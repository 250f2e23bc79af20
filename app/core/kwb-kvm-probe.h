/* kwb-kvm-probe.h — whether QEMU's guests make progress under KVM on this host
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* KERNEL: the bzImage the session will boot; the probe boots it. */
void         kwb_kvm_probe_async           (const char          *qemu_path,
                                            const char          *kernel,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     kwb_kvm_probe_finish          (GAsyncResult        *result,
                                            char               **why);

G_END_DECLS
