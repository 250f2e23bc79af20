/* kwb-task-list.c — every task of the stopped guest kernel, read from guest memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why not lx-ps: it asks GDB member by member, in Python, for every task.
 * Here the layout is asked once per session (a handful of printf lines of
 * sizeof/offsetof, see kwb-task-walker.c), and each refresh reads one
 * task_struct prefix per task, back to back, plus a few words per CPU
 * (its current task and its idle task) queued at the same time; the bytes
 * are parsed in C. Per-CPU variables are plain globals on a uniprocessor
 * kernel and offsets into each CPU's area (__per_cpu_offset[cpu]) on SMP.
 *
 * A sleeping task's stack: its saved context (inactive_task_frame at
 * thread.sp) gives the address it resumes at and the frame pointer of
 * __schedule; from there the frame-pointer chain (the fixture kernels'
 * CONFIG_UNWINDER_FRAME_POINTER) is walked over one read of its kernel
 * stack, and GDB names each return address (`info line *ADDR`). GDB's own
 * frames are never touched: the guest's registers and GDB's selected frame
 * stay as they are.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kwb-task-list-private.h"

struct _KwbTaskList
{
  GObject             parent_instance;
  KwbSession         *session;
  GPtrArray          *tasks;
  GPtrArray          *current;     /* per online CPU: the KwbTask, or NULL */
  GArray             *cpus;        /* the online CPU numbers, as `current` */
  gint                stopped_cpu;
  guint               serial;

  gboolean            have_layout;
  KwbTaskLayout       layout;
  gboolean            have_frame_layout;
  KwbTaskFrameLayout  frame_layout;
};

static void kwb_task_list_list_model_init (GListModelInterface *iface);
static void unref_if_set (gpointer object);
static void kwb_task_list_kernel_view_init (KwbKernelViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KwbTaskList, kwb_task_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, kwb_task_list_list_model_init)
                               G_IMPLEMENT_INTERFACE (KWB_TYPE_KERNEL_VIEW, kwb_task_list_kernel_view_init))

/* ---- the model ---- */

static GType
kwb_task_list_get_item_type (GListModel *model)
{
  return KWB_TYPE_TASK;
}

static guint
kwb_task_list_get_n_items (GListModel *model)
{
  return KWB_TASK_LIST (model)->tasks->len;
}

static gpointer
kwb_task_list_get_item (GListModel *model,
                        guint       position)
{
  KwbTaskList *self = KWB_TASK_LIST (model);

  if (position >= self->tasks->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->tasks, position));
}

static void
kwb_task_list_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kwb_task_list_get_item_type;
  iface->get_n_items = kwb_task_list_get_n_items;
  iface->get_item = kwb_task_list_get_item;
}

/* `current` holds NULL for a CPU whose current task is not among the items. */
static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
kwb_task_list_finalize (GObject *object)
{
  KwbTaskList *self = KWB_TASK_LIST (object);

  g_clear_object (&self->session);
  g_ptr_array_unref (self->tasks);
  g_ptr_array_unref (self->current);
  g_array_unref (self->cpus);
  G_OBJECT_CLASS (kwb_task_list_parent_class)->finalize (object);
}

static void
kwb_task_list_class_init (KwbTaskListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_task_list_finalize;
}

static void
kwb_task_list_init (KwbTaskList *self)
{
  self->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->current = g_ptr_array_new_with_free_func (unref_if_set);
  self->cpus = g_array_new (FALSE, FALSE, sizeof (guint));
  self->stopped_cpu = -1;
}

KwbTaskList *
kwb_task_list_new (KwbSession *session)
{
  KwbTaskList *self;

  g_return_val_if_fail (KWB_IS_SESSION (session), NULL);

  self = g_object_new (KWB_TYPE_TASK_LIST, NULL);
  self->session = g_object_ref (session);
  return self;
}

KwbSession *
kwb_task_list_get_session (KwbTaskList *self)
{
  g_return_val_if_fail (KWB_IS_TASK_LIST (self), NULL);
  return self->session;
}

