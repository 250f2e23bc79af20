/* kwb-modules.c — the guest's kernel modules as a GListModel, with their symbols loaded in GDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the kernel's lx-symbols script does, in C and silently. A module is
 * caught once it is linked and its sections are in mod->sect_attrs, but
 * before its init has run. We read the section addresses,
 * `add-symbol-file X.ko TEXT -s SECT ADDR …` and continue; GDB re-resolves
 * pending breakpoints on the way, so one in the module's init function
 * hits. The struct, section table and section names take three raw reads.
 * No stop when init returns: the module is taken as live when the guest
 * runs on (assume_inits_done). How the guest is stopped depends on the
 * accelerator:
 * - under TCG, by watchpoints (JOB_LISTED, JOB_SECTIONS). QEMU's stub
 *   drops all the code it has translated at every breakpoint and
 *   single-step stop, which costs the guest about 0.1 s each time, and
 *   runs every instruction on the page of a breakpoint as a block of its
 *   own (do_init_module shares its page with the return to user space).
 *   A watchpoint stop costs neither. One watchpoint is on `modules.next`:
 *   a loading module is linked in first, and its sect_attrs pointer gets
 *   a watchpoint of its own. The kernel sets that pointer when the
 *   sections are in place, just before init, and clears it as the module
 *   goes, before its memory is freed: there `remove-symbol-file` and the
 *   module leaves the model. Two cheap stops per load; one per unload,
 *   two when the module was the list's first.
 * - under KVM (four debug registers, no translated code to lose), by
 *   breakpoints at do_init_module()'s entry, the module's address from the
 *   arguments GDB printed in the stop, and in free_module(). Their
 *   addresses come from vmlinux's symbol table, cheaper for GDB to place
 *   than a name. Also the way for a kernel without mod->sect_attrs.
 *
 * Also:
 * - struct module's layout is the reader's, known from a file kept per
 *   vmlinux or probed when the first module is read (with_layout), never
 *   before the guest first runs.
 * - at every user-visible stop (and when we attach to a guest that already
 *   runs) the kernel's `modules` list is walked: states are refreshed, and
 *   modules we did not see load (attach) get their symbols and, under TCG,
 *   their watchpoint too; one left on a module the list no longer has (a
 *   load that failed early) is dropped.
 *
 * This file is the when: a job queue that serialises everything, and the
 * list model. How a struct module is read is KwbModuleReader's business,
 * where a .ko is KwbModuleFiles'. Symbols are loaded one way only
 * (load_symbols): automatically for a new module, and as a queued job for
 * "Load symbols from…". Its GDB commands go through the session's console,
 * which runs them at once while the guest is halted (an internal or a user
 * stop) and interrupts a running guest for them. A job that finds the guest
 * running again (the user pressed continue) gives up quietly.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-elf.h"
#include "kwb-module-build.h"
#include "kwb-module-files.h"
#include "kwb-modules.h"
#include "kwb-session-private.h"

typedef enum {
  JOB_ATTACH,   /* probe, internal breakpoints, first walk */
  JOB_INIT,     /* do_init_module hit: the guest waits for internal_done */
  JOB_FREE,     /* free_module hit: likewise */
  JOB_LISTED,   /* `modules` written (TCG): likewise */
  JOB_SECTIONS, /* a module's sect_attrs written (TCG): likewise */
  JOB_REFRESH,  /* a user stop: walk the list */
  JOB_LOAD,     /* "Load symbols from…" */
} JobKind;

typedef struct _Job Job;
typedef void (*DoneFunc) (Job *job);
typedef void (*MergedFunc) (Job *job, KwbModule *module, gboolean is_new);

struct _Job
{
  JobKind     kind;
  KwbModules *self;
  gboolean    in_setup;      /* ATTACH from the session's setup step */
  GTask      *task;          /* LOAD: the caller's, returned by job_finish */
  KwbModule  *module;        /* INIT, LOAD: the module at hand */
  char       *ko_path;       /* LOAD: the file chosen */
  GArray     *addresses;     /* ATTACH, REFRESH: guint64 struct module addresses */
  guint       next;          /* ATTACH, REFRESH: index in addresses */
  guint64     address;       /* INIT, FREE, SECTIONS: the guest's struct module (0: not known
                              * yet); LISTED: what `modules.next` now points to */
  guint64     written;       /* SECTIONS: the new mod->sect_attrs */
  gboolean    loaded;        /* LOAD: GDB took the symbols */
  GError     *error;         /* LOAD: why the symbols did not load */
  MergedFunc  merged;        /* INIT, REFRESH: after read_into_model */
  void      (*after_probe) (Job *job);
  KwbGdbBreakFlags break_flags; /* ATTACH */
  guint       watch_next;    /* REFRESH: model index for sync_section_watches */
  guint       inserts_pending; /* ATTACH */
};

struct _KwbModules
{
  GObject          parent_instance;

  KwbSession      *session;
  KwbModuleReader *reader;
  KwbModuleFiles  *files;
  GListStore      *store;
  gboolean         attached;
  gboolean         ready;
  gboolean         probed;       /* the reader knows this kernel's struct module */
  gboolean         init_bp_set;  /* our breakpoint in do_init_module is there */
  gboolean         free_bp_set;  /* and the one in free_module */
  gboolean         list_watch_set; /* or, under TCG, our watchpoint on `modules` */
  guint64          list_head;    /* &modules, for that watchpoint */
  guint64          init_address; /* do_init_module, free_module: 0 unknown */
  guint64          free_address;
  GHashTable      *section_watches; /* GDB number → guint64 *: whose mod->sect_attrs it watches */

