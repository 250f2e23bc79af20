/* kwb-watch.c — the watch tree: expressions evaluated at each stop, expandable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why GDB variable objects: a varobj keeps its children, and one
 * `-var-update --all-values ROOT` re-reads the root and every child ever
 * listed and names only what changed, so refreshing an expanded tree costs
 * one round trip per root however deep it is opened. Children are listed
 * only when a node is expanded (or lies within the expand depth kwb asks).
 * Nodes that GDB cannot see as children of one object (one CPU's copy of a
 * per-CPU variable, an element of a walked list) own a root object of
 * their own. List walks read the `next` pointers straight from guest memory.
 *
 * Everything the model asks GDB runs as one job at a time (a refresh, an
 * expansion, a walk), each a queue of nodes visited depth first, so two
 * jobs never touch the same node at once. GDB is asked only while the
 * session is stopped: a varobj read on a running guest would fail anyway.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-session-private.h"
#include "kwb-watch.h"
#include "kwb-watch-private.h"

struct _KwbWatch
{
  GObject      parent_instance;
  KwbSession  *session;
  GPtrArray   *roots;
  GHashTable  *varobjs;   /* varobj name → KwbWatchValue (unowned: in the tree) */
  GHashTable  *offsets;   /* "struct T.member" → offset + 1 */
  GQueue       jobs;      /* GTask of Job, the head one running */
  guint        expand_depth;
  guint        n_stops;
  guint        n_stops_applied;
};

typedef enum {
  JOB_REFRESH,
  JOB_EXPAND,
  JOB_EXPRESSION,
} JobKind;

typedef struct {
  JobKind        kind;
  KwbWatchValue *target;
  GQueue         nodes;   /* KwbWatchValue refs still to visit */
  /* a walk in progress */
  guint64        head;
  guint64        offset;
  guint64        cursor;
  GArray        *addresses;
  GHashTable    *seen;
  /* the per-CPU probe: three answers */
  guint          pending;
  char          *pointer_type;
  GError        *probe_error;
  guint64        possible;
  gboolean       smp;
  gboolean       settled;  /* the kernel's possible CPUs are final */
  GPtrArray     *cpus;    /* the CPU copies being made, shown once all are read */
  GHashTable    *fresh;   /* nodes whose varobj this job made: read already */
} Job;

static void kwb_watch_list_model_init (GListModelInterface *iface);
static void kwb_watch_kernel_view_init (KwbKernelViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KwbWatch, kwb_watch, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, kwb_watch_list_model_init)
                               G_IMPLEMENT_INTERFACE (KWB_TYPE_KERNEL_VIEW, kwb_watch_kernel_view_init))
G_DEFINE_QUARK (kwb-watch-error-quark, kwb_watch_error)

static void job_next (GTask *task);
static void run_next_job (KwbWatch *self);

/* TASK (the running job) has returned: start the next one. The task may
 * hold the last reference to the model. */
static void
job_complete (GTask *task)
{
  g_autoptr(KwbWatch) self = g_object_ref (g_task_get_source_object (task));

  g_object_unref (g_queue_pop_head (&self->jobs));
  run_next_job (self);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_object (&job->target);
  g_queue_clear_full (&job->nodes, g_object_unref);
  g_clear_pointer (&job->addresses, g_array_unref);
  g_clear_pointer (&job->seen, g_hash_table_unref);
  g_free (job->pointer_type);
  g_clear_error (&job->probe_error);
  g_clear_pointer (&job->cpus, g_ptr_array_unref);
  g_hash_table_unref (job->fresh);
  g_free (job);
}

/* ---- the model ---- */

static GType
kwb_watch_get_item_type (GListModel *model)
{
  return KWB_TYPE_WATCH_VALUE;
}

static guint
kwb_watch_get_n_items (GListModel *model)
{
  return KWB_WATCH (model)->roots->len;
}

static gpointer
kwb_watch_get_item (GListModel *model,
                    guint       position)
{
  KwbWatch *self = KWB_WATCH (model);

  if (position >= self->roots->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->roots, position));
}

static void
kwb_watch_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kwb_watch_get_item_type;
  iface->get_n_items = kwb_watch_get_n_items;
  iface->get_item = kwb_watch_get_item;
}

static void
kwb_watch_dispose (GObject *object)
{
  KwbWatch *self = KWB_WATCH (object);
  GTask *task;

  while ((task = g_queue_pop_head (&self->jobs)) != NULL)
    g_object_unref (task);
  G_OBJECT_CLASS (kwb_watch_parent_class)->dispose (object);
}

static void
kwb_watch_finalize (GObject *object)
{
  KwbWatch *self = KWB_WATCH (object);

  g_clear_object (&self->session);
  g_ptr_array_unref (self->roots);
  g_hash_table_unref (self->varobjs);
  g_hash_table_unref (self->offsets);
  G_OBJECT_CLASS (kwb_watch_parent_class)->finalize (object);
}

static void
kwb_watch_class_init (KwbWatchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kwb_watch_dispose;
  G_OBJECT_CLASS (klass)->finalize = kwb_watch_finalize;
}

static void
kwb_watch_init (KwbWatch *self)
{
  self->roots = g_ptr_array_new_with_free_func (g_object_unref);
  self->varobjs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->offsets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->jobs);
}

static void
on_stopped (KwbWatch *self)
{
  self->n_stops++;
}

KwbWatch *
kwb_watch_new (KwbSession *session)
{
  KwbWatch *self;

  g_return_val_if_fail (KWB_IS_SESSION (session), NULL);

  self = g_object_new (KWB_TYPE_WATCH, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "stopped", G_CALLBACK (on_stopped), self, G_CONNECT_SWAPPED);
  return self;
}

KwbSession *
kwb_watch_get_session (KwbWatch *self)
{
  g_return_val_if_fail (KWB_IS_WATCH (self), NULL);
  return self->session;
}

void
kwb_watch_set_expand_depth (KwbWatch *self,
                            guint     depth)
{
  g_return_if_fail (KWB_IS_WATCH (self));
  self->expand_depth = depth;
}