guint
kwb_task_list_get_n_cpus (KwbTaskList *self)
{
  g_return_val_if_fail (KWB_IS_TASK_LIST (self), 0);
  return self->cpus->len;
}

KwbTask *
kwb_task_list_get_current (KwbTaskList *self,
                           guint        cpu)
{
  g_return_val_if_fail (KWB_IS_TASK_LIST (self), NULL);

  for (guint i = 0; i < self->cpus->len; i++)
    if (g_array_index (self->cpus, guint, i) == cpu)
      return g_ptr_array_index (self->current, i);
  return NULL;
}

gint
kwb_task_list_get_stopped_cpu (KwbTaskList *self)
{
  g_return_val_if_fail (KWB_IS_TASK_LIST (self), -1);
  return self->stopped_cpu;
}

/* QEMU's stub shows each vCPU as a thread, numbered from 1 in CPU order,
 * and GDB numbers them in the order it finds them: thread N is CPU N - 1. */
static gint
stopped_cpu (KwbSession *session)
{
  const KwbGdbStop *stop = kwb_session_get_last_stop (session);
  guint64 thread;

  if (stop == NULL || stop->thread_id == NULL ||
      !g_ascii_string_to_unsigned (stop->thread_id, 10, 1, KWB_TASK_LIST_MAX_CPUS, &thread, NULL))
    return -1;
  return (gint) thread - 1;
}

/* ---- refresh ---- */

typedef struct {
  guint          serial;
  char         **answers;       /* the layout's, while it is asked */
  KwbTaskWalker *walker;
  gboolean       walk_done;
  GArray        *cpus;          /* online CPU numbers */
  GArray        *offsets;       /* guint64 per CPU of `cpus`: its per-CPU offset */
  GArray        *currents;      /* guint64 per CPU: its current task */
  GArray        *idles;         /* guint64 per CPU: its idle task, 0 when unknown */
  gboolean       cpus_done;
  GPtrArray     *extras;        /* KwbTaskRecord *: idle tasks off the task list */
  gboolean       extras_done;
  guint          pending;       /* reads and commands under way */
  GError        *error;
} Refresh;

static void
record_free (gpointer data)
{
  if (data == NULL)
    return;
  kwb_task_record_clear (data);
  g_free (data);
}

static void
refresh_free (gpointer data)
{
  Refresh *r = data;

  g_strfreev (r->answers);
  g_clear_pointer (&r->walker, kwb_task_walker_free);
  g_clear_pointer (&r->cpus, g_array_unref);
  g_clear_pointer (&r->offsets, g_array_unref);
  g_clear_pointer (&r->currents, g_array_unref);
  g_clear_pointer (&r->idles, g_array_unref);
  g_clear_pointer (&r->extras, g_ptr_array_unref);
  g_clear_error (&r->error);
  g_free (r);
}

static gboolean
in_array (GArray  *values,
          guint64  value)
{
  for (guint i = 0; values != NULL && i < values->len; i++)
    if (g_array_index (values, guint64, i) == value)
      return TRUE;
  return FALSE;
}

static KwbTask *
task_from_record (Refresh             *r,
                  const KwbTaskRecord *record,
                  guint                idle_cpu)
{
  KwbTaskInfo info = { 0, };

  info.address = record->address;
  info.pid = record->pid;
  info.tgid = record->tgid;
  info.comm = record->comm;
  info.state = record->state;
  /* A uniprocessor kernel keeps no CPU in its tasks: there is only 0. An
   * idle task off the list runs nowhere else than its own CPU. */
  info.cpu = record->has_cpu ? record->cpu : idle_cpu;
  info.is_current = in_array (r->currents, record->address);
  info.on_cpu = record->has_on_cpu ? record->on_cpu : info.is_current;
  info.kernel_thread = (record->flags & 0x00200000) != 0; /* PF_KTHREAD */
  info.stack = record->stack;
  return kwb_task_new (&info);
}