  GQueue           jobs;
  Job             *current;
};

static void kwb_modules_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KwbModules, kwb_modules, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, kwb_modules_list_model_init))
G_DEFINE_QUARK (kwb-modules-error-quark, kwb_modules_error)

enum {
  PROP_0,
  PROP_READY,
  N_PROPS
};

enum {
  MODULE_LOADED,
  MODULE_UNLOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void run_next_job (KwbModules *self);

/* ---- GListModel: the store's ---- */

static GType
kwb_modules_get_item_type (GListModel *model)
{
  return KWB_TYPE_MODULE;
}

static guint
kwb_modules_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (KWB_MODULES (model)->store));
}

static gpointer
kwb_modules_get_item (GListModel *model,
                      guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (KWB_MODULES (model)->store), position);
}

static void
kwb_modules_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kwb_modules_get_item_type;
  iface->get_n_items = kwb_modules_get_n_items;
  iface->get_item = kwb_modules_get_item;
}

static void
on_items_changed (GListModel *store,
                  guint       position,
                  guint       removed,
                  guint       added,
                  KwbModules *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* ---- GObject ---- */

static void
job_free (Job *job)
{
  if (job->task != NULL)
    {
      g_task_return_new_error (job->task, KWB_MODULES_ERROR, KWB_MODULES_ERROR_NOT_LOADED,
                               _("The debug session ended"));
      g_object_unref (job->task);
    }
  g_clear_object (&job->module);
  g_free (job->ko_path);
  g_clear_pointer (&job->addresses, g_array_unref);
  g_clear_error (&job->error);
  g_free (job);
}

static void
kwb_modules_dispose (GObject *object)
{
  KwbModules *self = (KwbModules *) object;
  Job *job;

  while ((job = g_queue_pop_head (&self->jobs)) != NULL)
    job_free (job);
  G_OBJECT_CLASS (kwb_modules_parent_class)->dispose (object);
}

static void
kwb_modules_finalize (GObject *object)
{
  KwbModules *self = (KwbModules *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->reader);
  g_clear_object (&self->files);
  g_clear_object (&self->store);
  g_clear_pointer (&self->section_watches, g_hash_table_unref);
  G_OBJECT_CLASS (kwb_modules_parent_class)->finalize (object);
}

static void
kwb_modules_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KwbModules *self = KWB_MODULES (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_modules_class_init (KwbModulesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_modules_dispose;
  object_class->finalize = kwb_modules_finalize;
  object_class->get_property = kwb_modules_get_property;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KwbModules::module-loaded:
   * @module: a module that appeared, its symbols loaded (or the reason why not)
   */
  signals[MODULE_LOADED] =
    g_signal_new ("module-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KWB_TYPE_MODULE);
  /**
   * KwbModules::module-unloaded:
   * @module: a module that left the guest; its symbols are gone from GDB
   */
  signals[MODULE_UNLOADED] =
    g_signal_new ("module-unloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KWB_TYPE_MODULE);
}

static void
kwb_modules_init (KwbModules *self)
{
  self->store = g_list_store_new (KWB_TYPE_MODULE);
  self->section_watches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->jobs);
  g_signal_connect (self->store, "items-changed", G_CALLBACK (on_items_changed), self);
}

/* ---- the model ---- */

static KwbModule *
find_by_address (KwbModules *self,
                 guint64     address,
                 guint      *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbModule) module = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (kwb_module_get_address (module) == address)
        {
          if (position != NULL)
            *position = i;
          return module; /* the store keeps it alive */
        }
    }
  return NULL;
}

static char *
normalize_name (const char *name)
{
  char *copy = g_strdup (name);

  g_strdelimit (copy, "-", '_');
  return copy;
}

KwbModule *
kwb_modules_lookup (KwbModules *self,
                    const char *name)
{
  g_autofree char *wanted = NULL;
  guint n;

  g_return_val_if_fail (KWB_IS_MODULES (self), NULL);

  wanted = normalize_name (name);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbModule) module = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      g_autofree char *have = normalize_name (kwb_module_get_name (module));

      if (g_str_equal (have, wanted))
        return module;
    }
  return NULL;
}

/* Puts a freshly read module in the model (or updates the one there). */
static KwbModule *
merge_module (KwbModules *self,
              KwbModule  *fresh,
              gboolean   *is_new)
{
  KwbModule *known = find_by_address (self, kwb_module_get_address (fresh), NULL);

  if (known != NULL && g_strcmp0 (kwb_module_get_name (known), kwb_module_get_name (fresh)) == 0)
    {
      kwb_module_set_state (known, kwb_module_get_state (fresh));
      if (kwb_module_get_n_sections (known) == 0)
        for (guint i = 0; i < kwb_module_get_n_sections (fresh); i++)
          {
            guint64 address;
            const char *name = kwb_module_get_section (fresh, i, &address);

            kwb_module_add_section (known, name, address);
          }
      kwb_module_set_text_address (known, kwb_module_get_text_address (fresh));
      kwb_module_set_size (known, kwb_module_get_size (fresh));
      *is_new = FALSE;
      return known;
    }
  g_list_store_append (self->store, fresh);
  *is_new = TRUE;
  return fresh;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbModule) fresh = kwb_module_reader_read_finish (KWB_MODULE_READER (object), result, &error);
  KwbModule *module = NULL;
  gboolean is_new = FALSE;

  if (fresh == NULL)
    g_debug ("modules: %s", error->message);
  /* Not formed yet (a user stop inside load_module): do_init_module will
   * come for it. */
  else if (kwb_module_get_state (fresh) != KWB_MODULE_STATE_UNFORMED)
    module = merge_module (job->self, fresh, &is_new);
  job->merged (job, module, is_new);
}

