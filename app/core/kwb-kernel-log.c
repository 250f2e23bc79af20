/* kwb-kernel-log.c — the guest kernel's printk log, read from guest memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why not lx-dmesg: it asks GDB for every descriptor, info and text block
 * one by one (thousands of round trips for a full log) and prints text.
 * Here the structure layout is asked once per session (one printf of every
 * sizeof/offsetof, one ptype/o for the level bit-field), and each refresh is
 * a few memory reads: the `prb` pointer, the ring buffer's header, then the
 * descriptors and infos in use and the text ring, parsed in C by kwb-prb.c
 * (which trusts none of it).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-kernel-log-private.h"

G_STATIC_ASSERT (KWB_PRB_ARRAY_MAX <= KWB_SESSION_READ_MEMORY_MAX);

struct _KwbKernelLog
{
  GObject       parent_instance;
  KwbSession   *session;
  GPtrArray    *records;
  guint         n_new;
  /* "New" means since the previous stop, however often the log is
   * refreshed at one stop: records from FIRST_NEW_SEQ on are new, and it
   * moves to NEXT_SEQ (past the last record seen) when a stop comes. */
  guint64       first_new_seq;
  guint64       next_seq;
  guint         n_stops;
  guint         n_stops_applied;
  guint         serial;

  gboolean      have_layout;
  KwbPrbLayout  layout;
  guint64       prb_pointer;

  /* The last refresh's reads, for kwb_kernel_log_save_snapshot(). */
  GBytes       *last_header;
  GBytes       *last_descs;
  GBytes       *last_infos;
  GBytes       *last_text;
};

static void kwb_kernel_log_list_model_init (GListModelInterface *iface);
static void kwb_kernel_log_kernel_view_init (KwbKernelViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KwbKernelLog, kwb_kernel_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, kwb_kernel_log_list_model_init)
                               G_IMPLEMENT_INTERFACE (KWB_TYPE_KERNEL_VIEW, kwb_kernel_log_kernel_view_init))

gboolean
kwb_kernel_log_save_snapshot (KwbKernelLog  *self,
                              const char    *dir,
                              GError       **error)
{
  g_return_val_if_fail (KWB_IS_KERNEL_LOG (self), FALSE);

  if (self->last_text == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "The log was never refreshed");
      return FALSE;
    }
  return kwb_prb_snapshot_save (dir, &self->layout, self->last_header, self->last_descs,
                                self->last_infos, self->last_text, error);
}

/* ---- the model ---- */

static GType
kwb_kernel_log_get_item_type (GListModel *model)
{
  return KWB_TYPE_LOG_RECORD;
}

static guint
kwb_kernel_log_get_n_items (GListModel *model)
{
  return KWB_KERNEL_LOG (model)->records->len;
}

static gpointer
kwb_kernel_log_get_item (GListModel *model,
                         guint       position)
{
  KwbKernelLog *self = KWB_KERNEL_LOG (model);

  if (position >= self->records->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->records, position));
}

static void
kwb_kernel_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kwb_kernel_log_get_item_type;
  iface->get_n_items = kwb_kernel_log_get_n_items;
  iface->get_item = kwb_kernel_log_get_item;
}

static void
kwb_kernel_log_finalize (GObject *object)
{
  KwbKernelLog *self = KWB_KERNEL_LOG (object);

  g_clear_object (&self->session);
  g_ptr_array_unref (self->records);
  g_clear_pointer (&self->last_header, g_bytes_unref);
  g_clear_pointer (&self->last_descs, g_bytes_unref);
  g_clear_pointer (&self->last_infos, g_bytes_unref);
  g_clear_pointer (&self->last_text, g_bytes_unref);
  G_OBJECT_CLASS (kwb_kernel_log_parent_class)->finalize (object);
}

static void
kwb_kernel_log_class_init (KwbKernelLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_kernel_log_finalize;
}

static void
kwb_kernel_log_init (KwbKernelLog *self)
{
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
on_stopped (KwbKernelLog *self)
{
  self->n_stops++;
}

KwbKernelLog *
kwb_kernel_log_new (KwbSession *session)
{
  KwbKernelLog *self;

  g_return_val_if_fail (KWB_IS_SESSION (session), NULL);

  self = g_object_new (KWB_TYPE_KERNEL_LOG, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "stopped", G_CALLBACK (on_stopped), self, G_CONNECT_SWAPPED);
  return self;
}

KwbSession *
kwb_kernel_log_get_session (KwbKernelLog *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_LOG (self), NULL);
  return self->session;
}