KwbWatchValue *
kwb_watch_add (KwbWatch   *self,
               const char *expression)
{
  KwbWatchValue *root;

  g_return_val_if_fail (KWB_IS_WATCH (self), NULL);
  g_return_val_if_fail (expression != NULL, NULL);

  if (g_str_has_prefix (expression, KWB_WATCH_PER_CPU_PREFIX))
    {
      const char *var = expression + strlen (KWB_WATCH_PER_CPU_PREFIX);

      root = _kwb_watch_value_new (KWB_WATCH_VALUE_PER_CPU, NULL, var);
      _kwb_watch_value_set_expression (root, var);
      _kwb_watch_value_set_has_children (root, TRUE);
    }
  else
    {
      root = _kwb_watch_value_new (KWB_WATCH_VALUE_EXPRESSION, NULL, expression);
      _kwb_watch_value_set_expression (root, expression);
    }
  g_ptr_array_add (self->roots, root);
  g_list_model_items_changed (G_LIST_MODEL (self), self->roots->len - 1, 0, 1);
  return root;
}

GStrv
kwb_watch_dup_expressions (KwbWatch *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (KWB_IS_WATCH (self), NULL);
  for (guint i = 0; i < self->roots->len; i++)
    {
      KwbWatchValue *root = g_ptr_array_index (self->roots, i);

      if (kwb_watch_value_get_kind (root) == KWB_WATCH_VALUE_PER_CPU)
        {
          g_autofree char *spec = g_strconcat (KWB_WATCH_PER_CPU_PREFIX, kwb_watch_value_get_expression (root), NULL);

          g_strv_builder_add (builder, spec);
        }
      else
        g_strv_builder_add (builder, kwb_watch_value_get_expression (root));
    }
  return g_strv_builder_end (builder);
}

/* ---- talking to GDB ---- */

static gboolean
owns_root_varobj (KwbWatchValue *node)
{
  switch (kwb_watch_value_get_kind (node))
    {
    case KWB_WATCH_VALUE_EXPRESSION:
      return kwb_watch_value_get_parent (node) == NULL;
    case KWB_WATCH_VALUE_CPU:
    case KWB_WATCH_VALUE_ELEMENT:
      return TRUE;
    case KWB_WATCH_VALUE_PER_CPU:
    default:
      return FALSE;
    }
}

static void
ignore_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
}

static KwbGdb *
gdb_of (KwbWatch *self)
{
  return kwb_session_get_gdb (self->session);
}

/* Forgets NODE's descendants (and NODE itself when WITH_SELF), deleting
 * the root varobjs they own; a root varobj's children go with it. */
static void
forget (KwbWatch      *self,
        KwbWatchValue *node,
        gboolean       with_self)
{
  GListModel *children = kwb_watch_value_get_children (node);
  const char *varobj = _kwb_watch_value_get_varobj (node);

  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(KwbWatchValue) child = g_list_model_get_item (children, i);

      forget (self, child, TRUE);
    }
  if (!with_self || varobj == NULL)
    return;
  g_hash_table_remove (self->varobjs, varobj);
  if (owns_root_varobj (node) && kwb_gdb_get_running (gdb_of (self)))
    {
      g_autofree char *quoted = kwb_gdb_quote (varobj);

      kwb_gdb_command_async (gdb_of (self), NULL, ignore_cb, NULL, "-var-delete %s", quoted);
    }
  _kwb_watch_value_set_varobj (node, NULL);
}

static void
clear_children (KwbWatch      *self,
                KwbWatchValue *node)
{
  forget (self, node, FALSE);
  g_list_store_remove_all (_kwb_watch_value_get_store (node));
}

