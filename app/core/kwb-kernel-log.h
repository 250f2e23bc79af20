/* kwb-kernel-log.h — the guest kernel's printk log, read from guest memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of KwbLogRecord, oldest first, refreshed at a stop by reading
 * the kernel's lockless printk ring buffer (5.10+) straight out of guest
 * memory through the session, so it works when the console is dead (before
 * the console driver, after a hang). A record is "new" when it arrived since
 * the previous stop (the session's ::stopped), however often the log is
 * refreshed at one stop; before any stop, everything is. The GUI's log
 * view and `kwb debug --show log` both use it; it is a KwbKernelView.
 */
#pragma once

#include <gio/gio.h>

#include "kwb-kernel-view.h"
#include "kwb-log-record.h"
#include "kwb-session.h"

G_BEGIN_DECLS

#define KWB_KERNEL_LOG_ERROR (kwb_kernel_log_error_quark ())

typedef enum {
  KWB_KERNEL_LOG_ERROR_LAYOUT,   /* the kernel's printk structures are not the expected ones */
  KWB_KERNEL_LOG_ERROR_CORRUPT,  /* the ring buffer's header makes no sense */
} KwbKernelLogError;

#define KWB_TYPE_KERNEL_LOG (kwb_kernel_log_get_type ())
G_DECLARE_FINAL_TYPE (KwbKernelLog, kwb_kernel_log, KWB, KERNEL_LOG, GObject)

GQuark        kwb_kernel_log_error_quark   (void);

KwbKernelLog *kwb_kernel_log_new           (KwbSession          *session);
KwbSession   *kwb_kernel_log_get_session   (KwbKernelLog        *self);
/* How many records the last refresh flagged new. */
guint         kwb_kernel_log_get_n_new     (KwbKernelLog        *self);

/* Reads the whole ring (a few large memory reads) and replaces the items. */
void          kwb_kernel_log_refresh_async (KwbKernelLog        *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      kwb_kernel_log_refresh_finish (KwbKernelLog       *self,
                                             GAsyncResult       *result,
                                             GError            **error);

G_END_DECLS