guint
kwb_kernel_log_get_n_new (KwbKernelLog *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_LOG (self), 0);
  return self->n_new;
}

/* ---- refresh ---- */

typedef struct {
  guint      serial;
  char      *printf_output;
  KwbPrbRing ring;
  GBytes    *header;
  /* descs, infos, text: whole arrays, filled where the reads land (the
   * rest stays zero, which no descriptor state accepts). */
  guint8    *buffers[3];
  gsize      sizes[3];
  guint      pending;
  GError    *error;
} Refresh;

static void
refresh_free (gpointer data)
{
  Refresh *r = data;

  g_free (r->printf_output);
  g_clear_pointer (&r->header, g_bytes_unref);
  for (guint i = 0; i < G_N_ELEMENTS (r->buffers); i++)
    g_free (r->buffers[i]);
  g_clear_error (&r->error);
  g_free (r);
}

static void
apply (GTask *task)
{
  KwbKernelLog *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  g_autoptr(GPtrArray) records = NULL;
  guint old_len = self->records->len;

  if (r->serial != self->serial)
    {
      /* A newer refresh was started: this one's reads are older. */
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_autoptr(GBytes) descs = g_bytes_new_take (g_steal_pointer (&r->buffers[0]), r->sizes[0]);
  g_autoptr(GBytes) infos = g_bytes_new_take (g_steal_pointer (&r->buffers[1]), r->sizes[1]);
  g_autoptr(GBytes) text = g_bytes_new_take (g_steal_pointer (&r->buffers[2]), r->sizes[2]);

  if (self->n_stops != self->n_stops_applied)
    {
      self->first_new_seq = self->next_seq;
      self->n_stops_applied = self->n_stops;
    }
  records = kwb_prb_parse (&self->layout, &r->ring, descs, infos, text, self->first_new_seq);
  self->n_new = 0;
  for (guint i = 0; i < records->len; i++)
    {
      KwbLogRecord *record = g_ptr_array_index (records, i);

      if (kwb_log_record_get_is_new (record))
        self->n_new++;
      self->next_seq = MAX (self->next_seq, kwb_log_record_get_seq (record) + 1);
    }

  g_clear_pointer (&self->last_header, g_bytes_unref);
  g_clear_pointer (&self->last_descs, g_bytes_unref);
  g_clear_pointer (&self->last_infos, g_bytes_unref);
  g_clear_pointer (&self->last_text, g_bytes_unref);
  self->last_header = g_steal_pointer (&r->header);
  self->last_descs = g_steal_pointer (&descs);
  self->last_infos = g_steal_pointer (&infos);
  self->last_text = g_steal_pointer (&text);

  g_ptr_array_unref (self->records);
  self->records = g_steal_pointer (&records);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->records->len);
  g_task_return_boolean (task, TRUE);
}

typedef struct {
  GTask *task;
  guint  buffer;
  gsize  offset;
} PartRead;

static void
part_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  PartRead *part = user_data;
  g_autoptr(GTask) task = part->task;
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);

  if (bytes != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      /* The session returns exactly what was asked, which fits. */
      g_assert (part->offset + len <= r->sizes[part->buffer]);
      memcpy (r->buffers[part->buffer] + part->offset, data, len);
    }
  g_free (part);
  if (error != NULL && r->error == NULL)
    r->error = error;
  else if (error != NULL)
    g_error_free (error);

  if (--r->pending > 0)
    return;
  if (r->error != NULL)
    g_task_return_error (task, g_steal_pointer (&r->error));
  else
    apply (task);
}

static void
read_part (GTask   *task,
           guint    buffer,
           guint64  address,
           gsize    offset,
           gsize    length)
{
  KwbKernelLog *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  PartRead *part = g_new0 (PartRead, 1);

  part->task = g_object_ref (task);
  part->buffer = buffer;
  part->offset = offset;
  r->pending++;
  kwb_session_read_memory_async (self->session, address + offset, length, g_task_get_cancellable (task),
                                 part_cb, part);
}

/* Elements FIRST … FIRST + N - 1 of a ring array of COUNT, in one read or
 * two where the span wraps past the end. */