void
kwb_watch_remove (KwbWatch      *self,
                  KwbWatchValue *root)
{
  guint index;

  g_return_if_fail (KWB_IS_WATCH (self));
  g_return_if_fail (KWB_IS_WATCH_VALUE (root));

  if (!g_ptr_array_find (self->roots, root, &index))
    return;
  forget (self, root, TRUE);
  g_ptr_array_remove_index (self->roots, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
}

void
kwb_watch_clear (KwbWatch *self)
{
  guint n;

  g_return_if_fail (KWB_IS_WATCH (self));

  n = self->roots->len;
  for (guint i = 0; i < n; i++)
    forget (self, g_ptr_array_index (self->roots, i), TRUE);
  g_ptr_array_set_size (self->roots, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

/* A node whose root was removed meanwhile is not visited any more. */
static gboolean
is_alive (KwbWatch      *self,
          KwbWatchValue *node)
{
  KwbWatchValue *root = node;

  while (kwb_watch_value_get_parent (root) != NULL)
    root = kwb_watch_value_get_parent (root);
  return g_ptr_array_find (self->roots, root, NULL);
}

static void
take_baselines (KwbWatchValue *node)
{
  GListModel *children = kwb_watch_value_get_children (node);

  _kwb_watch_value_take_baseline (node);
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(KwbWatchValue) child = g_list_model_get_item (children, i);

      take_baselines (child);
    }
}

/* A list row's expandability is read once (GtkTreeListModel caches it):
 * a root that learns it has children is announced as a new item. */
static void
set_has_children (KwbWatch      *self,
                  KwbWatchValue *node,
                  gboolean       has_children)
{
  guint index;

  if (kwb_watch_value_get_has_children (node) == has_children)
    return;
  _kwb_watch_value_set_has_children (node, has_children);
  if (kwb_watch_value_get_parent (node) == NULL && g_ptr_array_find (self->roots, node, &index))
    g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 1);
}

/* GDB's answer for a varobj (from -var-create or a child listing). */
static void
apply_varobj (KwbWatch         *self,
              KwbWatchValue    *node,
              const KwbMiValue *v)
{
  const char *name = kwb_mi_value_get_string (v, "name");

  _kwb_watch_value_set_varobj (node, name);
  if (name != NULL)
    g_hash_table_replace (self->varobjs, g_strdup (name), node);
  _kwb_watch_value_set_type_name (node, kwb_mi_value_get_string (v, "type"));
  set_has_children (self, node, kwb_mi_value_get_int (v, "numchild", 0) > 0 ||
                                kwb_watch_value_get_is_list_head (node));
  _kwb_watch_value_set_value (node, kwb_mi_value_get_string (v, "value"), FALSE);
}

/* ---- visiting nodes ---- */

static gboolean
wants_children (KwbWatch      *self,
                Job           *job,
                KwbWatchValue *node)
{
  if (!kwb_watch_value_get_has_children (node))
    return FALSE;
  /* A per-CPU variable's value is its CPUs' copies: always read. */
  return kwb_watch_value_get_kind (node) == KWB_WATCH_VALUE_PER_CPU || node == job->target || _kwb_watch_value_get_fetched (node) ||
         kwb_watch_value_get_depth (node) < self->expand_depth;
}

static void
push_children (Job           *job,
               KwbWatchValue *node)
{
  GListModel *children = kwb_watch_value_get_children (node);

  for (guint i = g_list_model_get_n_items (children); i > 0; i--)
    g_queue_push_head (&job->nodes, g_list_model_get_item (children, i - 1));
}

static void
fail (GTask  *task,
      GError *error)
{
  g_task_return_error (task, error);
  job_complete (task);
}

/* The guest was continued while a job waited for GDB: what GDB read then
 * is not this stop's (a running target reads as empty values). */
static gboolean
guest_ran (GTask *task)
{
  KwbWatch *self = g_task_get_source_object (task);

  if (kwb_session_get_state (self->session) == KWB_SESSION_STATE_STOPPED)
    return FALSE;
  fail (task, g_error_new_literal (KWB_WATCH_ERROR, KWB_WATCH_ERROR_NOT_STOPPED,
                                   _("Values can be read only while the guest is stopped")));
  return TRUE;
}

/* A GDB call failed: an answer of GDB's (^error) belongs to the node, which
 * shows it; a dead GDB or a cancelled caller ends the job. */
static gboolean
gdb_failed (GTask         *task,
            KwbWatchValue *node,
            GError        *error)
{
  if (error == NULL)
    return FALSE;
  if (g_error_matches (error, KWB_GDB_ERROR, KWB_GDB_ERROR_FAILED))
    {
      _kwb_watch_value_set_value (node, error->message, TRUE);
      g_error_free (error);
      job_next (task);
    }
  else
    fail (task, error);
  return TRUE;
}

/* NODE's children could not be read: one child row says why (the node
 * keeps its own value). A dead GDB or a cancelled caller ends the job. */
static gboolean
children_failed (GTask         *task,
                 KwbWatchValue *node,
                 GError        *error)
{
  KwbWatch *self = g_task_get_source_object (task);
  g_autoptr(KwbWatchValue) why = NULL;

  if (error == NULL)
    return FALSE;
  if (!g_error_matches (error, KWB_GDB_ERROR, KWB_GDB_ERROR_FAILED))
    {
      fail (task, error);
      return TRUE;
    }
  clear_children (self, node);
  why = _kwb_watch_value_new (KWB_WATCH_VALUE_EXPRESSION, node, "");
  _kwb_watch_value_set_value (why, error->message, TRUE);
  g_list_store_append (_kwb_watch_value_get_store (node), why);
  g_error_free (error);
  job_next (task);
  return TRUE;
}

typedef struct {
  GTask         *task;
  KwbWatchValue *node;
} Visit;

static Visit *
visit_new (GTask         *task,
           KwbWatchValue *node)
{
  Visit *visit = g_new (Visit, 1);

  visit->task = g_object_ref (task);
  visit->node = g_object_ref (node);
  return visit;
}

static void
visit_free (Visit *visit)
{
  g_object_unref (visit->task);
  g_object_unref (visit->node);
  g_free (visit);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Visit, visit_free)

typedef enum {
  ON_ERROR_VALUE,  /* GDB's refusal becomes the node's value */
  ON_ERROR_CHILD,  /* … or a child row under it */
} OnError;

/* GDB's answer for VISIT, or NULL when the job went on without one (the
 * guest ran meanwhile, GDB refused, GDB is gone). */
static KwbMiRecord *
visit_answer (Visit        *visit,
              GObject      *object,
              GAsyncResult *result,
              OnError       on_error)
{
  GError *error = NULL;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);

  if (guest_ran (visit->task))
    {
      g_clear_error (&error);
      return NULL;
    }
  if (on_error == ON_ERROR_CHILD ? children_failed (visit->task, visit->node, error)
                                 : gdb_failed (visit->task, visit->node, error))
    return NULL;
  return g_steal_pointer (&record);
}

static void expand_node (GTask *task, KwbWatchValue *node);
static gboolean update_cpus (GTask *task, KwbWatchValue *node);
static void apply_changes (KwbWatch *self, KwbMiRecord *record);

static void
list_children_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  KwbWatch *self = g_task_get_source_object (visit->task);
  Job *job = g_task_get_task_data (visit->task);
  g_autoptr(KwbMiRecord) record = visit_answer (visit, object, result, ON_ERROR_CHILD);
  const KwbMiValue *children;
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func (g_object_unref);

  if (record == NULL)
    return;
  children = kwb_mi_record_get (record, "children");
  for (guint i = 0; children != NULL && i < kwb_mi_value_get_n_children (children); i++)
    {
      const KwbMiValue *c = kwb_mi_value_get_nth (children, i);
      KwbWatchValue *child = _kwb_watch_value_new (KWB_WATCH_VALUE_EXPRESSION, visit->node,
                                                   kwb_mi_value_get_string (c, "exp"));

      apply_varobj (self, child, c);
      g_ptr_array_add (nodes, child);
    }
  clear_children (self, visit->node);
  g_list_store_splice (_kwb_watch_value_get_store (visit->node), 0, 0, nodes->pdata, nodes->len);
  push_children (job, visit->node);
  job_next (visit->task);
}

/* ---- per-CPU variables ---- */

/* One CPU's copy answered (all are asked at once, made or updated); the
 * last answer shows them and goes on. */
static void
cpu_answered (Visit        *visit,
              KwbMiRecord  *record,
              GError       *error,
              gboolean      made)
{
  KwbWatch *self = g_task_get_source_object (visit->task);
  Job *job = g_task_get_task_data (visit->task);
  KwbWatchValue *parent = kwb_watch_value_get_parent (visit->node);

  if (record != NULL)
    {
      if (made)
        apply_varobj (self, visit->node, kwb_mi_record_get_results (record));
      else
        apply_changes (self, record);
      g_hash_table_add (job->fresh, visit->node);
    }
  else if (g_error_matches (error, KWB_GDB_ERROR, KWB_GDB_ERROR_FAILED))
    _kwb_watch_value_set_value (visit->node, error->message, TRUE);
  else if (job->probe_error == NULL)
    job->probe_error = g_error_copy (error);
  if (--job->pending > 0)
    return;
  if (job->probe_error != NULL)
    {
      fail (visit->task, g_steal_pointer (&job->probe_error));
      return;
    }
  if (guest_ran (visit->task))
    return;
  if (job->cpus != NULL)
    {
      g_list_store_splice (_kwb_watch_value_get_store (parent), 0, 0, job->cpus->pdata, job->cpus->len);
      g_clear_pointer (&job->cpus, g_ptr_array_unref);
    }
  push_children (job, parent);
  job_next (visit->task);
}