static void
apply (GTask *task)
{
  KwbTaskList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) current = g_ptr_array_new_with_free_func (unref_if_set);
  GArray *records = kwb_task_walker_get_records (r->walker);
  guint old_len = self->tasks->len;

  if (r->serial != self->serial)
    {
      /* A newer refresh was started: this one's reads are older. */
      g_task_return_boolean (task, TRUE);
      return;
    }
  for (guint i = 0; i < records->len; i++)
    {
      g_ptr_array_add (tasks, task_from_record (r, &g_array_index (records, KwbTaskRecord, i), 0));
      /* The other CPUs' idle tasks right after init_task, the first CPU's. */
      if (i == 0)
        for (guint j = 0; j < r->extras->len; j++)
          {
            KwbTaskRecord *extra = g_ptr_array_index (r->extras, j);

            if (extra != NULL)
              g_ptr_array_add (tasks, task_from_record (r, extra, g_array_index (r->cpus, guint, j)));
          }
    }
  for (guint j = 0; j < r->cpus->len; j++)
    {
      KwbTask *found = NULL;

      for (guint i = 0; i < tasks->len && found == NULL; i++)
        if (kwb_task_get_address (g_ptr_array_index (tasks, i)) == g_array_index (r->currents, guint64, j))
          found = g_ptr_array_index (tasks, i);
      g_ptr_array_add (current, found ? g_object_ref (found) : NULL);
    }

  g_ptr_array_unref (self->tasks);
  self->tasks = g_steal_pointer (&tasks);
  g_ptr_array_unref (self->current);
  self->current = g_steal_pointer (&current);
  g_array_unref (self->cpus);
  self->cpus = g_array_ref (r->cpus);
  self->stopped_cpu = stopped_cpu (self->session);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->tasks->len);
  g_task_return_boolean (task, TRUE);
}

static void read_extras (GTask *task);

/* Called whenever a read or command ended: the next stage starts once
 * nothing is under way and everything of this one is in. */
static void
settle (GTask *task)
{
  Refresh *r = g_task_get_task_data (task);

  if (r->pending > 0)
    return;
  if (r->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&r->error));
      g_object_unref (task);
      return;
    }
  if (!r->walk_done || !r->cpus_done)
    return;
  if (!r->extras_done)
    {
      read_extras (task);
      if (r->pending > 0)
        return;
    }
  apply (task);
  g_object_unref (task);
}

static void
fail (Refresh *r,
      GError  *error)
{
  if (r->error == NULL)
    r->error = error;
  else
    g_error_free (error);
}

/* One read of the refresh: its bytes go to DONE, with the task kept alive
 * by the refresh's own reference. */
typedef void (*ReadDone) (GTask *task, GBytes *bytes, gpointer data);

typedef struct {
  GTask    *task;
  ReadDone  done;
  gpointer  data;
} Read;

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Read *read = user_data;
  GTask *task = read->task;
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);

  r->pending--;
  if (bytes == NULL)
    fail (r, error);
  else if (r->error == NULL)
    read->done (task, bytes, read->data);
  g_free (read);
  settle (task);
}

static void
read_async (GTask    *task,
            guint64   address,
            gsize     length,
            ReadDone  done,
            gpointer  data)
{
  KwbTaskList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  Read *read = g_new0 (Read, 1);

  read->task = task;
  read->done = done;
  read->data = data;
  r->pending++;
  kwb_session_read_memory_async (self->session, address, length, g_task_get_cancellable (task), read_cb, read);
}

/* -- the idle tasks of the other CPUs, which no task list holds -- */

static void
extra_done (GTask   *task,
            GBytes  *bytes,
            gpointer data)
{
  KwbTaskList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  guint j = GPOINTER_TO_UINT (data);
  KwbTaskRecord *record = g_new0 (KwbTaskRecord, 1);
  GError *error = NULL;

  if (!kwb_task_record_parse (&self->layout, g_array_index (r->idles, guint64, j), bytes, record, &error))
    {
      g_free (record);
      fail (r, error);
      return;
    }
  g_ptr_array_index (r->extras, j) = record;
}