/* Reads the struct module EXPR points to into the model, then FUNC with
 * the module there (NULL: unreadable, or not formed yet). */
static void
read_into_model (Job        *job,
                 const char *expr,
                 MergedFunc  func)
{
  job->merged = func;
  kwb_module_reader_read_async (job->self->reader, expr, NULL, read_cb, job);
}

/* ---- the job queue ---- */

static Job *
job_new (KwbModules *self,
         JobKind     kind)
{
  Job *job = g_new0 (Job, 1);

  job->self = self;
  job->kind = kind;
  return job;
}

static void
enqueue (KwbModules *self,
         Job        *job)
{
  g_queue_push_tail (&self->jobs, job);
  run_next_job (self);
}

/* The guest is halted at an internal breakpoint and waits for JOB: it runs
 * before anything queued. */
static void
enqueue_first (KwbModules *self,
               Job        *job)
{
  g_queue_push_head (&self->jobs, job);
  run_next_job (self);
}

static void
job_finish (Job *job)
{
  KwbModules *self = job->self;

  g_assert (self->current == job);
  self->current = NULL;
  switch (job->kind)
    {
    case JOB_INIT:
    case JOB_FREE:
    case JOB_LISTED:
    case JOB_SECTIONS:
      g_debug ("modules: internal stop handled, continuing");
      kwb_session_internal_done (self->session);
      break;
    case JOB_ATTACH:
      if (!self->ready && self->attached)
        {
          self->ready = TRUE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
        }
      if (job->in_setup)
        kwb_session_setup_done (self->session);
      break;
    case JOB_LOAD:
      if (job->loaded)
        g_task_return_boolean (job->task, TRUE);
      else if (job->error != NULL)
        g_task_return_error (job->task, g_steal_pointer (&job->error));
      else
        g_task_return_new_error (job->task, KWB_MODULES_ERROR, KWB_MODULES_ERROR_NOT_LOADED,
                                 _("The debug session ended"));
      g_clear_object (&job->task);
      break;
    case JOB_REFRESH:
    default:
      break;
    }
  job_free (job);
  run_next_job (self);
  g_object_unref (self);
}

static gboolean
session_live (KwbModules *self)
{
  KwbSessionState state = kwb_session_get_state (self->session);

  return kwb_session_get_gdb (self->session) != NULL &&
         (state == KWB_SESSION_STATE_STARTING || state == KWB_SESSION_STATE_RUNNING ||
          state == KWB_SESSION_STATE_STOPPED);
}

/* ---- loading and removing symbols: the one way ---- */

typedef struct {
  Job       *job;
  KwbModule *module;
  char      *ko_path;
  char      *gdb_path; /* what GDB reads: ko_path or its readable copy */
  DoneFunc   done;
} SymbolsOp;

static void
symbols_op_free (SymbolsOp *op)
{
  g_object_unref (op->module);
  g_free (op->ko_path);
  g_free (op->gdb_path);
  g_free (op);
}

static char *
dup_remove_command (KwbModule *module)
{
  guint64 text = kwb_module_get_text_address (module);

  kwb_module_lookup_section (module, ".text", &text);
  return g_strdup_printf ("remove-symbol-file -a 0x%" G_GINT64_MODIFIER "x", text);
}

/* No symbols for the job's module, and why: on the module for its row,
 * and on the job for a caller who asked. */
static void
symbols_failed (Job        *job,
                KwbModule  *module,
                const char *problem,
                const char * const *searched)
{
  g_debug ("modules: %s", problem);
  kwb_module_set_symbols (module, NULL);
  kwb_module_set_symbols_problem (module, problem, searched);
  g_clear_error (&job->error);
  job->error = g_error_new_literal (KWB_MODULES_ERROR, KWB_MODULES_ERROR_SYMBOLS, problem);
}

static void
add_symbol_file_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SymbolsOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, &error);

  if (out == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("GDB could not load the symbols of %s: %s"),
                                                  op->ko_path, error->message);

      symbols_failed (op->job, op->module, problem, NULL);
    }
  else
    {
      kwb_module_set_symbols (op->module, op->ko_path);
      op->job->loaded = TRUE;
    }
  op->done (op->job);
  symbols_op_free (op);
}

static void
add_symbol_file (SymbolsOp *op)
{
  g_autofree char *command = kwb_module_dup_add_symbol_file_command (op->module, op->gdb_path);

  g_debug ("modules: %s", command);
  kwb_session_console_async (op->job->self->session, command, NULL, add_symbol_file_cb, op);
}

static void
remove_then_add_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SymbolsOp *op = user_data;
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, NULL);

  kwb_module_set_symbols (op->module, NULL);
  add_symbol_file (op);
}

/* Loads MODULE's symbols from KO_PATH (NULL: the .ko found on the search
 * path), replacing any loaded before, then calls DONE. Failures are
 * recorded on the module and in job->error. */