static void
cpu_create_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);

  cpu_answered (visit, record, error, TRUE);
}

static gboolean
same_names (GListModel *shown,
            GPtrArray  *wanted)
{
  if (g_list_model_get_n_items (shown) != wanted->len)
    return FALSE;
  for (guint i = 0; i < wanted->len; i++)
    {
      g_autoptr(KwbWatchValue) value = g_list_model_get_item (shown, i);

      if (!g_str_equal (kwb_watch_value_get_name (value), kwb_watch_value_get_name (g_ptr_array_index (wanted, i))))
        return FALSE;
    }
  return TRUE;
}

static void
per_cpu_done (GTask         *task,
              KwbWatchValue *node)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(GPtrArray) cpus = g_ptr_array_new_with_free_func (g_object_unref);
  const char *var = kwb_watch_value_get_expression (node);
  g_autofree char *type = NULL;
  g_autofree char *value = NULL;
  guint n = 0;

  if (job->probe_error != NULL)
    {
      _kwb_watch_value_set_value (node, job->probe_error->message, TRUE);
      g_clear_error (&job->probe_error);
      job_next (task);
      return;
    }
  /* "struct rq *" → "struct rq"; "int (*)[4]" → "int [4]" */
  type = g_strdup (job->pointer_type);
  if (g_str_has_suffix (type, " *"))
    type[strlen (type) - 2] = '\0';
  else if (strstr (type, "(*)") != NULL)
    memmove (strstr (type, "(*)"), strstr (type, "(*)") + 3, strlen (strstr (type, "(*)") + 3) + 1);
  _kwb_watch_value_set_type_name (node, type);

  /* Before the boot CPU fills cpu_possible_mask, and on a uniprocessor
   * kernel, there is one copy: CPU 0's. */
  if (!job->smp || job->possible == 0)
    job->possible = 1;
  for (guint cpu = 0; cpu < 64; cpu++)
    {
      g_autofree char *name = NULL;
      g_autofree char *expression = NULL;
      KwbWatchValue *child;

      if ((job->possible & (G_GUINT64_CONSTANT (1) << cpu)) == 0)
        continue;
      /* Translators: one CPU's copy of a per-CPU variable, e.g. "CPU 1". */
      name = g_strdup_printf (_("CPU %u"), cpu);
      if (job->smp)
        expression = g_strdup_printf ("*(%s)((unsigned long)&(%s) + __per_cpu_offset[%u])",
                                      job->pointer_type, var, cpu);
      else
        expression = g_strdup_printf ("*(%s)&(%s)", job->pointer_type, var);
      child = _kwb_watch_value_new (KWB_WATCH_VALUE_CPU, node, name);
      _kwb_watch_value_set_expression (child, expression);
      _kwb_watch_value_set_type_name (child, type);
      g_ptr_array_add (cpus, child);
      n++;
    }
  value = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u CPU", "%u CPUs", n), n);
  _kwb_watch_value_set_value (node, value, FALSE);
  _kwb_watch_value_set_settled (node, job->settled);
  if (same_names (kwb_watch_value_get_children (node), cpus))
    {
      /* Asked again during boot: the same CPUs, read as they are. */
      push_children (job, node);
      job_next (task);
      return;
    }
  clear_children (g_task_get_source_object (task), node);

  /* All copies are made at once, and shown when all are read: a row's
   * expandability must be known when it appears. */
  job->cpus = g_steal_pointer (&cpus);
  job->pending = job->cpus->len;
  for (guint i = 0; i < job->cpus->len; i++)
    {
      KwbWatchValue *cpu = g_ptr_array_index (job->cpus, i);
      g_autofree char *quoted = kwb_gdb_quote (kwb_watch_value_get_expression (cpu));

      kwb_gdb_command_async (gdb_of (g_task_get_source_object (task)), g_task_get_cancellable (task),
                             cpu_create_cb, visit_new (task, cpu), "-var-create - * %s", quoted);
    }
}

/* One of the three answers came; the last one builds the CPUs. */
static void
probe_answered (Visit  *visit,
                GError *error)
{
  Job *job = g_task_get_task_data (visit->task);

  /* GDB's own answers (^error) mean "no such symbol" here, which each
   * question reads as it needs; anything else (GDB gone, cancelled) ends. */
  if (error != NULL && job->probe_error == NULL &&
      !g_error_matches (error, KWB_GDB_ERROR, KWB_GDB_ERROR_FAILED))
    job->probe_error = g_error_copy (error);
  if (--job->pending > 0)
    return;
  if (job->probe_error != NULL && !g_error_matches (job->probe_error, KWB_WATCH_ERROR, KWB_WATCH_ERROR_INVALID))
    fail (visit->task, g_steal_pointer (&job->probe_error));
  else if (!guest_ran (visit->task))
    per_cpu_done (visit->task, visit->node);
}

static void
pointer_probe_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  Job *job = g_task_get_task_data (visit->task);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = kwb_gdb_console_finish (KWB_GDB (object), result, &error);

  /* "type = struct rq *" */
  if (text != NULL && g_str_has_prefix (text, "type = "))
    job->pointer_type = g_strstrip (g_strdup (text + strlen ("type = ")));
  if (job->pointer_type == NULL && job->probe_error == NULL &&
      (error == NULL || g_error_matches (error, KWB_GDB_ERROR, KWB_GDB_ERROR_FAILED)))
    job->probe_error = g_error_new_literal (KWB_WATCH_ERROR, KWB_WATCH_ERROR_INVALID,
                                            error ? error->message : _("GDB did not say the variable's type"));
  probe_answered (visit, error);
}

static void
possible_probe_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  Job *job = g_task_get_task_data (visit->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  const char *value = record ? kwb_mi_record_get_string (record, "value") : NULL;

  if (value != NULL)
    job->possible = g_ascii_strtoull (value, NULL, 0);
  probe_answered (visit, error);
}

static void
smp_probe_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  Job *job = g_task_get_task_data (visit->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);

  /* No __per_cpu_offset: CONFIG_SMP is off and VAR is a plain global. */
  job->smp = record != NULL;
  probe_answered (visit, error);
}

static void
settled_probe_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  Job *job = g_task_get_task_data (visit->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);

  /* A kernel without system_state is asked once. */
  job->settled = record == NULL || g_strcmp0 (kwb_mi_record_get_string (record, "value"), "0") != 0;
  probe_answered (visit, error);
}

