/* kwb-kernel-view.c — a view of the halted guest kernel, refreshed at each stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See kwb-kernel-view.h.
 */
#include "config.h"

#include "kwb-kernel-view.h"

G_DEFINE_INTERFACE (KwbKernelView, kwb_kernel_view, G_TYPE_OBJECT)

static void
kwb_kernel_view_default_init (KwbKernelViewInterface *iface)
{
}

void
kwb_kernel_view_refresh_async (KwbKernelView       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (KWB_IS_KERNEL_VIEW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  KWB_KERNEL_VIEW_GET_IFACE (self)->refresh_async (self, cancellable, callback, user_data);
}

gboolean
kwb_kernel_view_refresh_finish (KwbKernelView  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (KWB_IS_KERNEL_VIEW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return KWB_KERNEL_VIEW_GET_IFACE (self)->refresh_finish (self, result, error);
}