static void
load_symbols (Job        *job,
              KwbModule  *module,
              const char *ko_path,
              DoneFunc    done)
{
  KwbModules *self = job->self;
  g_autofree char *found = NULL;
  g_autofree char *gdb_path = NULL;
  g_autoptr(GError) error = NULL;
  SymbolsOp *op;

  if (ko_path == NULL && !kwb_module_get_name_is_safe (module))
    {
      g_autofree char *problem =
        g_strdup_printf (_("Symbols not loaded: the guest gave this module the name %s, which is "
                           "not a valid module name. Load them from a chosen file if you trust it."),
                         kwb_module_get_name (module));

      symbols_failed (job, module, problem, NULL);
      done (job);
      return;
    }
  if (ko_path == NULL)
    {
      const char * const *searched = kwb_module_files_get_search_path (self->files);

      found = kwb_module_files_find (self->files, kwb_module_get_name (module));
      if (found == NULL)
        {
          g_autofree char *joined = g_strjoinv (", ", (char **) searched);
          g_autofree char *problem =
            g_strdup_printf (_("Symbols not found: no %s.ko in %s. Add its folder to "
                               "[modules] search-path or load them from a chosen file."),
                             kwb_module_get_name (module), *joined ? joined : _("(no folders)"));

          symbols_failed (job, module, problem, searched);
          done (job);
          return;
        }
      ko_path = found;
    }
  if ((gdb_path = kwb_module_files_dup_gdb_readable (ko_path, &error)) == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("Cannot read the symbols of %s: %s"), ko_path, error->message);

      symbols_failed (job, module, problem, NULL);
      done (job);
      return;
    }

  op = g_new0 (SymbolsOp, 1);
  op->job = job;
  op->module = g_object_ref (module);
  op->ko_path = g_strdup (ko_path);
  op->gdb_path = g_steal_pointer (&gdb_path);
  op->done = done;
  if (kwb_module_get_symbols_loaded (module))
    {
      g_autofree char *remove = dup_remove_command (module);

      kwb_session_console_async (self->session, remove, NULL, remove_then_add_cb, op);
    }
  else
    add_symbol_file (op);
}

typedef struct {
  Job       *job;
  KwbModule *module;
  DoneFunc   done;
} RemoveOp;

static void
remove_symbol_file_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  RemoveOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, &error);

  if (out == NULL)
    g_debug ("modules: remove-symbol-file for %s: %s", kwb_module_get_name (op->module), error->message);
  kwb_module_set_symbols (op->module, NULL);
  op->done (op->job);
  g_object_unref (op->module);
  g_free (op);
}

/* Drops MODULE from the model (and its symbols from GDB), then DONE. */
static void
remove_module (Job       *job,
               KwbModule *module,
               DoneFunc   done)
{
  KwbModules *self = job->self;
  g_autoptr(KwbModule) keep = g_object_ref (module);
  guint position;

  if (find_by_address (self, kwb_module_get_address (module), &position))
    g_list_store_remove (self->store, position);
  kwb_module_set_state (module, KWB_MODULE_STATE_GOING);
  g_signal_emit (self, signals[MODULE_UNLOADED], 0, module);

  if (kwb_module_get_symbols_loaded (module) && session_live (self))
    {
      RemoveOp *op = g_new0 (RemoveOp, 1);
      g_autofree char *command = dup_remove_command (module);

      op->job = job;
      op->module = g_steal_pointer (&keep);
      op->done = done;
      kwb_session_console_async (self->session, command, NULL, remove_symbol_file_cb, op);
      return;
    }
  done (job);
}

/* ---- JOB_INIT: do_init_module, the module not yet initialised ---- */

/* The guest runs on: every init in progress is taken as done, which is
 * what it leaves unless it fails (free_module() then removes the module)
 * or still runs at the next stop (whose walk says "coming" again). Seeing
 * it return would cost a stop of its own. */
static void
assume_inits_done (KwbModules *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbModule) module = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (kwb_module_get_state (module) == KWB_MODULE_STATE_COMING)
        kwb_module_set_state (module, KWB_MODULE_STATE_LIVE);
    }
}

static void
init_symbols_done (Job *job)
{
  g_signal_emit (job->self, signals[MODULE_LOADED], 0, job->module);
  assume_inits_done (job->self);
  job_finish (job);
}

static void
init_merged (Job       *job,
             KwbModule *module,
             gboolean   is_new)
{
  if (module == NULL)
    {
      job_finish (job);
      return;
    }
  g_set_object (&job->module, module);
  if (kwb_module_get_symbols_loaded (module))
    init_symbols_done (job);
  else
    load_symbols (job, module, NULL, init_symbols_done);
}

static void
init_read (Job *job)
{
  g_autofree char *expr = NULL;

  if (job->address != 0)
    expr = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", job->address);
  read_into_model (job, expr ? expr : "mod", init_merged);
}

/* ---- JOB_FREE: free_module ---- */

static void
free_module_at (Job     *job,
                guint64  address)
{
  KwbModule *module = find_by_address (job->self, address, NULL);

  if (module != NULL)
    remove_module (job, module, job_finish);
  else
    job_finish (job);
}

static void
free_address_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Job *job = user_data;
  guint64 address;

  if (kwb_module_reader_read_u64_finish (KWB_MODULE_READER (object), result, &address, NULL))
    free_module_at (job, address);
  else
    job_finish (job);
}

/* ---- JOB_LISTED, JOB_SECTIONS: under TCG, watchpoints ---- */

static void on_sections_hit (KwbSession *session, const KwbGdbStop *stop, gpointer user_data);

/* The number of the watchpoint on the sect_attrs of the module at ADDRESS. */
static const char *
section_watch_for (KwbModules *self,
                   guint64     address)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->section_watches);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(guint64 *) value == address)
      return key;
  return NULL;
}

static void
unwatch_sections (KwbModules *self,
                  guint64     address)
{
  g_autofree char *number = g_strdup (section_watch_for (self, address));

  if (number == NULL)
    return;
  g_hash_table_remove (self->section_watches, number);
  kwb_session_remove_internal (self->session, number);
}