/* Four questions at once: VAR's pointer type, the possible CPUs, whether
 * the kernel has per-CPU offsets at all, and whether its possible CPUs are
 * final (setup_arch fills them in; a variable watched from start_kernel
 * on gains its CPUs at a later stop). */
static void
probe_per_cpu (GTask         *task,
               KwbWatchValue *node)
{
  KwbWatch *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  /* GDB's message for an unknown VAR names it; -var-create's does not. */
  g_autofree char *whatis = g_strdup_printf ("whatis &(%s)", kwb_watch_value_get_expression (node));

  job->pending = 4;
  job->possible = 0;
  job->smp = FALSE;
  job->settled = TRUE;
  g_clear_pointer (&job->pointer_type, g_free);
  g_clear_error (&job->probe_error);
  kwb_gdb_console_async (gdb_of (self), whatis, cancellable, pointer_probe_cb, visit_new (task, node));
  kwb_gdb_command_async (gdb_of (self), cancellable, possible_probe_cb, visit_new (task, node),
                         "-data-evaluate-expression __cpu_possible_mask.bits[0]");
  kwb_gdb_command_async (gdb_of (self), cancellable, smp_probe_cb, visit_new (task, node),
                         "-data-evaluate-expression sizeof(__per_cpu_offset)");
  kwb_gdb_command_async (gdb_of (self), cancellable, settled_probe_cb, visit_new (task, node),
                         "-data-evaluate-expression \"system_state >= SYSTEM_SCHEDULING\"");
}

/* ---- list walks ---- */

static void walk_step (GTask *task, KwbWatchValue *node);

static void
walk_done (GTask         *task,
           KwbWatchValue *node)
{
  KwbWatch *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GListStore *store = _kwb_watch_value_get_store (node);
  guint old = g_list_model_get_n_items (G_LIST_MODEL (store));
  const char *type = _kwb_watch_value_get_walk_type (node);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  /* Element I stays the same node while its address stays; one that moved
   * keeps its row but reads its new structure. */
  for (guint i = 0; i < job->addresses->len; i++)
    {
      guint64 address = g_array_index (job->addresses, guint64, i);
      g_autofree char *text = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", address);
      g_autoptr(KwbWatchValue) element = NULL;

      if (i < old)
        {
          element = g_list_model_get_item (G_LIST_MODEL (store), i);
          if (_kwb_watch_value_get_address (element) == address &&
              kwb_watch_value_get_kind (element) == KWB_WATCH_VALUE_ELEMENT)
            continue;
          forget (self, element, TRUE);
          g_list_store_remove_all (_kwb_watch_value_get_store (element));
          _kwb_watch_value_set_fetched (element, FALSE);
        }
      else
        {
          g_autofree char *name = g_strdup_printf ("[%u]", i);

          element = _kwb_watch_value_new (KWB_WATCH_VALUE_ELEMENT, node, name);
          g_ptr_array_add (added, g_object_ref (element));
        }
      {
        g_autofree char *expression = g_strdup_printf ("*(%s *)0x%" G_GINT64_MODIFIER "x", type, address);

        _kwb_watch_value_set_expression (element, expression);
      }
      _kwb_watch_value_set_address (element, address);
      _kwb_watch_value_set_type_name (element, type);
      _kwb_watch_value_set_has_children (element, TRUE);
      _kwb_watch_value_set_value (element, text, FALSE);
    }
  if (old > job->addresses->len)
    {
      for (guint i = job->addresses->len; i < old; i++)
        {
          g_autoptr(KwbWatchValue) gone = g_list_model_get_item (G_LIST_MODEL (store), i);

          forget (self, gone, TRUE);
        }
      g_list_store_splice (store, job->addresses->len, old - job->addresses->len, NULL, 0);
    }
  else if (added->len > 0)
    g_list_store_splice (store, old, 0, added->pdata, added->len);
  g_clear_pointer (&job->addresses, g_array_unref);
  g_clear_pointer (&job->seen, g_hash_table_unref);
  push_children (job, node);
  job_next (task);
}

static void
walk_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  Job *job = g_task_get_task_data (visit->task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);
  guint64 next;

  if (bytes != NULL && guest_ran (visit->task))
    return;
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          kwb_session_get_state (KWB_SESSION (object)) != KWB_SESSION_STATE_STOPPED)
        {
          fail (visit->task, error);
          return;
        }
      /* A pointer into unmapped memory ends the list where it breaks. */
      g_error_free (error);
      walk_done (visit->task, visit->node);
      return;
    }
  g_assert (g_bytes_get_size (bytes) == sizeof next);
  memcpy (&next, g_bytes_get_data (bytes, NULL), sizeof next);
  job->cursor = GUINT64_FROM_LE (next);
  walk_step (visit->task, visit->node);
}

/* At JOB->cursor is the next list node: an element, or the end. */
static void
walk_step (GTask         *task,
           KwbWatchValue *node)
{
  KwbWatch *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  guint64 cursor = job->cursor;

  if (cursor == 0 || cursor == job->head || job->addresses->len >= KWB_WATCH_WALK_MAX ||
      g_hash_table_contains (job->seen, &job->cursor))
    {
      walk_done (task, node);
      return;
    }
  g_hash_table_add (job->seen, g_memdup2 (&cursor, sizeof cursor));
  cursor -= job->offset;
  g_array_append_val (job->addresses, cursor);
  /* `next` is the first member of list_head and of hlist_node. */
  kwb_session_read_memory_async (self->session, job->cursor, sizeof (guint64), g_task_get_cancellable (task),
                                 walk_read_cb, visit_new (task, node));
}

static void
walk_head_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  KwbWatch *self = g_task_get_source_object (visit->task);
  Job *job = g_task_get_task_data (visit->task);
  g_autoptr(KwbMiRecord) record = visit_answer (visit, object, result, ON_ERROR_CHILD);
  GCancellable *cancellable;

  if (record == NULL)
    return;
  job->head = g_ascii_strtoull (kwb_mi_record_get_string (record, "value") ?: "0", NULL, 0);
  job->addresses = g_array_new (FALSE, FALSE, sizeof (guint64));
  job->seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  /* The head's first pointer (list_head.next, hlist_head.first) starts it. */
  cancellable = g_task_get_cancellable (visit->task);
  kwb_session_read_memory_async (self->session, job->head, sizeof (guint64), cancellable,
                                 walk_read_cb, g_steal_pointer (&visit));
}