static void
read_extras (GTask *task)
{
  KwbTaskList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);

  r->extras_done = TRUE;
  g_ptr_array_set_size (r->extras, r->cpus->len);
  for (guint j = 0; j < r->cpus->len; j++)
    {
      guint64 idle = g_array_index (r->idles, guint64, j);
      gboolean twice = FALSE;

      for (guint k = 0; k < j; k++)
        twice |= g_array_index (r->idles, guint64, k) == idle;
      if (idle == 0 || twice || kwb_task_walker_contains (r->walker, idle))
        continue;
      if (!kwb_task_is_kernel_address (idle))
        {
          fail (r, g_error_new (KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_CORRUPT,
                                _("CPU %u's idle task pointer 0x%llx is not a kernel address"),
                                g_array_index (r->cpus, guint, j), (unsigned long long) idle));
          return;
        }
      read_async (task, idle, self->layout.read_size, extra_done, GUINT_TO_POINTER (j));
    }
}

/* -- the walk, one read after the other -- */

static void walk_step (GTask *task);

static void
walk_done (GTask   *task,
           GBytes  *bytes,
           gpointer data)
{
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;

  if (!kwb_task_walker_feed (r->walker, bytes, &error))
    fail (r, error);
  else
    walk_step (task);
}

static void
walk_step (GTask *task)
{
  Refresh *r = g_task_get_task_data (task);
  guint64 address;
  gsize length;

  if (kwb_task_walker_next_read (r->walker, &address, &length))
    read_async (task, address, length, walk_done, NULL);
  else
    r->walk_done = TRUE;
}

/* -- per CPU: its current and idle task -- */

static void
word_done (GTask   *task,
           GBytes  *bytes,
           gpointer data)
{
  guint64 *slot = data;

  if (g_bytes_get_size (bytes) >= 8)
    *slot = kwb_task_read_uint (g_bytes_get_data (bytes, NULL), 0, 8);
}

static void
read_cpu_words (GTask *task)
{
  KwbTaskList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  guint n = r->cpus->len;

  g_array_set_size (r->currents, n);
  g_array_set_size (r->idles, n);
  for (guint j = 0; j < n; j++)
    {
      guint64 offset = g_array_index (r->offsets, guint64, j);

      read_async (task, self->layout.current_task + offset, 8, word_done,
                  &g_array_index (r->currents, guint64, j));
      /* The boot CPU's idle task is init_task (sched_init() makes it so),
       * on the task list already: one read fewer, all a uniprocessor needs. */
      if (self->layout.runqueues != 0 && g_array_index (r->cpus, guint, j) != 0)
        read_async (task, self->layout.runqueues + offset + self->layout.rq_idle, 8, word_done,
                    &g_array_index (r->idles, guint64, j));
    }
  r->cpus_done = TRUE;
}

static void
offsets_done (GTask   *task,
              GBytes  *bytes,
              gpointer data)
{
  Refresh *r = g_task_get_task_data (task);
  const guint8 *words = g_bytes_get_data (bytes, NULL);

  for (guint j = 0; j < r->cpus->len; j++)
    {
      guint cpu = g_array_index (r->cpus, guint, j);
      guint64 offset = kwb_task_read_uint (words, cpu * 8, 8);

      g_array_append_val (r->offsets, offset);
    }
  read_cpu_words (task);
}

static void
mask_done (GTask   *task,
           GBytes  *bytes,
           gpointer data)
{
  KwbTaskList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  g_autoptr(GArray) cpus = kwb_task_parse_cpu_mask (bytes, self->layout.nr_cpus);
  guint last;

  /* Before boot_cpu_init() no CPU is online yet; the boot CPU runs. */
  if (cpus->len > 0)
    {
      g_array_set_size (r->cpus, 0);
      g_array_append_vals (r->cpus, cpus->data, cpus->len);
    }
  last = g_array_index (r->cpus, guint, r->cpus->len - 1);
  read_async (task, self->layout.per_cpu_offset, (last + 1) * 8, offsets_done, NULL);
}