typedef struct {
  Job      *job;
  guint64   address;
  DoneFunc  done;
} WatchOp;

static void
section_watch_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  WatchOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = kwb_session_add_internal_breakpoint_finish (KWB_SESSION (object), result, &error);

  if (number == NULL)
    g_debug ("modules: cannot watch the module at 0x%" G_GINT64_MODIFIER "x: %s", op->address, error->message);
  else
    g_hash_table_insert (op->job->self->section_watches, g_steal_pointer (&number),
                         g_memdup2 (&op->address, sizeof op->address));
  op->done (op->job);
  g_free (op);
}

/* Watches mod->sect_attrs of the struct module at ADDRESS, then DONE. The
 * kernel sets it once the module's sections are in place, just before its
 * init runs, and clears it as the module goes, before its memory is freed:
 * the moments we load and drop its symbols. */
static void
watch_sections (Job      *job,
                guint64   address,
                DoneFunc  done)
{
  KwbModules *self = job->self;
  guint64 list_offset, sect_attrs_offset;
  g_autofree char *expression = NULL;
  WatchOp *op;

  if (section_watch_for (self, address) != NULL ||
      !kwb_module_reader_get_offsets (self->reader, &list_offset, &sect_attrs_offset))
    {
      done (job);
      return;
    }
  expression = g_strdup_printf ("*(unsigned long *) 0x%" G_GINT64_MODIFIER "x", address + sect_attrs_offset);
  op = g_new0 (WatchOp, 1);
  op->job = job;
  op->address = address;
  op->done = done;
  kwb_session_add_internal_watch_async (self->session, expression, on_sections_hit, self, NULL,
                                        section_watch_cb, op);
}

/* `modules.next` was written: a module being loaded is linked in first,
 * before its sections are known (we watch its sect_attrs); taking out the
 * first module writes it too (that one is known already). */
static void
listed_run (Job *job)
{
  KwbModules *self = job->self;
  guint64 list_offset, sect_attrs_offset, address;

  if (!kwb_module_reader_get_offsets (self->reader, &list_offset, &sect_attrs_offset) ||
      job->address == self->list_head || job->address <= list_offset)
    {
      job_finish (job);
      return;
    }
  address = job->address - list_offset;
  if (find_by_address (self, address, NULL) != NULL)
    job_finish (job);
  else
    watch_sections (job, address, job_finish);
}

static void
sections_run (Job *job)
{
  if (job->address == 0)
    {
      job_finish (job);
      return;
    }
  if (job->written != 0)
    {
      init_read (job);
      return;
    }
  /* Going: its symbols go before its memory does. */
  unwatch_sections (job->self, job->address);
  free_module_at (job, job->address);
}

static gboolean
address_listed (Job     *job,
                guint64  address)
{
  for (guint i = 0; job->addresses != NULL && i < job->addresses->len; i++)
    if (g_array_index (job->addresses, guint64, i) == address)
      return TRUE;
  return FALSE;
}

/* After a walk: every module in the model is watched (those loaded before
 * we attached too), and no watchpoint is left on a module the list no
 * longer has (one whose load failed before its sections were set). */
static void
sync_section_watches (Job *job)
{
  KwbModules *self = job->self;
  GHashTableIter iter;
  gpointer key, value;
  guint n;

  if (!self->list_watch_set || !session_live (self))
    {
      job_finish (job);
      return;
    }
  g_hash_table_iter_init (&iter, self->section_watches);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!address_listed (job, *(guint64 *) value))
      {
        kwb_session_remove_internal (self->session, key);
        g_hash_table_iter_remove (&iter);
      }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  while (job->watch_next < n)
    {
      g_autoptr(KwbModule) module = g_list_model_get_item (G_LIST_MODEL (self->store), job->watch_next++);

      if (section_watch_for (self, kwb_module_get_address (module)) == NULL)
        {
          watch_sections (job, kwb_module_get_address (module), sync_section_watches);
          return;
        }
    }
  job_finish (job);
}

/* ---- JOB_REFRESH (and the end of JOB_ATTACH): walk `modules` ---- */

static void refresh_next_module (Job *job);

static void
refresh_symbols_done (Job *job)
{
  g_signal_emit (job->self, signals[MODULE_LOADED], 0, job->module);
  refresh_next_module (job);
}

static void
refresh_merged (Job       *job,
                KwbModule *module,
                gboolean   is_new)
{
  if (module == NULL && !session_live (job->self))
    {
      job_finish (job);
      return;
    }
  if (module == NULL || !is_new)
    {
      refresh_next_module (job);
      return;
    }
  g_set_object (&job->module, module);
  load_symbols (job, module, NULL, refresh_symbols_done);
}

static void refresh_remove_gone (Job *job);

static void
refresh_next_module (Job *job)
{
  g_autofree char *expr = NULL;

  if (job->next >= job->addresses->len)
    {
      refresh_remove_gone (job);
      return;
    }
  expr = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", g_array_index (job->addresses, guint64, job->next++));
  read_into_model (job, expr, refresh_merged);
}

static void
refresh_remove_gone (Job *job)
{
  KwbModules *self = job->self;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbModule) module = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      gboolean present = FALSE;

      for (guint j = 0; j < job->addresses->len && !present; j++)
        present = g_array_index (job->addresses, guint64, j) == kwb_module_get_address (module);
      if (!present)
        {
          remove_module (job, module, refresh_remove_gone);
          return;
        }
    }
  job->watch_next = 0;
  sync_section_watches (job);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;

  job->addresses = kwb_module_reader_list_finish (KWB_MODULE_READER (object), result, &error);
  if (job->addresses == NULL)
    {
      /* Interrupted (the guest runs again): leave the model as it is. */
      g_debug ("modules: %s", error->message);
      job_finish (job);
      return;
    }
  job->next = 0;
  refresh_next_module (job);
}