static void
walk_head (GTask         *task,
           KwbWatchValue *node)
{
  KwbWatch *self = g_task_get_source_object (task);
  g_autofree char *address = g_strdup_printf ("(unsigned long)&(%s)", kwb_watch_value_get_expression (node));
  g_autofree char *quoted = kwb_gdb_quote (address);

  kwb_gdb_command_async (gdb_of (self), g_task_get_cancellable (task), walk_head_cb, visit_new (task, node),
                         "-data-evaluate-expression %s", quoted);
}

static char *
offset_key (KwbWatchValue *node)
{
  return g_strdup_printf ("%s.%s", _kwb_watch_value_get_walk_type (node), _kwb_watch_value_get_walk_member (node));
}

static void
walk_offset_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  KwbWatch *self = g_task_get_source_object (visit->task);
  Job *job = g_task_get_task_data (visit->task);
  g_autoptr(KwbMiRecord) record = visit_answer (visit, object, result, ON_ERROR_CHILD);

  if (record == NULL)
    return;
  job->offset = g_ascii_strtoull (kwb_mi_record_get_string (record, "value") ?: "0", NULL, 0);
  g_hash_table_replace (self->offsets, offset_key (visit->node), GSIZE_TO_POINTER (job->offset + 1));
  walk_head (visit->task, visit->node);
}

static void walk_start (GTask *task, KwbWatchValue *node);

static void
path_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  GError *error = NULL;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  Job *job = g_task_get_task_data (visit->task);

  if (guest_ran (visit->task))
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL && job->kind == JOB_EXPRESSION)
    {
      fail (visit->task, error);
      return;
    }
  if (children_failed (visit->task, visit->node, error))
    return;
  _kwb_watch_value_set_expression (visit->node, kwb_mi_record_get_string (record, "path_expr"));
  if (kwb_watch_value_get_expression (visit->node) == NULL)
    {
      _kwb_watch_value_set_value (visit->node, _("GDB has no expression for this value"), TRUE);
      job_next (visit->task);
    }
  else if (job->kind == JOB_EXPRESSION)
    job_next (visit->task);
  else
    walk_start (visit->task, visit->node);
}

static gboolean
ask_path (GTask         *task,
          KwbWatchValue *node)
{
  KwbWatch *self = g_task_get_source_object (task);
  g_autofree char *quoted = NULL;

  if (kwb_watch_value_get_expression (node) != NULL)
    return FALSE;
  quoted = kwb_gdb_quote (_kwb_watch_value_get_varobj (node));
  kwb_gdb_command_async (gdb_of (self), g_task_get_cancellable (task), path_cb, visit_new (task, node),
                         "-var-info-path-expression %s", quoted);
  return TRUE;
}

static void
walk_start (GTask         *task,
            KwbWatchValue *node)
{
  KwbWatch *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *key = offset_key (node);
  gpointer offset;

  if (ask_path (task, node))
    return;
  offset = g_hash_table_lookup (self->offsets, key);
  if (offset != NULL)
    {
      job->offset = GPOINTER_TO_SIZE (offset) - 1;
      walk_head (task, node);
    }
  else
    {
      g_autofree char *expression = g_strdup_printf ("(unsigned long)&((%s *)0)->%s",
                                                     _kwb_watch_value_get_walk_type (node),
                                                     _kwb_watch_value_get_walk_member (node));
      g_autofree char *quoted = kwb_gdb_quote (expression);

      kwb_gdb_command_async (gdb_of (self), g_task_get_cancellable (task), walk_offset_cb,
                             visit_new (task, node), "-data-evaluate-expression %s", quoted);
    }
}

/* ---- one node ---- */

static void
expand_node (GTask         *task,
             KwbWatchValue *node)
{
  KwbWatch *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GListModel *children = kwb_watch_value_get_children (node);

  if (!wants_children (self, job, node) || kwb_watch_value_get_error (node))
    {
      job_next (task);
      return;
    }
  if (_kwb_watch_value_get_walk_type (node) != NULL)
    walk_start (task, node);
  else if (kwb_watch_value_get_kind (node) == KWB_WATCH_VALUE_PER_CPU &&
           (g_list_model_get_n_items (children) == 0 || (!_kwb_watch_value_get_settled (node) && job->kind == JOB_REFRESH)))
    probe_per_cpu (task, node);
  else if (kwb_watch_value_get_kind (node) == KWB_WATCH_VALUE_PER_CPU && update_cpus (task, node))
    return;
  else if (g_list_model_get_n_items (children) == 0 && _kwb_watch_value_get_varobj (node) != NULL)
    {
      g_autofree char *quoted = kwb_gdb_quote (_kwb_watch_value_get_varobj (node));

      kwb_gdb_command_async (gdb_of (self), g_task_get_cancellable (task), list_children_cb,
                             visit_new (task, node), "-var-list-children --all-values %s 0 %u",
                             quoted, KWB_WATCH_CHILDREN_MAX);
    }
  else
    {
      push_children (job, node);
      job_next (task);
    }
}

static void
why_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  GError *error = NULL;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);

  if (record != NULL)
    error = g_error_new_literal (KWB_GDB_ERROR, KWB_GDB_ERROR_FAILED, _("GDB cannot make a variable of this"));
  gdb_failed (visit->task, visit->node, error);
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  KwbWatch *self = g_task_get_source_object (visit->task);
  GError *error = NULL;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);

  if (guest_ran (visit->task))
    {
      g_clear_error (&error);
      return;
    }

  if (g_error_matches (error, KWB_GDB_ERROR, KWB_GDB_ERROR_FAILED))
    {
      /* -var-create says only "unable to create variable object": the
       * expression evaluated says why (no such symbol, a syntax error). */
      g_autofree char *quoted = kwb_gdb_quote (kwb_watch_value_get_expression (visit->node));
      GCancellable *cancellable = g_task_get_cancellable (visit->task);

      g_error_free (error);
      kwb_gdb_command_async (KWB_GDB (object), cancellable, why_cb, g_steal_pointer (&visit),
                             "-data-evaluate-expression %s", quoted);
      return;
    }
  if (gdb_failed (visit->task, visit->node, error))
    return;
  if (!is_alive (self, visit->node))
    {
      g_autofree char *quoted = kwb_gdb_quote (kwb_mi_record_get_string (record, "name"));

      kwb_gdb_command_async (gdb_of (self), NULL, ignore_cb, NULL, "-var-delete %s", quoted);
      job_next (visit->task);
      return;
    }
  if (kwb_watch_value_get_kind (visit->node) == KWB_WATCH_VALUE_ELEMENT)
    {
      /* An element shows its address; its varobj is there for its members. */
      g_autofree char *value = g_strdup (kwb_watch_value_get_value (visit->node));

      apply_varobj (self, visit->node, kwb_mi_record_get_results (record));
      _kwb_watch_value_set_value (visit->node, value, FALSE);
    }
  else
    apply_varobj (self, visit->node, kwb_mi_record_get_results (record));
  expand_node (visit->task, visit->node);
}

