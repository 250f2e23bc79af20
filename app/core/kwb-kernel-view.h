/* kwb-kernel-view.h — a view of the halted guest kernel, refreshed at each stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every kernel-aware model (the printk log, tasks, per-CPU data, the watch
 * tree, memory) implements this one interface, so whoever owns a session
 * refreshes all of them the same way at each stop: the main window for its
 * panels, `kwb debug --show` for its printed views. A view is refreshed only
 * while the guest is stopped: what it shows describes that stop. What a view
 * holds after a refresh is its own API (a GListModel, mostly).
 *
 * A refresh's GTask carries the caller's cancellable and keeps GTask's
 * check-cancellable: a cancelled refresh always finishes with
 * G_IO_ERROR_CANCELLED, which tells its caller the view may be gone.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KWB_TYPE_KERNEL_VIEW (kwb_kernel_view_get_type ())
G_DECLARE_INTERFACE (KwbKernelView, kwb_kernel_view, KWB, KERNEL_VIEW, GObject)

struct _KwbKernelViewInterface
{
  GTypeInterface parent_iface;

  void     (*refresh_async)  (KwbKernelView        *self,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean (*refresh_finish) (KwbKernelView        *self,
                              GAsyncResult         *result,
                              GError              **error);
};

/* Reads what the view shows from the stopped guest and updates it. */
void      kwb_kernel_view_refresh_async  (KwbKernelView        *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  kwb_kernel_view_refresh_finish (KwbKernelView        *self,
                                          GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