static void
start_reads (GTask *task)
{
  KwbTaskList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  guint boot_cpu = 0;
  guint64 no_offset = 0;

  r->walker = kwb_task_walker_new (&self->layout);
  r->cpus = g_array_new (FALSE, FALSE, sizeof (guint));
  r->offsets = g_array_new (FALSE, FALSE, sizeof (guint64));
  r->currents = g_array_new (FALSE, TRUE, sizeof (guint64));
  r->idles = g_array_new (FALSE, TRUE, sizeof (guint64));
  r->extras = g_ptr_array_new_with_free_func (record_free);
  g_array_append_val (r->cpus, boot_cpu);

  /* All of it queued at once: the per-CPU words go between the walk's reads. */
  if (self->layout.per_cpu_offset == 0)
    {
      g_array_append_val (r->offsets, no_offset);
      read_cpu_words (task);
    }
  else if (self->layout.online_mask != 0)
    read_async (task, self->layout.online_mask, self->layout.online_mask_size, mask_done, NULL);
  else
    read_async (task, self->layout.per_cpu_offset, 8, offsets_done, NULL);
  walk_step (task);
}

/* -- the layout, once per session -- */

/* Where a GDB command's answer goes: the INDEXth of TASK's. */
typedef struct {
  GTask *task;
  guint  index;
} Answer;

static void
layout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Answer *answer = user_data;
  GTask *task = answer->task;
  KwbTaskList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  char *text = kwb_session_console_finish (KWB_SESSION (object), result, &error);

  /* Several alternatives are refused on any one kernel: only the first
   * command's refusal, or a cancel, is an error of the refresh. */
  if (text == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fail (r, error);
  else if (text == NULL && answer->index == 0)
    {
      g_prefix_error (&error, _("Could not read the layout of the kernel's task structures: "));
      fail (r, error);
    }
  else
    g_clear_error (&error);
  r->answers[answer->index] = text;
  g_free (answer);
  if (--r->pending > 0 || r->error != NULL)
    {
      settle (task);
      return;
    }
  if (!kwb_task_layout_parse (&self->layout, (const char * const *) r->answers, &error))
    {
      fail (r, error);
      settle (task);
      return;
    }
  self->have_layout = TRUE;
  start_reads (task);
  settle (task);
}

static void
ask_layout (GTask *task)
{
  KwbTaskList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  guint n = kwb_task_layout_n_commands ();

  r->answers = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      Answer *answer = g_new0 (Answer, 1);

      answer->task = task;
      answer->index = i;
      r->pending++;
      kwb_session_console_async (self->session, kwb_task_layout_command (i), g_task_get_cancellable (task),
                                 layout_cb, answer);
    }
}

void
kwb_task_list_refresh_async (KwbTaskList         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Refresh *r;

  g_return_if_fail (KWB_IS_TASK_LIST (self));

  /* The refresh holds this reference until its last read came back. */
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_task_list_refresh_async);
  r = g_new0 (Refresh, 1);
  r->serial = ++self->serial;
  g_task_set_task_data (task, r, refresh_free);

  /* The walker reads x86-64's saved task state (thread.sp, the inactive
   * task frame, current_task): say so rather than fail on a member name. */
  {
    const KwbArch *arch = kwb_session_config_get_arch (kwb_session_get_config (self->session));

    if (arch != kwb_arch_lookup ("x86_64"))
      {
        g_task_return_new_error (task, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_LAYOUT,
                                 _("The task list reads x86-64 kernels’ task state; it cannot read "
                                   "this %s kernel’s yet. The GDB console’s lx-ps lists its tasks."),
                                 arch->label);
        g_object_unref (task);
        return;
      }
  }

  if (self->have_layout)
    start_reads (task);
  else
    ask_layout (task);
  settle (task);
}