/* What a -var-update said changed, into the nodes. */
static void
apply_changes (KwbWatch    *self,
               KwbMiRecord *record)
{
  const KwbMiValue *changes = kwb_mi_record_get (record, "changelist");

  for (guint i = 0; changes != NULL && i < kwb_mi_value_get_n_children (changes); i++)
    {
      const KwbMiValue *c = kwb_mi_value_get_nth (changes, i);
      KwbWatchValue *node = g_hash_table_lookup (self->varobjs, kwb_mi_value_get_string (c, "name") ?: "");
      const char *in_scope = kwb_mi_value_get_string (c, "in_scope");

      if (node == NULL)
        continue;
      if (g_strcmp0 (in_scope, "false") == 0 || g_strcmp0 (in_scope, "invalid") == 0)
        {
          _kwb_watch_value_set_value (node, _("not available here"), TRUE);
          continue;
        }
      if (g_strcmp0 (kwb_mi_value_get_string (c, "type_changed"), "true") == 0)
        {
          /* GDB dropped the children with the old type. */
          clear_children (self, node);
          _kwb_watch_value_set_type_name (node, kwb_mi_value_get_string (c, "new_type"));
          set_has_children (self, node, kwb_mi_value_get_int (c, "new_num_children", 0) > 0);
        }
      /* An element shows its address; a change with no value is only one of type. */
      if (kwb_watch_value_get_kind (node) != KWB_WATCH_VALUE_ELEMENT && kwb_mi_value_get (c, "value") != NULL)
        _kwb_watch_value_set_value (node, kwb_mi_value_get_string (c, "value"), FALSE);
    }
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  g_autoptr(KwbMiRecord) record = visit_answer (visit, object, result, ON_ERROR_VALUE);

  if (record == NULL)
    return;
  apply_changes (g_task_get_source_object (visit->task), record);
  expand_node (visit->task, visit->node);
}

static void
cpu_update_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Visit) visit = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);

  cpu_answered (visit, record, error, FALSE);
}

/* A per-CPU variable's copies are read all at once: one round trip for
 * every CPU instead of one each. */
static gboolean
update_cpus (GTask         *task,
             KwbWatchValue *node)
{
  KwbWatch *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GListModel *cpus = kwb_watch_value_get_children (node);
  guint n = g_list_model_get_n_items (cpus);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbWatchValue) cpu = g_list_model_get_item (cpus, i);

      if (_kwb_watch_value_get_varobj (cpu) == NULL || g_hash_table_contains (job->fresh, cpu))
        return FALSE;
    }
  job->pending = n;
  g_clear_error (&job->probe_error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbWatchValue) cpu = g_list_model_get_item (cpus, i);
      g_autofree char *quoted = kwb_gdb_quote (_kwb_watch_value_get_varobj (cpu));

      kwb_gdb_command_async (gdb_of (self), g_task_get_cancellable (task), cpu_update_cb,
                             visit_new (task, cpu), "-var-update --all-values %s", quoted);
    }
  return n > 0;
}

static void
visit (GTask         *task,
       KwbWatchValue *node)
{
  KwbWatch *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  const char *varobj = _kwb_watch_value_get_varobj (node);
  g_autofree char *quoted = NULL;

  if (!is_alive (self, node))
    {
      job_next (task);
      return;
    }
  if (!owns_root_varobj (node) ||
      (kwb_watch_value_get_kind (node) == KWB_WATCH_VALUE_ELEMENT && varobj == NULL &&
       !wants_children (self, job, node)))
    {
      expand_node (task, node);
      return;
    }
  if (g_hash_table_contains (job->fresh, node))
    expand_node (task, node);
  else if (varobj != NULL)
    {
      quoted = kwb_gdb_quote (varobj);
      kwb_gdb_command_async (gdb_of (self), cancellable, update_cb, visit_new (task, node),
                             "-var-update --all-values %s", quoted);
    }
  else
    {
      /* "-" lets GDB name it. "@" makes the user's expression floating,
       * read in whatever frame is selected at each stop, as typed; the
       * ones made here name only globals and addresses. */
      quoted = kwb_gdb_quote (kwb_watch_value_get_expression (node));
      kwb_gdb_command_async (gdb_of (self), cancellable, create_cb, visit_new (task, node),
                             "-var-create - %s %s",
                             kwb_watch_value_get_kind (node) == KWB_WATCH_VALUE_EXPRESSION ? "@" : "*", quoted);
    }
}

/* ---- jobs ---- */

static void
job_next (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(KwbWatchValue) node = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      job_complete (task);
      return;
    }
  node = g_queue_pop_head (&job->nodes);
  if (node != NULL)
    {
      visit (task, node);
      return;
    }
  if (job->kind == JOB_EXPRESSION)
    {
      const char *expression = kwb_watch_value_get_expression (job->target);

      if (expression != NULL)
        g_task_return_pointer (task, g_strdup (expression), g_free);
      else if (kwb_watch_value_get_error (job->target))
        g_task_return_new_error (task, KWB_WATCH_ERROR, KWB_WATCH_ERROR_NO_EXPRESSION,
                                 "%s", kwb_watch_value_get_value (job->target));
      else
        g_task_return_new_error (task, KWB_WATCH_ERROR, KWB_WATCH_ERROR_NO_EXPRESSION,
                                 _("“%s” has no single C expression"), kwb_watch_value_get_name (job->target));
    }
  else
    g_task_return_boolean (task, TRUE);
  job_complete (task);
}

