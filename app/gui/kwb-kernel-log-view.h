/* kwb-kernel-log-view.h — the guest kernel's printk log as a searchable table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KWB_TYPE_KERNEL_LOG_VIEW (kwb_kernel_log_view_get_type ())
G_DECLARE_FINAL_TYPE (KwbKernelLogView, kwb_kernel_log_view, KWB, KERNEL_LOG_VIEW, GtkWidget)

GtkWidget  *kwb_kernel_log_view_new          (void);
/* RECORDS: KwbLogRecord items, oldest first (a KwbKernelLog, refreshed by
 * whoever owns the session at each stop), or NULL. */
void        kwb_kernel_log_view_set_model    (KwbKernelLogView *self,
                                              GListModel       *records);
GListModel *kwb_kernel_log_view_get_model    (KwbKernelLogView *self);
/* Shows only the records whose text contains TEXT (case-insensitive). */
void        kwb_kernel_log_view_set_search   (KwbKernelLogView *self,
                                              const char       *text);
guint       kwb_kernel_log_view_get_n_shown  (KwbKernelLogView *self);

G_END_DECLS