gboolean
kwb_task_list_refresh_finish (KwbTaskList   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_task_list_refresh_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
kwb_task_list_view_refresh_async (KwbKernelView       *view,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  kwb_task_list_refresh_async (KWB_TASK_LIST (view), cancellable, callback, user_data);
}

static gboolean
kwb_task_list_view_refresh_finish (KwbKernelView  *view,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return kwb_task_list_refresh_finish (KWB_TASK_LIST (view), result, error);
}

static void
kwb_task_list_kernel_view_init (KwbKernelViewInterface *iface)
{
  iface->refresh_async = kwb_task_list_view_refresh_async;
  iface->refresh_finish = kwb_task_list_view_refresh_finish;
}

/* ---- a task's stack ---- */

typedef struct {
  KwbTask  *task;
  guint64   sp;          /* its thread.sp, read when asked */
  GArray   *addresses;   /* return addresses, innermost first */
  char    **answers;     /* GDB's `info line` for each */
  guint     pending;
  GError   *error;
} Frames;

static void
frames_free (gpointer data)
{
  Frames *f = data;

  g_clear_object (&f->task);
  g_clear_pointer (&f->addresses, g_array_unref);
  g_strfreev (f->answers);
  g_clear_error (&f->error);
  g_free (f);
}

/* FILE as GDB names it, on this machine: relative names are relative to
 * the kernel's build directory (generated headers live only there). */
static char *
local_file (KwbTaskList *self,
            const char  *file)
{
  char *mapped = kwb_session_map_source_path (self->session, file);
  const char *build_dir;

  if (mapped == NULL && !g_path_is_absolute (file) &&
      (build_dir = kwb_session_config_get_build_dir (kwb_session_get_config (self->session))) != NULL)
    {
      mapped = g_build_filename (build_dir, file, NULL);
      if (!g_file_test (mapped, G_FILE_TEST_IS_REGULAR))
        g_clear_pointer (&mapped, g_free);
    }
  return mapped;
}

static void
frames_return (GTask *task)
{
  KwbTaskList *self = g_task_get_source_object (task);
  Frames *f = g_task_get_task_data (task);
  GListStore *store = g_list_store_new (KWB_TYPE_FRAME);

  for (guint i = 0; i < f->addresses->len; i++)
    {
      guint64 address = g_array_index (f->addresses, guint64, i);
      g_autofree char *function = NULL;
      g_autofree char *file = NULL;
      g_autofree char *fullname = NULL;
      g_autoptr(KwbFrame) frame = NULL;
      guint line;

      kwb_task_parse_info_line (f->answers[i], &function, &file, &line);
      if (file != NULL)
        fullname = local_file (self, file);
      frame = kwb_frame_new (i, function ? function : "??", file, fullname ? fullname : file, line, address);
      g_list_store_append (store, frame);
    }
  g_task_return_pointer (task, store, g_object_unref);
}

static void
info_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Answer *answer = user_data;
  g_autoptr(GTask) task = answer->task;
  Frames *f = g_task_get_task_data (task);
  GError *error = NULL;

  /* An address GDB knows nothing of stays "??"; only a cancel stops. */
  f->answers[answer->index] = kwb_session_console_finish (KWB_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && f->error == NULL)
    f->error = g_steal_pointer (&error);
  g_clear_error (&error);
  g_free (answer);
  if (--f->pending > 0)
    return;
  if (f->error != NULL)
    g_task_return_error (task, g_steal_pointer (&f->error));
  else
    frames_return (task);
}