static void
start_walk (Job *job)
{
  kwb_module_reader_list_async (job->self->reader, NULL, list_cb, job);
}

/* ---- the layout, probed when a read first needs it ---- */

typedef void (*JobFunc) (Job *job);

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Job *job = user_data;
  JobFunc next = job->after_probe;

  if (!kwb_module_reader_probe_finish (KWB_MODULE_READER (object), result, NULL))
    {
      /* The debug information hides struct module: nothing to read. */
      g_debug ("modules: no struct module layout to read modules with");
      job_finish (job);
      return;
    }
  job->self->probed = TRUE;
  next (job);
}

/* NEXT once the reader knows struct module: from the layout kept for this
 * vmlinux, else asked of GDB the first time a module is read, not at the
 * session's start (on a distribution's vmlinux that costs GDB a
 * compilation unit's expansion before the guest first runs). */
static void
with_layout (Job     *job,
             JobFunc  next)
{
  if (job->self->probed)
    {
      next (job);
      return;
    }
  job->after_probe = next;
  kwb_module_reader_probe_async (job->self->reader, NULL, probe_cb, job);
}

/* ---- JOB_ATTACH ---- */

static void on_init_hit (KwbSession *session, const KwbGdbStop *stop, gpointer user_data);
static void on_free_hit (KwbSession *session, const KwbGdbStop *stop, gpointer user_data);
static void on_list_hit (KwbSession *session, const KwbGdbStop *stop, gpointer user_data);

static void
breakpoints_done (Job *job)
{
  KwbModules *self = job->self;

  if (--job->inserts_pending > 0)
    return;
  if (!self->init_bp_set && !self->list_watch_set)
    {
      /* The guest ran on meanwhile (the user continued during an attach):
       * try again at the next stop. */
      self->attached = FALSE;
      job_finish (job);
      return;
    }
  /* Before the kernel ran (the session's setup) no module can be loaded. */
  if (job->in_setup)
    job_finish (job);
  else
    with_layout (job, start_walk);
}

static void
internal_free_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = kwb_session_add_internal_breakpoint_finish (KWB_SESSION (object), result, &error);

  if (number == NULL)
    g_debug ("modules: no breakpoint in free_module (%s): unloads are seen at the next stop",
             error->message);
  job->self->free_bp_set = number != NULL;
  breakpoints_done (job);
}

static void
internal_init_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = kwb_session_add_internal_breakpoint_finish (KWB_SESSION (object), result, &error);

  if (number == NULL)
    g_debug ("modules: no breakpoint in do_init_module (%s)", error->message);
  job->self->init_bp_set = number != NULL;
  breakpoints_done (job);
}

/* "*0x…" from vmlinux's own symbol table: GDB places a location by name
 * after the function's prologue, which on a distribution's vmlinux costs
 * about twice as much (it expands the function's compilation unit to find
 * it), and the stop at the entry has the arguments where the ABI puts them. */
static char *
dup_entry_location (guint64     address,
                    const char *name)
{
  if (address == 0)
    return g_strdup (name);
  return g_strdup_printf ("*0x%" G_GINT64_MODIFIER "x", address);
}

static void
place_breakpoints (Job *job)
{
  KwbModules *self = job->self;
  g_autofree char *init_location = dup_entry_location (self->init_address, "do_init_module");
  g_autofree char *free_location = dup_entry_location (self->free_address, "free_module");

  /* Under KVM a software breakpoint set before the kernel has set up its
   * page tables is lost, as the session's own early ones are; and one at a
   * function's entry is an int3 in guest memory where ftrace patches
   * its calls. The debug registers have neither problem. */
  job->break_flags = KWB_GDB_BREAK_NONE;
  if (g_strcmp0 (kwb_qemu_get_accelerator (kwb_session_get_qemu (self->session)), "kvm") == 0 &&
      (job->in_setup || self->init_address != 0))
    job->break_flags |= KWB_GDB_BREAK_HARDWARE;
  /* Both are asked for at once, so that nothing the user does at the
   * stop (a continue) comes between them; one placed at an earlier try
   * is not placed again. */
  job->inserts_pending = 1; /* held until both are asked for */
  if (!self->init_bp_set)
    {
      job->inserts_pending++;
      kwb_session_add_internal_breakpoint_async (self->session, init_location, job->break_flags,
                                                 on_init_hit, self, NULL, internal_init_cb, job);
    }
  if (!self->free_bp_set)
    {
      job->inserts_pending++;
      kwb_session_add_internal_breakpoint_async (self->session, free_location, job->break_flags,
                                                 on_free_hit, self, NULL, internal_free_cb, job);
    }
  breakpoints_done (job);
}

static void
internal_list_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = kwb_session_add_internal_breakpoint_finish (KWB_SESSION (object), result, &error);

  if (number != NULL)
    {
      job->self->list_watch_set = TRUE;
      breakpoints_done (job);
      return;
    }
  g_debug ("modules: no watchpoint on the module list (%s): breakpoints instead", error->message);
  job->self->list_head = 0;
  if (session_live (job->self))
    place_breakpoints (job);
  else
    breakpoints_done (job);
}