static void
run_next_job (KwbWatch *self)
{
  GTask *task = g_queue_peek_head (&self->jobs);
  Job *job;

  if (task == NULL)
    return;
  job = g_task_get_task_data (task);
  if (kwb_session_get_state (self->session) != KWB_SESSION_STATE_STOPPED)
    {
          g_task_return_new_error (task, KWB_WATCH_ERROR, KWB_WATCH_ERROR_NOT_STOPPED,
                               _("Values can be read only while the guest is stopped"));
      job_complete (task);
      return;
    }
  if (self->n_stops != self->n_stops_applied)
    {
      self->n_stops_applied = self->n_stops;
      for (guint i = 0; i < self->roots->len; i++)
        take_baselines (g_ptr_array_index (self->roots, i));
    }
  switch (job->kind)
    {
    case JOB_REFRESH:
      for (guint i = 0; i < self->roots->len; i++)
        g_queue_push_tail (&job->nodes, g_object_ref (g_ptr_array_index (self->roots, i)));
      break;
    case JOB_EXPAND:
      _kwb_watch_value_set_fetched (job->target, TRUE);
      g_queue_push_tail (&job->nodes, g_object_ref (job->target));
      break;
    case JOB_EXPRESSION:
      if (ask_path (task, job->target))
        return;
      break;
    default:
      g_assert_not_reached ();
    }
  job_next (task);
}

static void
queue_job (KwbWatch            *self,
           JobKind              kind,
           KwbWatchValue       *target,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, source_tag);
  job->kind = kind;
  job->target = target ? g_object_ref (target) : NULL;
  job->fresh = g_hash_table_new (NULL, NULL);
  g_queue_init (&job->nodes);
  g_task_set_task_data (task, job, job_free);
  /* The queue owns the task until it returns. */
  g_queue_push_tail (&self->jobs, g_object_ref (task));
  g_object_unref (task);
  if (self->jobs.length == 1)
    run_next_job (self);
}

void
kwb_watch_refresh_async (KwbWatch            *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (KWB_IS_WATCH (self));
  queue_job (self, JOB_REFRESH, NULL, cancellable, callback, user_data, kwb_watch_refresh_async);
}

static gboolean
finish_boolean (KwbWatch      *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
kwb_watch_refresh_finish (KwbWatch      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return finish_boolean (self, result, kwb_watch_refresh_async, error);
}

void
kwb_watch_expand_async (KwbWatch            *self,
                        KwbWatchValue       *value,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (KWB_IS_WATCH (self));
  g_return_if_fail (KWB_IS_WATCH_VALUE (value));
  queue_job (self, JOB_EXPAND, value, cancellable, callback, user_data, kwb_watch_expand_async);
}

gboolean
kwb_watch_expand_finish (KwbWatch      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish_boolean (self, result, kwb_watch_expand_async, error);
}

static gboolean
is_identifier_path (const char *text,
                    gboolean    spaces)
{
  if (text == NULL || *text == '\0' || g_ascii_isdigit (*text) || *text == '.')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && !(spaces && *p == ' '))
      return FALSE;
  return !g_str_has_suffix (text, ".") && strstr (text, "..") == NULL;
}

gboolean
kwb_watch_parse_walk (const char  *walk,
                      char       **type,
                      char       **member,
                      GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (walk ? walk : ""));
  const char *name = text;
  char *dot;

  if (g_str_has_prefix (name, "struct "))
    name += strlen ("struct ");
  dot = strchr (name, '.');
  if (dot == NULL || dot == name || !is_identifier_path (dot + 1, FALSE))
    goto invalid;
  *dot = '\0';
  if (!is_identifier_path (name, FALSE) || strchr (name, '.') != NULL)
    goto invalid;
  *type = g_strdup_printf ("struct %s", name);
  *member = g_strdup (dot + 1);
  return TRUE;

invalid:
  g_set_error (error, KWB_WATCH_ERROR, KWB_WATCH_ERROR_INVALID,
               _("“%s” is not TYPE.MEMBER (for example task_struct.tasks)"), walk ? walk : "");
  return FALSE;
}

void
kwb_watch_walk_async (KwbWatch            *self,
                      KwbWatchValue       *value,
                      const char          *walk,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autofree char *type = NULL;
  g_autofree char *member = NULL;
  GError *error = NULL;

  g_return_if_fail (KWB_IS_WATCH (self));
  g_return_if_fail (KWB_IS_WATCH_VALUE (value));

  if (walk != NULL && !kwb_watch_parse_walk (walk, &type, &member, &error))
    {
      g_task_report_error (self, callback, user_data, kwb_watch_walk_async, error);
      return;
    }
  if (walk != NULL && !kwb_watch_value_get_is_list_head (value))
    {
      g_task_report_new_error (self, callback, user_data, kwb_watch_walk_async, KWB_WATCH_ERROR,
                               KWB_WATCH_ERROR_INVALID, _("Only a list_head or an hlist_head can be walked as a list"));
      return;
    }
  /* Its children change kind: elements instead of members, or back. */
  clear_children (self, value);
  _kwb_watch_value_set_walk (value, type, member);
  queue_job (self, JOB_EXPAND, value, cancellable, callback, user_data, kwb_watch_walk_async);
}

gboolean
kwb_watch_walk_finish (KwbWatch      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return finish_boolean (self, result, kwb_watch_walk_async, error);
}

void
kwb_watch_dup_expression_async (KwbWatch            *self,
                                KwbWatchValue       *value,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KWB_IS_WATCH (self));
  g_return_if_fail (KWB_IS_WATCH_VALUE (value));

  if (kwb_watch_value_get_kind (value) == KWB_WATCH_VALUE_PER_CPU ||
      (kwb_watch_value_get_expression (value) == NULL && _kwb_watch_value_get_varobj (value) == NULL))
    {
      g_task_report_new_error (self, callback, user_data, kwb_watch_dup_expression_async, KWB_WATCH_ERROR,
                               KWB_WATCH_ERROR_NO_EXPRESSION, _("“%s” has no single C expression"),
                               kwb_watch_value_get_name (value));
      return;
    }
  queue_job (self, JOB_EXPRESSION, value, cancellable, callback, user_data, kwb_watch_dup_expression_async);
}

char *
kwb_watch_dup_expression_finish (KwbWatch      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- KwbKernelView ---- */

static void
kwb_watch_view_refresh_async (KwbKernelView       *view,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  kwb_watch_refresh_async (KWB_WATCH (view), cancellable, callback, user_data);
}

static gboolean
kwb_watch_view_refresh_finish (KwbKernelView  *view,
                               GAsyncResult   *result,
                               GError        **error)
{
  return kwb_watch_refresh_finish (KWB_WATCH (view), result, error);
}

static void
kwb_watch_kernel_view_init (KwbKernelViewInterface *iface)
{
  iface->refresh_async = kwb_watch_view_refresh_async;
  iface->refresh_finish = kwb_watch_view_refresh_finish;
}