static void
stack_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbTaskList *self = g_task_get_source_object (task);
  Frames *f = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) stack = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);
  guint64 sp = f->sp;

  if (stack == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  f->addresses = kwb_task_unwind (&self->frame_layout, sp, stack, sp, &error);
  if (f->addresses == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  f->answers = g_new0 (char *, f->addresses->len + 1);
  for (guint i = 0; i < f->addresses->len; i++)
    {
      Answer *answer = g_new0 (Answer, 1);
      guint64 address = g_array_index (f->addresses, guint64, i);
      g_autofree char *command = NULL;

      /* The innermost address is where the task resumes; the others are
       * return addresses, whose call is the instruction before. */
      command = g_strdup_printf ("info line *0x%" G_GINT64_MODIFIER "x", i == 0 ? address : address - 1);
      answer->task = g_object_ref (task);
      answer->index = i;
      f->pending++;
      kwb_session_console_async (self->session, command, g_task_get_cancellable (task), info_line_cb, answer);
    }
}

static void
read_stack (GTask *task)
{
  KwbTaskList *self = g_task_get_source_object (task);
  Frames *f = g_task_get_task_data (task);
  guint64 base = kwb_task_get_stack (f->task);
  guint64 sp = f->sp;
  guint64 top = base + self->layout.thread_size;

  /* Only from the saved context up: the rest of the stack is stale. */
  if (!kwb_task_is_kernel_address (base) || top < base || sp < base || sp % 8 != 0 ||
      sp >= top || top - sp < self->frame_layout.size)
    {
      g_autofree char *name = kwb_task_dup_display_name (f->task);

      g_task_return_new_error (task, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_STACK,
                               _("The saved stack pointer of %s (0x%llx) is not inside "
                                 "its kernel stack (0x%llx, %u bytes)"),
                               name, (unsigned long long) sp, (unsigned long long) base, self->layout.thread_size);
      g_object_unref (task);
      return;
    }
  kwb_session_read_memory_async (self->session, sp, top - sp, g_task_get_cancellable (task), stack_cb, task);
}

static void
sp_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Frames *f = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);

  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  f->sp = kwb_task_read_uint (g_bytes_get_data (bytes, NULL), 0, 8);
  read_stack (g_steal_pointer (&task));
}

/* thread.sp, saved when the task last left its CPU. */
static void
read_sp (GTask *task)
{
  KwbTaskList *self = g_task_get_source_object (task);
  Frames *f = g_task_get_task_data (task);

  kwb_session_read_memory_async (self->session, kwb_task_get_address (f->task) + self->layout.thread_sp, 8,
                                 g_task_get_cancellable (task), sp_cb, task);
}

static void
frame_layout_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbTaskList *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autofree char *answer = kwb_session_console_finish (KWB_SESSION (object), result, &error);

  if (answer == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  if (!kwb_task_frame_layout_parse (&self->frame_layout, answer, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->have_frame_layout = TRUE;
  read_sp (g_steal_pointer (&task));
}

static void
session_frames_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GListModel *frames = kwb_session_list_frames_finish (KWB_SESSION (object), result, &error);

  if (frames == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, frames, g_object_unref);
}

void
kwb_task_list_list_frames_async (KwbTaskList         *self,
                                 KwbTask             *task_item,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Frames *f;

  g_return_if_fail (KWB_IS_TASK_LIST (self));
  g_return_if_fail (KWB_IS_TASK (task_item));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_task_list_list_frames_async);
  f = g_new0 (Frames, 1);
  f->task = g_object_ref (task_item);
  g_task_set_task_data (task, f, frames_free);

  if (kwb_task_get_is_current (task_item) && (gint) kwb_task_get_cpu (task_item) == self->stopped_cpu)
    {
      kwb_session_list_frames_async (self->session, cancellable, session_frames_cb, task);
      return;
    }
  if (kwb_task_get_is_current (task_item) || kwb_task_get_on_cpu (task_item))
    {
      g_autofree char *name = kwb_task_dup_display_name (task_item);

      g_task_return_new_error (task, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_RUNNING,
                               _("%s is running on CPU %u: its stack is in that CPU's registers, "
                                 "not saved in memory (GDB shows it as thread %u)"),
                               name, kwb_task_get_cpu (task_item), kwb_task_get_cpu (task_item) + 1);
      g_object_unref (task);
      return;
    }
  if (!self->have_layout)
    {
      g_task_return_new_error (task, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_LAYOUT,
                               _("The task list was never refreshed"));
      g_object_unref (task);
      return;
    }
  if (self->have_frame_layout)
    read_sp (task);
  else
    kwb_session_console_async (self->session, kwb_task_frame_layout_command (), cancellable,
                               frame_layout_cb, task);
}

GListModel *
kwb_task_list_list_frames_finish (KwbTaskList   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_task_list_list_frames_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