static void
attach_breakpoints (Job *job)
{
  KwbModules *self = job->self;
  const char *vmlinux = kwb_session_config_get_vmlinux (kwb_session_get_config (self->session));
  const char * const names[] = { "do_init_module", "free_module", "module_sect_read", NULL };
  const char * const objects[] = { "modules", NULL };
  guint64 addresses[G_N_ELEMENTS (names) - 1] = { 0, 0, 0 };
  guint64 list_head = 0;
  KwbElf *elf;

  if (vmlinux != NULL && !self->list_watch_set && !self->init_bp_set &&
      (elf = kwb_elf_open (vmlinux, NULL)) != NULL)
    {
      gboolean have_symtab = kwb_elf_lookup_functions (elf, names, addresses);

      kwb_elf_lookup_objects (elf, objects, &list_head);
      kwb_elf_free (elf);
      if (have_symtab && addresses[0] == 0)
        {
          /* A kernel without CONFIG_MODULES: nothing to follow. */
          g_debug ("modules: no do_init_module in %s", vmlinux);
          job_finish (job);
          return;
        }
      self->init_address = addresses[0];
      self->free_address = addresses[1];
      /* module_sect_read() is there when the kernel fills mod->sect_attrs
       * (CONFIG_KALLSYMS and CONFIG_SYSFS), which the watchpoints need. */
      if (addresses[2] != 0 &&
          g_strcmp0 (kwb_qemu_get_accelerator (kwb_session_get_qemu (self->session)), "kvm") != 0)
        self->list_head = list_head;
    }
  if (self->list_head == 0)
    {
      place_breakpoints (job);
      return;
    }
  job->inserts_pending = 1;
  if (!self->list_watch_set)
    {
      g_autofree char *expression = g_strdup_printf ("*(unsigned long *) 0x%" G_GINT64_MODIFIER "x",
                                                     self->list_head);

      job->inserts_pending++;
      kwb_session_add_internal_watch_async (self->session, expression, on_list_hit, self, NULL,
                                            internal_list_cb, job);
    }
  breakpoints_done (job);
}

/* Module projects are built from a copy (kwb-module-build.c): their debug
 * information names the copy, the user edits the original. */
static void
add_substitute_paths (KwbModules *self)
{
  KwbProject *project = kwb_session_config_get_project (kwb_session_get_config (self->session));
  g_auto(GStrv) sources = kwb_project_dup_string_list (project, "modules", "projects");

  for (guint i = 0; sources[i] != NULL; i++)
    {
      g_autofree char *source = g_canonicalize_filename (sources[i], kwb_project_get_directory (project));
      g_autofree char *copy = kwb_module_build_dup_build_dir (project, sources[i]);
      g_autofree char *command = kwb_gdb_dup_substitute_path_command (copy, source);

      kwb_gdb_console_async (kwb_session_get_gdb (self->session), command, NULL, NULL, NULL);
    }
}

/* ---- JOB_LOAD ---- */

static void
load_job_run (Job *job)
{
  if (find_by_address (job->self, kwb_module_get_address (job->module), NULL) == NULL)
    {
      job->error = g_error_new (KWB_MODULES_ERROR, KWB_MODULES_ERROR_NOT_LOADED,
                                _("Module %s is not loaded in the guest any more"),
                                kwb_module_get_name (job->module));
      job_finish (job);
      return;
    }
  load_symbols (job, job->module, job->ko_path, job_finish);
}

/* ---- running jobs ---- */