static void
read_span (GTask   *task,
           guint    buffer,
           guint64  address,
           gsize    element,
           guint64  count,
           guint64  first,
           guint64  n)
{
  guint64 until_end = MIN (n, count - first);

  read_part (task, buffer, address, first * element, until_end * element);
  if (n > until_end)
    read_part (task, buffer, address, 0, (n - until_end) * element);
}

static void
header_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbKernelLog *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  guint64 count, tail, n;

  r->header = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);
  if (r->header == NULL || !kwb_prb_ring_read (&self->layout, r->header, &r->ring, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  count = G_GUINT64_CONSTANT (1) << r->ring.count_bits;
  r->sizes[0] = self->layout.desc_size * count;
  r->sizes[1] = self->layout.info_size * count;
  r->sizes[2] = G_GUINT64_CONSTANT (1) << r->ring.size_bits;
  for (guint i = 0; i < 3; i++)
    r->buffers[i] = g_malloc0 (r->sizes[i]);

  /* Only the descriptors and infos in use: a young log fills a fraction
   * of the ring. All reads are queued at once and go back to back. */
  kwb_prb_span (&self->layout, &r->ring, &tail, &n);
  read_span (task, 0, r->ring.descs, self->layout.desc_size, count, tail & (count - 1), n);
  read_span (task, 1, r->ring.infos, self->layout.info_size, count, tail & (count - 1), n);
  read_part (task, 2, r->ring.data, 0, r->sizes[2]);
}

static void
pointer_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbKernelLog *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);
  GCancellable *cancellable;
  guint64 address;

  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  address = kwb_prb_read_pointer (&self->layout, bytes);
  if (address == 0)
    {
      g_task_return_new_error (task, KWB_KERNEL_LOG_ERROR, KWB_KERNEL_LOG_ERROR_CORRUPT,
                               _("The kernel's printk ring buffer pointer is NULL"));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  kwb_session_read_memory_async (self->session, address, self->layout.rb_size, cancellable,
                                 header_cb, g_steal_pointer (&task));
}

static void
read_pointer (GTask *task)
{
  KwbKernelLog *self = g_task_get_source_object (task);

  kwb_session_read_memory_async (self->session, self->prb_pointer, self->layout.long_size,
                                 g_task_get_cancellable (task), pointer_cb, task);
}

static void
ptype_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbKernelLog *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *ptype = kwb_session_console_finish (KWB_SESSION (object), result, &error);

  if (ptype == NULL ||
      !kwb_prb_layout_parse (&self->layout, &self->prb_pointer, r->printf_output, ptype, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->have_layout = TRUE;
  read_pointer (g_steal_pointer (&task));
}

static void
layout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbKernelLog *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;

  r->printf_output = kwb_session_console_finish (KWB_SESSION (object), result, &error);
  if (r->printf_output == NULL)
    {
      g_prefix_error (&error, _("Could not read the layout of the kernel's printk ring buffer: "));
      g_task_return_error (task, error);
      return;
    }
  kwb_session_console_async (self->session, kwb_prb_level_command (), NULL,
                             ptype_cb, g_steal_pointer (&task));
}

void
kwb_kernel_log_refresh_async (KwbKernelLog        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Refresh *r;

  g_return_if_fail (KWB_IS_KERNEL_LOG (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_kernel_log_refresh_async);
  r = g_new0 (Refresh, 1);
  r->serial = ++self->serial;
  g_task_set_task_data (task, r, refresh_free);

  if (self->have_layout)
    read_pointer (task);
  else
    kwb_session_console_async (self->session, kwb_prb_layout_command (), cancellable, layout_cb, task);
}

gboolean
kwb_kernel_log_refresh_finish (KwbKernelLog  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_kernel_log_refresh_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
kwb_kernel_log_view_refresh_async (KwbKernelView       *view,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  kwb_kernel_log_refresh_async (KWB_KERNEL_LOG (view), cancellable, callback, user_data);
}

static gboolean
kwb_kernel_log_view_refresh_finish (KwbKernelView  *view,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return kwb_kernel_log_refresh_finish (KWB_KERNEL_LOG (view), result, error);
}

static void
kwb_kernel_log_kernel_view_init (KwbKernelViewInterface *iface)
{
  iface->refresh_async = kwb_kernel_log_view_refresh_async;
  iface->refresh_finish = kwb_kernel_log_view_refresh_finish;
}