static void
run_job (KwbModules *self,
         Job        *job)
{
  self->current = job;
  g_object_ref (self); /* dropped by job_finish */

  if (!session_live (self))
    {
      job_finish (job);
      return;
    }

  switch (job->kind)
    {
    case JOB_ATTACH:
      add_substitute_paths (self);
      attach_breakpoints (job);
      break;
    case JOB_INIT:
      g_debug ("modules: do_init_module");
      with_layout (job, init_read);
      break;
    case JOB_FREE:
      if (job->address != 0)
        free_module_at (job, job->address);
      else
        kwb_module_reader_read_u64_async (self->reader, "(unsigned long)mod", NULL, free_address_cb, job);
      break;
    case JOB_LISTED:
      with_layout (job, listed_run);
      break;
    case JOB_SECTIONS:
      with_layout (job, sections_run);
      break;
    case JOB_REFRESH:
      if (!self->ready)
        {
          job_finish (job);
          return;
        }
      with_layout (job, start_walk);
      break;
    case JOB_LOAD:
      load_job_run (job);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
run_next_job (KwbModules *self)
{
  Job *job;

  if (self->current != NULL || (job = g_queue_pop_head (&self->jobs)) == NULL)
    return;
  run_job (self, job);
}

/* ---- the session's side ---- */

static void
on_init_hit (KwbSession       *session,
             const KwbGdbStop *stop,
             gpointer          user_data)
{
  KwbModules *self = user_data;
  Job *job = job_new (self, JOB_INIT);

  /* GDB printed do_init_module's argument in the stop: no evaluation. */
  if (!kwb_gdb_stop_get_pointer_arg (stop, "mod", &job->address))
    job->address = 0;
  enqueue_first (self, job);
}

static void
on_free_hit (KwbSession       *session,
             const KwbGdbStop *stop,
             gpointer          user_data)
{
  KwbModules *self = user_data;
  Job *job = job_new (self, JOB_FREE);

  if (!kwb_gdb_stop_get_pointer_arg (stop, "mod", &job->address))
    job->address = 0;
  enqueue_first (self, job);
}

/* GDB prints the watched unsigned long as it was written, in decimal. */
static gboolean
parse_written (const KwbGdbStop *stop,
               guint64          *out)
{
  g_autoptr(GError) error = NULL;

  return stop->value_new != NULL &&
         g_ascii_string_to_unsigned (stop->value_new, 10, 0, G_MAXUINT64, out, &error);
}

static void
on_list_hit (KwbSession       *session,
             const KwbGdbStop *stop,
             gpointer          user_data)
{
  KwbModules *self = user_data;
  Job *job = job_new (self, JOB_LISTED);

  if (!parse_written (stop, &job->address))
    job->address = 0;
  enqueue_first (self, job);
}

static void
on_sections_hit (KwbSession       *session,
                 const KwbGdbStop *stop,
                 gpointer          user_data)
{
  KwbModules *self = user_data;
  g_autofree char *number = g_strdup_printf ("%d", stop->watch_number);
  const guint64 *address = g_hash_table_lookup (self->section_watches, number);
  Job *job = job_new (self, JOB_SECTIONS);

  /* 0: not one of ours any more, or nothing we can read; it runs on. */
  if (address != NULL && parse_written (stop, &job->written))
    job->address = *address;
  enqueue_first (self, job);
}

static void
on_session_stopped (KwbSession *session,
                    KwbGdbStop *stop,
                    KwbModules *self)
{
  if (!self->attached)
    {
      self->attached = TRUE;
      enqueue (self, job_new (self, JOB_ATTACH));
      return;
    }
  /* One walk at a time is enough: a queued one will see this stop too. */
  for (GList *l = self->jobs.head; l != NULL; l = l->next)
    if (((Job *) l->data)->kind == JOB_REFRESH)
      return;
  enqueue (self, job_new (self, JOB_REFRESH));
}

static void
on_session_state_changed (KwbSession      *session,
                          KwbSessionState  old_state,
                          KwbSessionState  new_state,
                          KwbModules      *self)
{
  if (new_state == KWB_SESSION_STATE_RUNNING)
    assume_inits_done (self);
}

static void
setup_func (KwbSession *session,
            gpointer    user_data)
{
  KwbModules *self = user_data;
  Job *job = job_new (self, JOB_ATTACH);

  self->attached = TRUE;
  job->in_setup = TRUE;
  enqueue (self, job);
}

KwbModules *
kwb_modules_new (KwbSession *session)
{
  KwbSessionConfig *config;
  KwbModules *self;

  g_return_val_if_fail (KWB_IS_SESSION (session), NULL);

  self = g_object_new (KWB_TYPE_MODULES, NULL);
  self->session = g_object_ref (session);
  self->reader = kwb_module_reader_new (session);
  config = kwb_session_get_config (session);
  self->files = kwb_module_files_new_for_project (kwb_session_config_get_project (config),
                                                  kwb_session_config_get_build_dir (config));
  g_signal_connect_object (session, "stopped", G_CALLBACK (on_session_stopped), self, 0);
  g_signal_connect_object (session, "state-changed", G_CALLBACK (on_session_state_changed), self, 0);

  /* The session refs nothing of ours: the caller keeps us for the
   * session's lifetime. Running (or starting): attach at the next stop. */
  if (kwb_session_get_state (session) == KWB_SESSION_STATE_IDLE)
    {
      KwbProject *project = kwb_session_config_get_project (config);
      g_auto(GStrv) projects = kwb_project_dup_string_list (project, "modules", "projects");
      g_auto(GStrv) extra = kwb_project_dup_string_list (project, "initramfs", "modules");

      kwb_session_add_setup_func (session, setup_func, self);
      /* A breakpoint in a module that is not loaded yet hits once it is; a
       * project without modules of its own keeps refusing a name that is
       * nowhere (most likely a typo). */
      if (g_strv_length (projects) + g_strv_length (extra) > 0)
        kwb_session_set_pending_allowed (session, TRUE);
    }
  else if (kwb_session_get_state (session) == KWB_SESSION_STATE_STOPPED)
    {
      self->attached = TRUE;
      enqueue (self, job_new (self, JOB_ATTACH));
    }
  return self;
}

KwbModulesLayout
kwb_modules_get_layout (KwbModules *self)
{
  g_return_val_if_fail (KWB_IS_MODULES (self), KWB_MODULES_LAYOUT_UNKNOWN);
  return kwb_module_reader_get_layout (self->reader);
}

gboolean
kwb_modules_get_ready (KwbModules *self)
{
  g_return_val_if_fail (KWB_IS_MODULES (self), FALSE);
  return self->ready;
}

/* ---- Load symbols from… ---- */

void
kwb_modules_load_symbols_async (KwbModules          *self,
                                KwbModule           *module,
                                const char          *ko_path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (KWB_IS_MODULES (self));
  g_return_if_fail (KWB_IS_MODULE (module));
  g_return_if_fail (ko_path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_modules_load_symbols_async);
  if (find_by_address (self, kwb_module_get_address (module), NULL) == NULL)
    {
      g_task_return_new_error (task, KWB_MODULES_ERROR, KWB_MODULES_ERROR_NOT_LOADED,
                               _("Module %s is not loaded in the guest any more"),
                               kwb_module_get_name (module));
      return;
    }
  if (!g_file_test (ko_path, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, KWB_MODULES_ERROR, KWB_MODULES_ERROR_SYMBOLS,
                               _("Cannot load symbols from %s: no such file"), ko_path);
      return;
    }
  job = job_new (self, JOB_LOAD);
  job->task = g_steal_pointer (&task);
  job->module = g_object_ref (module);
  job->ko_path = g_strdup (ko_path);
  enqueue (self, job);
}

gboolean
kwb_modules_load_symbols_finish (KwbModules    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
