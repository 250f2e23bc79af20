/* kwb-modules.c — the guest's kernel modules as a GListModel, with their symbols loaded in GDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the kernel's lx-symbols script does, in C and silently:
 * - an internal breakpoint in do_init_module(): the module is linked and
 *   its sections are in mod->sect_attrs, but its init has not run. We read
 *   the section addresses, `add-symbol-file X.ko TEXT -s SECT ADDR …` and
 *   continue; GDB re-resolves pending breakpoints on the way, so one in the
 *   module's init function hits.
 * - an internal breakpoint in free_module(): `remove-symbol-file` and the
 *   module leaves the model.
 * - at every user-visible stop (and when we attach to a guest that already
 *   runs) the kernel's `modules` list is walked: states are refreshed, and
 *   modules we did not see load (attach) get their symbols too.
 * The text base moved from mod->core_layout (≤ 6.3) to mod->mem[MOD_TEXT]
 * (6.4+): we ask GDB which member the vmlinux has, not the version.
 * Everything is serialised through one job queue; a job that finds the
 * guest running again (the user pressed continue) gives up quietly.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-module-build.h"
#include "kwb-modules.h"
#include "kwb-session-private.h"

#define MAX_MODULES 4096
#define MAX_SECTIONS 256

typedef enum {
  JOB_ATTACH,   /* probe, internal breakpoints, first walk */
  JOB_INIT,     /* do_init_module hit: the guest waits for internal_done */
  JOB_FREE,     /* free_module hit: likewise */
  JOB_RETURN,   /* do_init_module returned: the module is live (or gone) */
  JOB_REFRESH,  /* a user stop: walk the list */
} JobKind;

/* The struct module fields we read, in one piece (see read_module). */
enum {
  F_NAME,
  F_STATE,
  F_SECT_ATTRS,
  F_CORE_BASE,
  F_CORE_SIZE,
  F_MEM0_BASE,
  F_MEM0_SIZE,
  F_MEM1_SIZE,
  F_MEM2_SIZE,
  F_MEM3_SIZE,
  N_FIELDS
};

static const char * const module_fields[N_FIELDS] = {
  "name", "state", "sect_attrs", "core_layout.base", "core_layout.size",
  "mem[0].base", "mem[0].size", "mem[1].size", "mem[2].size", "mem[3].size",
};

typedef struct _Job Job;
typedef void (*ReadFunc) (Job *job, KwbModule *module);

struct _Job
{
  JobKind     kind;
  KwbModules *self;
  gboolean    in_setup;      /* ATTACH from the session's setup step */
  GTask      *task;          /* unused */
  KwbModule  *module;        /* the module being read */
  char       *ko_path;
  char       *expr;          /* "(struct module *)0x…" being read */
  GArray     *addresses;     /* REFRESH: guint64 struct module addresses */
  guint       next;          /* REFRESH: index in addresses */
  guint64     node;          /* REFRESH: list walk position */
  guint64     head;          /* REFRESH: &modules */
  gboolean    failed;
  ReadFunc    read_func;
  guint       n_sections;
  guint       next_section;
  guint64     sect_attrs;    /* the guest's mod->sect_attrs */
  guint64     address;       /* the guest's struct module */
  char       *expr_nsections;
  GArray     *name_ptrs;     /* guint64, per section */
  GArray     *sect_addrs;    /* guint64, per section */
  GPtrArray  *names;         /* char *, per section, NULL until read */
  guint       names_pending;
};

struct _KwbModules
{
  GObject           parent_instance;

  KwbSession       *session;
  GListStore       *store;
  GPtrArray        *search_path;
  gboolean          auto_symbols;
  gboolean          attached;
  gboolean          ready;
  KwbModulesLayout  layout;
  guint64           list_offset;  /* offsetof (struct module, list) */
  guint64           modules_head; /* &modules */
  gboolean          sect_layout_known;
  guint64           sect_attr_size;      /* sizeof (struct module_sect_attr) */
  guint64           sect_name_offset;    /* of battr.attr.name in it */
  guint64           sect_address_offset; /* of address in it */
  guint64           sect_attrs_offset;   /* of attrs[] in struct module_sect_attrs */
  guint64           module_size;         /* sizeof (struct module) */
  guint64           field_offset[N_FIELDS];
  guint64           field_size[N_FIELDS]; /* 0: not in this kernel */

  GQueue            jobs;
  Job              *current;
  GHashTable       *returns;  /* one-shot breakpoint number → guint64 module address */
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
static void job_finish (Job *job);


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
  g_free (job->expr);
  g_free (job->expr_nsections);
  if (job->addresses != NULL)
    g_array_unref (job->addresses);
  if (job->name_ptrs != NULL)
    g_array_unref (job->name_ptrs);
  if (job->sect_addrs != NULL)
    g_array_unref (job->sect_addrs);
  if (job->names != NULL)
    g_ptr_array_unref (job->names);
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
  g_clear_object (&self->store);
  g_ptr_array_unref (self->search_path);
  g_hash_table_unref (self->returns);
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
  self->search_path = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->auto_symbols = TRUE;
  g_queue_init (&self->jobs);
  self->returns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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

/* ---- the .ko search ---- */

static gboolean
ko_name_matches (const char *file,
                 const char *wanted)
{
  g_autofree char *base = NULL;
  g_autofree char *norm = NULL;

  if (!g_str_has_suffix (file, ".ko"))
    return FALSE;
  base = g_strndup (file, strlen (file) - 3);
  norm = normalize_name (base);
  return g_str_equal (norm, wanted);
}

/* DIR and its immediate subfolders (a module project's build dir holds one
 * folder per module project). */
static char *
search_dir (const char *dir,
            const char *wanted,
            guint       depth)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) subdirs = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  if (d == NULL)
    return NULL;
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      if (ko_name_matches (entry, wanted) && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
      if (depth > 0 && entry[0] != '.' && g_file_test (path, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (subdirs, g_steal_pointer (&path));
    }
  for (guint i = 0; i < subdirs->len; i++)
    {
      char *found = search_dir (g_ptr_array_index (subdirs, i), wanted, depth - 1);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A kernel build dir: modules.order names every in-tree module, so the
 * tree (tens of thousands of files) is never walked. */
static char *
search_modules_order (const char *dir,
                      const char *wanted)
{
  g_autofree char *order = g_build_filename (dir, "modules.order", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (order, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *ko = NULL;
      g_autofree char *base = NULL;
      g_autofree char *path = NULL;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      /* 6.1 lists foo.ko, 6.2+ foo.o */
      if (g_str_has_suffix (lines[i], ".o"))
        {
          lines[i][strlen (lines[i]) - 2] = '\0';
          ko = g_strconcat (lines[i], ".ko", NULL);
        }
      else
        ko = g_strdup (lines[i]);
      base = g_path_get_basename (ko);
      if (!ko_name_matches (base, wanted))
        continue;
      path = g_build_filename (dir, ko, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

char *
kwb_modules_find_ko_in (const char * const *dirs,
                        const char         *name)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  wanted = normalize_name (name);
  for (guint i = 0; dirs != NULL && dirs[i] != NULL; i++)
    {
      g_autofree char *vmlinux = g_build_filename (dirs[i], "vmlinux", NULL);
      /* A kernel build dir (tens of thousands of files) is only looked up
       * through its modules.order; other folders two levels deep. */
      guint depth = g_file_test (vmlinux, G_FILE_TEST_EXISTS) ? 0 : 2;
      char *found;

      if ((found = search_modules_order (dirs[i], wanted)) != NULL ||
          (found = search_dir (dirs[i], wanted, depth)) != NULL)
        return found;
    }
  return NULL;
}

char *
kwb_modules_find_ko (KwbModules  *self,
                     const char  *name,
                     GStrv       *searched)
{
  g_return_val_if_fail (KWB_IS_MODULES (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (searched != NULL)
    *searched = g_strdupv ((char **) self->search_path->pdata);
  return kwb_modules_find_ko_in ((const char * const *) self->search_path->pdata, name);
}

static void
add_search_dir (KwbModules *self,
                const char *dir)
{
  if (dir == NULL || *dir == '\0')
    return;
  for (guint i = 0; i < self->search_path->len; i++)
    if (g_str_equal (g_ptr_array_index (self->search_path, i), dir))
      return;
  g_ptr_array_add (self->search_path, g_strdup (dir));
}

void
kwb_modules_add_search_dir (KwbModules *self,
                            const char *dir)
{
  g_return_if_fail (KWB_IS_MODULES (self));
  add_search_dir (self, dir);
}

const char * const *
kwb_modules_get_search_path (KwbModules *self)
{
  g_return_val_if_fail (KWB_IS_MODULES (self), NULL);
  return (const char * const *) self->search_path->pdata;
}

static void
init_search_path (KwbModules *self)
{
  KwbSessionConfig *config = kwb_session_get_config (self->session);
  KwbProject *project = kwb_session_config_get_project (config);
  g_autofree char *modules_build = kwb_project_dup_path (project, "modules", "build-dir");
  g_auto(GStrv) extra = kwb_project_dup_string_list (project, "modules", "search-path");
  const char *base = kwb_project_get_directory (project);

  add_search_dir (self, kwb_session_config_get_build_dir (config));
  /* Module projects build in BUILD-DIR/NAME (see kwb-module-build.c). */
  add_search_dir (self, modules_build);
  for (guint i = 0; extra[i] != NULL; i++)
    {
      g_autofree char *dir = g_canonicalize_filename (extra[i], base);

      add_search_dir (self, dir);
    }
}

/* ---- a .ko GDB can read ---- */

/* GDB 13 lays out a relocatable file's sections at distinct addresses
 * before relocating its DWARF, but skips that when any section already has
 * an address; then every section sits at 0 and the line tables of .text,
 * .init.text and .exit.text collide (a stop in the init function has no
 * source line). 6.12's module linker script gives .data an address. We hand
 * GDB a cached copy with the section addresses cleared; the file the user
 * built is never touched. Returns the path to give GDB. */
char *
kwb_modules_dup_gdb_readable_ko (const char  *ko_path,
                                 GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *base = NULL;
  g_autofree char *copy_name = NULL;
  g_autofree char *copy = NULL;
  gsize len;
  Elf64_Ehdr *ehdr;
  gboolean changed = FALSE;
  GStatBuf st;

  if (!g_file_get_contents (ko_path, &contents, &len, error))
    return NULL;
  ehdr = (Elf64_Ehdr *) contents;
  if (len < sizeof *ehdr || memcmp (ehdr->e_ident, ELFMAG, SELFMAG) != 0 ||
      ehdr->e_ident[EI_CLASS] != ELFCLASS64 || ehdr->e_type != ET_REL ||
      ehdr->e_shentsize != sizeof (Elf64_Shdr) || ehdr->e_shoff > len ||
      (guint64) ehdr->e_shnum * sizeof (Elf64_Shdr) > len - ehdr->e_shoff)
    return g_strdup (ko_path); /* not ours to judge: GDB will say */

  for (guint i = 0; i < ehdr->e_shnum; i++)
    {
      Elf64_Shdr *shdr = (Elf64_Shdr *) (contents + ehdr->e_shoff + i * sizeof (Elf64_Shdr));

      if (shdr->sh_addr != 0)
        {
          shdr->sh_addr = 0;
          changed = TRUE;
        }
    }
  if (!changed)
    return g_strdup (ko_path);

  if (g_stat (ko_path, &st) != 0)
    st.st_mtime = 0;
  {
    g_autofree char *key = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GSIZE_FORMAT,
                                            ko_path, (gint64) st.st_mtime, len);

    digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  }
  base = g_path_get_basename (ko_path);
  copy_name = g_strdup_printf ("%.12s-%s", digest, base);
  cache_dir = g_build_filename (g_get_user_cache_dir (), "kernel-workbench", "gdb-modules", NULL);
  copy = g_build_filename (cache_dir, copy_name, NULL);
  if (g_file_test (copy, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&copy);
  if (g_mkdir_with_parents (cache_dir, 0700) != 0 ||
      !g_file_set_contents (copy, contents, len, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                     _("Cannot create %s: %s"), cache_dir, g_strerror (errno));
      return NULL;
    }
  return g_steal_pointer (&copy);
}

/* ---- evaluating many expressions at once ---- */

/* GDB answers MI commands in order and KwbGdb pipelines them: a batch of
 * evaluations costs one round trip, not one each. */
typedef void (*BatchFunc) (Job *job, GPtrArray *values);

typedef struct {
  Job       *job;
  GPtrArray *values;   /* char *, NULL where GDB said no */
  guint      pending;
  BatchFunc  func;
} Batch;

typedef struct {
  Batch *batch;
  guint  index;
} BatchItem;

static void
batch_release (Batch *batch)
{
  if (--batch->pending > 0)
    return;
  batch->func (batch->job, batch->values);
  g_ptr_array_unref (batch->values);
  g_free (batch);
}

static void
batch_eval_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BatchItem *item = user_data;
  char *value = kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL);

  g_ptr_array_index (item->batch->values, item->index) = value;
  batch_release (item->batch);
  g_free (item);
}

static Batch *
batch_new (Job       *job,
           BatchFunc  func)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->job = job;
  batch->values = g_ptr_array_new_with_free_func (g_free);
  batch->pending = 1; /* held until batch_end() */
  batch->func = func;
  return batch;
}

static void
batch_eval (Batch      *batch,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
batch_eval (Batch      *batch,
            const char *format,
            ...)
{
  KwbGdb *gdb = kwb_session_get_gdb (batch->job->self->session);
  g_autofree char *expression = NULL;
  BatchItem *item = g_new0 (BatchItem, 1);
  va_list args;

  va_start (args, format);
  expression = g_strdup_vprintf (format, args);
  va_end (args);
  item->batch = batch;
  item->index = batch->values->len;
  g_ptr_array_add (batch->values, NULL);
  batch->pending++;
  kwb_gdb_evaluate_async (gdb, expression, NULL, batch_eval_cb, item);
}

static void
batch_end (Batch *batch)
{
  batch_release (batch);
}

static gboolean
parse_u64 (const char *value,
           guint64    *out)
{
  char *end = NULL;

  if (value == NULL)
    return FALSE;
  /* A pointer prints as "(struct module *) 0xffff… <sym>": skip the cast. */
  if (value[0] == '(' && (value = strchr (value, ')')) != NULL)
    value++;
  while (*value == ' ')
    value++;
  *out = g_ascii_strtoull (value, &end, 0);
  return end != value;
}

/* ---- jobs ---- */

static void
enqueue (KwbModules *self,
         Job        *job)
{
  job->self = self;
  g_queue_push_tail (&self->jobs, job);
  run_next_job (self);
}

static Job *
job_new (JobKind kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  return job;
}

static void
job_finish (Job *job)
{
  KwbModules *self = job->self;

  g_assert (self->current == job);
  self->current = NULL;
  if (job->kind == JOB_INIT || job->kind == JOB_FREE || job->kind == JOB_RETURN)
    {
      g_debug ("modules: internal stop handled, continuing");
      kwb_session_internal_done (self->session);
    }
  else if (job->kind == JOB_ATTACH)
    {
      if (!self->ready && self->attached)
        {
          self->ready = TRUE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
        }
      if (job->in_setup)
        kwb_session_setup_done (self->session);
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

/* -- loading and removing symbols -- */

typedef void (*DoneFunc) (Job *job);

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

static void
add_symbol_file_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SymbolsOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, &error);

  if (out == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("GDB could not load the symbols of %s: %s"),
                                                  op->ko_path, error->message);

      g_debug ("%s", problem);
      kwb_module_set_symbols (op->module, NULL);
      kwb_module_set_symbols_problem (op->module, problem, NULL);
      op->job->failed = TRUE;
    }
  else
    kwb_module_set_symbols (op->module, op->ko_path);
  op->done (op->job);
  symbols_op_free (op);
}

static void
remove_then_add_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SymbolsOp *op = user_data;
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, NULL);
  g_autofree char *command = kwb_module_dup_add_symbol_file_command (op->module, op->gdb_path);

  kwb_module_set_symbols (op->module, NULL);
  kwb_gdb_console_async (KWB_GDB (object), command, NULL, add_symbol_file_cb, op);
}

static char *
dup_remove_command (KwbModule *module)
{
  guint64 text = kwb_module_get_text_address (module);

  kwb_module_lookup_section (module, ".text", &text);
  return g_strdup_printf ("remove-symbol-file -a 0x%" G_GINT64_MODIFIER "x", text);
}

/* Loads KO_PATH (or the one found on the search path) for MODULE, then
 * calls DONE. The guest must be halted. */
static void
load_symbols (Job        *job,
              KwbModule  *module,
              const char *ko_path,
              DoneFunc    done)
{
  KwbModules *self = job->self;
  KwbGdb *gdb = kwb_session_get_gdb (self->session);
  g_auto(GStrv) searched = NULL;
  g_autofree char *found = NULL;
  g_autofree char *gdb_path = NULL;
  g_autoptr(GError) error = NULL;
  SymbolsOp *op;

  if (ko_path == NULL)
    {
      found = kwb_modules_find_ko (self, kwb_module_get_name (module), &searched);
      if (found == NULL)
        {
          g_autofree char *joined = g_strjoinv (", ", searched);
          g_autofree char *problem =
            g_strdup_printf (_("Symbols not found: no %s.ko in %s. Add its folder to "
                               "[modules] search-path or load them from a chosen file."),
                             kwb_module_get_name (module), *joined ? joined : _("(no folders)"));

          kwb_module_set_symbols_problem (module, problem, (const char * const *) searched);
          done (job);
          return;
        }
      ko_path = found;
    }
  if ((gdb_path = kwb_modules_dup_gdb_readable_ko (ko_path, &error)) == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("Cannot read the symbols of %s: %s"), ko_path, error->message);

      kwb_module_set_symbols_problem (module, problem, NULL);
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

      kwb_gdb_console_async (gdb, remove, NULL, remove_then_add_cb, op);
    }
  else
    {
      g_autofree char *command = kwb_module_dup_add_symbol_file_command (module, op->gdb_path);

      g_debug ("modules: %s", command);
      kwb_gdb_console_async (gdb, command, NULL, add_symbol_file_cb, op);
    }
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
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, &error);

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
      kwb_gdb_console_async (kwb_session_get_gdb (self->session), command, NULL, remove_symbol_file_cb, op);
      return;
    }
  done (job);
}

/* -- reading one struct module -- */

/* One `printf` reads many fields in one GDB round trip: a command per
 * field (-data-evaluate-expression) made a module load cost ~30 of them. */
#define SECTIONS_PER_PRINTF 16

static void read_sections_chunk (Job *job);

static void
sections_printed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, &error);
  g_auto(GStrv) entries = NULL;

  if (out == NULL)
    {
      g_debug ("modules: cannot read the sections of %s: %s", job->expr, error->message);
      job->read_func (job, job->module);
      return;
    }
  /* "name=address;" repeated */
  entries = g_strsplit (g_strstrip (out), ";", -1);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      char *eq = strrchr (entries[i], '=');
      guint64 address;

      if (eq == NULL)
        continue;
      *eq = '\0';
      if (entries[i][0] != '\0' && parse_u64 (eq + 1, &address))
        kwb_module_add_section (job->module, entries[i], address);
    }
  read_sections_chunk (job);
}

static void
read_sections_chunk (Job *job)
{
  g_autoptr(GString) format = NULL;
  g_autoptr(GString) args = NULL;
  g_autofree char *command = NULL;
  guint start = job->next_section;
  guint end = MIN (job->n_sections, start + SECTIONS_PER_PRINTF);

  if (start >= end)
    {
      guint64 text;

      g_debug ("modules: %u sections read", job->n_sections);
      if (kwb_module_lookup_section (job->module, ".text", &text))
        kwb_module_set_text_address (job->module, text);
      job->read_func (job, job->module);
      return;
    }
  format = g_string_new (NULL);
  args = g_string_new (NULL);
  for (guint i = start; i < end; i++)
    {
      g_string_append (format, "%s=%lu;");
      g_string_append_printf (args, ", %s->sect_attrs->attrs[%u].battr.attr.name, %s->sect_attrs->attrs[%u].address",
                              job->expr, i, job->expr, i);
    }
  job->next_section = end;
  command = g_strdup_printf ("printf \"%s\\n\"%s", format->str, args->str);
  kwb_gdb_console_async (kwb_session_get_gdb (job->self->session), command, NULL, sections_printed_cb, job);
}

/* -- the fast way: raw memory, two or three packets for all sections --
 * GDB's printf reads a %s string one byte per remote packet; a packet to
 * QEMU's stub costs about a millisecond under TCG. */

static GBytes *
memory_from_record (KwbMiRecord *record,
                    guint64      wanted_begin)
{
  const KwbMiValue *memory = kwb_mi_record_get (record, "memory");
  const KwbMiValue *block;
  const char *hex;
  guint64 begin = 0;
  gsize len;
  guint8 *data;

  /* Only the first block, and only if it starts where we asked: a partial
   * read (an unmapped page after the data) still gives the front. */
  if (memory == NULL || (block = kwb_mi_value_get_nth (memory, 0)) == NULL ||
      (hex = kwb_mi_value_get_string (block, "contents")) == NULL ||
      !kwb_mi_value_get_uint64 (block, "begin", &begin) || begin != wanted_begin)
    return NULL;
  len = strlen (hex) / 2;
  data = g_malloc (len + 1);
  for (gsize i = 0; i < len; i++)
    data[i] = (g_ascii_xdigit_value (hex[2 * i]) << 4) | g_ascii_xdigit_value (hex[2 * i + 1]);
  data[len] = 0;
  return g_bytes_new_take (data, len);
}

static guint64
u64_at (const guint8 *data,
        gsize         offset)
{
  guint64 value;

  memcpy (&value, data + offset, sizeof value);
  return GUINT64_FROM_LE (value);
}

/* The names resolved so far (job->names, NULL where not yet) become the
 * module's sections, in the kernel's order. */
static void
names_done (Job *job)
{
  for (guint i = 0; i < job->name_ptrs->len; i++)
    {
      const char *name = g_ptr_array_index (job->names, i);

      if (name != NULL && name[0] != '\0')
        kwb_module_add_section (job->module, name, g_array_index (job->sect_addrs, guint64, i));
    }
  job->next_section = job->n_sections;
  read_sections_chunk (job); /* sets .text and finishes */
}

/* A NUL-terminated UTF-8 name at the start of DATA, or NULL. */
static char *
name_from (const guint8 *data,
           gsize         max)
{
  const char *end = memchr (data, '\0', max);

  if (end == NULL || !g_utf8_validate ((const char *) data, end - (const char *) data, NULL))
    return NULL;
  return g_strndup ((const char *) data, end - (const char *) data);
}

typedef struct {
  Job   *job;
  guint  index;
  gboolean printf_tried;
} NameRead;

static void name_read_one (Job *job, guint index, gboolean use_printf);

static void
name_release (Job *job)
{
  if (--job->names_pending == 0)
    names_done (job);
}

static void
name_one_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  NameRead *read = user_data;
  Job *job = read->job;
  char *name = NULL;

  if (read->printf_tried)
    {
      g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, NULL);

      if (out != NULL && *out != '\0' && g_utf8_validate (out, -1, NULL))
        name = g_strdup (out);
    }
  else
    {
      g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
      g_autoptr(GBytes) bytes = NULL;

      if (record != NULL &&
          (bytes = memory_from_record (record, g_array_index (job->name_ptrs, guint64, read->index))) != NULL)
        name = name_from (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (name == NULL)
        {
          /* At the end of a page, or longer than we read: GDB's printf
           * finds the end itself (slowly, but rarely needed). */
          job->names_pending++;
          name_read_one (job, read->index, TRUE);
        }
    }
  if (name != NULL)
    {
      g_free (g_ptr_array_index (job->names, read->index));
      g_ptr_array_index (job->names, read->index) = name;
    }
  g_free (read);
  name_release (job);
}

static void
name_read_one (Job      *job,
               guint     index,
               gboolean  use_printf)
{
  KwbGdb *gdb = kwb_session_get_gdb (job->self->session);
  guint64 pointer = g_array_index (job->name_ptrs, guint64, index);
  NameRead *read = g_new0 (NameRead, 1);

  read->job = job;
  read->index = index;
  read->printf_tried = use_printf;
  if (use_printf)
    {
      g_autofree char *command = g_strdup_printf ("printf \"%%s\", (char *)0x%" G_GINT64_MODIFIER "x", pointer);

      kwb_gdb_console_async (gdb, command, NULL, name_one_cb, read);
    }
  else
    kwb_gdb_command_async (gdb, NULL, name_one_cb, read,
                           "-data-read-memory-bytes 0x%" G_GINT64_MODIFIER "x 64", pointer);
}

/* Every name not resolved yet, one read each (pipelined: one round trip). */
static void
names_read_each (Job *job)
{
  job->names_pending = 1;
  for (guint i = 0; i < job->name_ptrs->len; i++)
    if (g_ptr_array_index (job->names, i) == NULL && g_array_index (job->name_ptrs, guint64, i) != 0)
      {
        job->names_pending++;
        name_read_one (job, i, FALSE);
      }
  name_release (job);
}

static void
names_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
  guint64 low = G_MAXUINT64;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize len;

  for (guint i = 0; i < job->name_ptrs->len; i++)
    low = MIN (low, g_array_index (job->name_ptrs, guint64, i));
  if (record != NULL && (bytes = memory_from_record (record, low)) != NULL)
    {
      data = g_bytes_get_data (bytes, &len);
      for (guint i = 0; i < job->name_ptrs->len; i++)
        {
          guint64 offset = g_array_index (job->name_ptrs, guint64, i) - low;

          if (offset < len)
            g_ptr_array_index (job->names, i) = name_from (data + offset, len - offset);
        }
    }
  /* Whatever the block did not hold (cut off, or no block at all). */
  names_read_each (job);
}

static void
attrs_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  KwbModules *self = job->self;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
  g_autoptr(GBytes) bytes = NULL;
  guint64 attrs = job->sect_attrs + self->sect_attrs_offset;
  guint64 low = G_MAXUINT64, high = 0;
  const guint8 *data;
  gsize len;

  if (record == NULL || (bytes = memory_from_record (record, attrs)) == NULL ||
      g_bytes_get_size (bytes) < job->n_sections * self->sect_attr_size)
    {
      read_sections_chunk (job);
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  g_clear_pointer (&job->name_ptrs, g_array_unref);
  g_clear_pointer (&job->sect_addrs, g_array_unref);
  job->name_ptrs = g_array_new (FALSE, FALSE, sizeof (guint64));
  job->sect_addrs = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (guint i = 0; i < job->n_sections; i++)
    {
      guint64 name = u64_at (data, i * self->sect_attr_size + self->sect_name_offset);
      guint64 address = u64_at (data, i * self->sect_attr_size + self->sect_address_offset);

      g_array_append_val (job->name_ptrs, name);
      g_array_append_val (job->sect_addrs, address);
      low = MIN (low, name);
      high = MAX (high, name);
    }
  g_clear_pointer (&job->names, g_ptr_array_unref);
  job->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (job->names, job->n_sections);
  /* The names are small kstrdup()s, often allocated one after the other:
   * then one block holds them all; else one read each. */
  if (low == 0 || high - low > 16384)
    {
      names_read_each (job);
      return;
    }
  kwb_gdb_command_async (kwb_session_get_gdb (self->session), NULL, names_read_cb, job,
                         "-data-read-memory-bytes 0x%" G_GINT64_MODIFIER "x %" G_GUINT64_FORMAT,
                         low, high - low + 64);
}

static void
read_sections_raw (Job *job)
{
  KwbModules *self = job->self;

  kwb_gdb_command_async (kwb_session_get_gdb (self->session), NULL, attrs_read_cb, job,
                         "-data-read-memory-bytes 0x%" G_GINT64_MODIFIER "x %" G_GUINT64_FORMAT,
                         job->sect_attrs + self->sect_attrs_offset,
                         (guint64) job->n_sections * self->sect_attr_size);
}

static void
header_printed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, &error);
  g_auto(GStrv) fields = NULL;
  guint64 address = 0, state = 0, n_sections = 0, base = 0, size = 0;

  /* address|name|state|nsections|base|size|sect_attrs */
  if (out != NULL)
    fields = g_strsplit (g_strstrip (out), "|", -1);
  if (fields == NULL || g_strv_length (fields) != 7 || !parse_u64 (fields[0], &address) ||
      fields[1][0] == '\0' || !parse_u64 (fields[2], &state))
    {
      /* The guest runs again, or this is no module: nothing to read. */
      g_debug ("modules: cannot read %s: %s", job->expr, error ? error->message : out);
      job->failed = TRUE;
      job->read_func (job, NULL);
      return;
    }
  g_debug ("modules: header of %s read", fields[1]);
  parse_u64 (fields[3], &n_sections);
  parse_u64 (fields[4], &base);
  parse_u64 (fields[5], &size);

  g_clear_object (&job->module);
  job->module = kwb_module_new (fields[1], address);
  kwb_module_set_state (job->module, (KwbModuleState) state);
  kwb_module_set_text_address (job->module, base);
  kwb_module_set_size (job->module, size);
  /* From here on the struct by its address: no frame lookups. */
  g_free (job->expr);
  job->expr = g_strdup_printf ("((struct module *)0x%" G_GINT64_MODIFIER "x)", address);
  job->n_sections = MIN (n_sections, MAX_SECTIONS);
  job->next_section = 0;
  job->sect_attrs = 0;
  parse_u64 (fields[6], &job->sect_attrs);
  if (job->self->sect_layout_known && job->sect_attrs != 0 && job->n_sections > 0)
    read_sections_raw (job);
  else
    read_sections_chunk (job);
}

static gboolean
field_known (KwbModules *self,
             guint       field)
{
  return self->field_size[field] > 0 &&
         self->field_offset[field] + self->field_size[field] <= self->module_size;
}

static guint64
field_u64 (KwbModules   *self,
           const guint8 *data,
           guint         field)
{
  guint64 value = 0;

  /* Little-endian x86: the low bytes come first. */
  memcpy (&value, data + self->field_offset[field], MIN (self->field_size[field], sizeof value));
  return GUINT64_FROM_LE (value);
}

static void read_module_printf (Job *job);

static void
nsections_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Job *job = user_data;
  g_autofree char *value = kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL);
  guint64 n = 0;

  if (!parse_u64 (value, &n) || n == 0)
    {
      read_sections_chunk (job); /* nothing to read: finishes */
      return;
    }
  job->n_sections = MIN (n, MAX_SECTIONS);
  if (job->self->sect_layout_known)
    read_sections_raw (job);
  else
    read_sections_chunk (job);
}

static void
module_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Job *job = user_data;
  KwbModules *self = job->self;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  const guint8 *data;
  guint64 size;

  if (record == NULL || (bytes = memory_from_record (record, job->address)) == NULL ||
      g_bytes_get_size (bytes) < self->module_size)
    {
      read_module_printf (job);
      return;
    }
  data = g_bytes_get_data (bytes, NULL);
  name = g_strndup ((const char *) data + self->field_offset[F_NAME], self->field_size[F_NAME]);
  if (name[0] == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      job->failed = TRUE;
      job->read_func (job, NULL);
      return;
    }
  g_clear_object (&job->module);
  job->module = kwb_module_new (name, job->address);
  kwb_module_set_state (job->module, (KwbModuleState) field_u64 (self, data, F_STATE));
  if (self->layout == KWB_MODULES_LAYOUT_MEM)
    {
      kwb_module_set_text_address (job->module, field_u64 (self, data, F_MEM0_BASE));
      size = field_u64 (self, data, F_MEM0_SIZE) + field_u64 (self, data, F_MEM1_SIZE) +
             field_u64 (self, data, F_MEM2_SIZE) + field_u64 (self, data, F_MEM3_SIZE);
    }
  else
    {
      kwb_module_set_text_address (job->module, field_u64 (self, data, F_CORE_BASE));
      size = field_u64 (self, data, F_CORE_SIZE);
    }
  kwb_module_set_size (job->module, size);
  g_debug ("modules: %s read", name);
  g_free (job->expr);
  job->expr = g_strdup_printf ("((struct module *)0x%" G_GINT64_MODIFIER "x)", job->address);
  job->sect_attrs = field_u64 (self, data, F_SECT_ATTRS);
  job->next_section = 0;
  job->n_sections = 0;
  if (job->sect_attrs == 0)
    {
      read_sections_chunk (job);
      return;
    }
  /* nsections is in the sect_attrs block: one small read (the array is
   * read right after, knowing its length). */
  g_free (job->expr_nsections);
  job->expr_nsections = g_strdup_printf ("((struct module_sect_attrs *)0x%" G_GINT64_MODIFIER "x)->nsections",
                                         job->sect_attrs);
  kwb_gdb_evaluate_async (KWB_GDB (object), job->expr_nsections, NULL, nsections_read_cb, job);
}

static void
module_address_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Job *job = user_data;
  KwbModules *self = job->self;
  g_autofree char *value = kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL);

  if (!parse_u64 (value, &job->address) || job->address == 0)
    {
      job->failed = TRUE;
      job->read_func (job, NULL);
      return;
    }
  kwb_gdb_command_async (KWB_GDB (object), NULL, module_read_cb, job,
                         "-data-read-memory-bytes 0x%" G_GINT64_MODIFIER "x %" G_GUINT64_FORMAT,
                         job->address, self->module_size);
}

/* Reads EXPR (a struct module *) into a new job->module, then FUNC
 * (module NULL on failure). The struct and the section table are read as
 * raw memory in a few packets, with the offsets probed at attach; if the
 * kernel hides any of them, field by field with printf. */
static void
read_module (Job        *job,
             const char *expr,
             ReadFunc    func)
{
  KwbModules *self = job->self;

  g_free (job->expr);
  job->expr = g_strdup_printf ("((struct module *)(%s))", expr);
  job->read_func = func;
  if (self->module_size > 0 && self->module_size < 65536 && field_known (self, F_NAME) &&
      field_known (self, F_STATE) && field_known (self, F_SECT_ATTRS) &&
      (self->layout == KWB_MODULES_LAYOUT_MEM ?
         field_known (self, F_MEM0_BASE) && field_known (self, F_MEM3_SIZE) :
         field_known (self, F_CORE_BASE) && field_known (self, F_CORE_SIZE)))
    {
      g_autofree char *address = g_strdup_printf ("(unsigned long)%s", job->expr);

      kwb_gdb_evaluate_async (kwb_session_get_gdb (self->session), address, NULL, module_address_cb, job);
      return;
    }
  read_module_printf (job);
}

static void
read_module_printf (Job *job)
{
  KwbModules *self = job->self;
  g_autofree char *command = NULL;
  const char *e = job->expr;

  if (self->layout == KWB_MODULES_LAYOUT_MEM)
    /* MOD_TEXT, MOD_DATA, MOD_RODATA, MOD_RO_AFTER_INIT: /proc/modules' size */
    command = g_strdup_printf ("printf \"%%lu|%%s|%%d|%%u|%%lu|%%lu|%%lu\\n\", (unsigned long)%s, %s->name, (int)%s->state, "
                               "%s->sect_attrs ? %s->sect_attrs->nsections : 0, (unsigned long)%s->mem[0].base, "
                               "(unsigned long)(%s->mem[0].size + %s->mem[1].size + %s->mem[2].size + %s->mem[3].size), "
                               "(unsigned long)%s->sect_attrs",
                               e, e, e, e, e, e, e, e, e, e, e);
  else
    command = g_strdup_printf ("printf \"%%lu|%%s|%%d|%%u|%%lu|%%lu|%%lu\\n\", (unsigned long)%s, %s->name, (int)%s->state, "
                               "%s->sect_attrs ? %s->sect_attrs->nsections : 0, (unsigned long)%s->core_layout.base, "
                               "(unsigned long)%s->core_layout.size, (unsigned long)%s->sect_attrs",
                               e, e, e, e, e, e, e, e);
  kwb_gdb_console_async (kwb_session_get_gdb (self->session), command, NULL, header_printed_cb, job);
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

/* -- JOB_INIT -- */

static void on_return_hit (KwbSession *session, const KwbGdbStop *stop, gpointer user_data);

static void
return_breakpoint_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = kwb_session_add_internal_breakpoint_finish (KWB_SESSION (object), result, &error);

  if (number != NULL)
    g_hash_table_insert (job->self->returns, g_steal_pointer (&number),
                         g_memdup2 (&job->address, sizeof job->address));
  else
    g_debug ("modules: no breakpoint after do_init_module: %s", error->message);
  job_finish (job);
}

static void
caller_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
  const char *addr = record ? kwb_mi_record_get_string (record, "stack.0.addr") : NULL;
  g_autofree char *location = NULL;

  if (addr == NULL)
    {
      job_finish (job);
      return;
    }
  /* A one-shot breakpoint where do_init_module returns to: the module's
   * init has run by then, and its state says how it went. */
  location = g_strdup_printf ("*%s", addr);
  kwb_session_add_internal_breakpoint_async (job->self->session, location, KWB_GDB_BREAK_TEMPORARY,
                                             on_return_hit, job->self, NULL, return_breakpoint_cb, job);
}

static void
init_symbols_done (Job *job)
{
  g_signal_emit (job->self, signals[MODULE_LOADED], 0, job->module);
  job->address = kwb_module_get_address (job->module);
  kwb_gdb_command_async (kwb_session_get_gdb (job->self->session), NULL, caller_cb, job,
                         "-stack-list-frames 1 1");
}

static void
return_state_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Job *job = user_data;
  g_autofree char *value = kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL);
  KwbModule *module = find_by_address (job->self, job->address, NULL);
  guint64 state;

  /* A failed init has freed the module already (free_module removed it). */
  if (module != NULL && parse_u64 (value, &state))
    kwb_module_set_state (module, (KwbModuleState) state);
  job_finish (job);
}

static void
init_read_cb (Job       *job,
              KwbModule *fresh)
{
  KwbModules *self = job->self;
  KwbModule *module;
  gboolean is_new;

  if (fresh == NULL)
    {
      job_finish (job);
      return;
    }
  module = merge_module (self, fresh, &is_new);
  g_set_object (&job->module, module);
  if (self->auto_symbols && !kwb_module_get_symbols_loaded (module))
    load_symbols (job, module, NULL, init_symbols_done);
  else
    init_symbols_done (job);
}

/* -- JOB_FREE -- */

static void
free_address_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Job *job = user_data;
  g_autofree char *value = kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL);
  KwbModule *module;
  guint64 address;

  if (parse_u64 (value, &address) && (module = find_by_address (job->self, address, NULL)) != NULL)
    {
      remove_module (job, module, job_finish);
      return;
    }
  job_finish (job);
}

/* -- JOB_REFRESH: walk `modules` -- */

static void refresh_next_module (Job *job);

static void
refresh_symbols_done (Job *job)
{
  refresh_next_module (job);
}

static void
refresh_read_cb (Job       *job,
                 KwbModule *fresh)
{
  KwbModules *self = job->self;
  KwbModule *module;
  gboolean is_new;

  if (fresh == NULL)
    {
      refresh_next_module (job);
      return;
    }
  /* Not formed yet (a user stop inside load_module): do_init_module will
   * come for it. */
  if (kwb_module_get_state (fresh) == KWB_MODULE_STATE_UNFORMED)
    {
      refresh_next_module (job);
      return;
    }
  module = merge_module (self, fresh, &is_new);
  if (is_new)
    {
      g_set_object (&job->module, module);
      if (self->auto_symbols)
        {
          load_symbols (job, module, NULL, refresh_symbols_done);
          g_signal_emit (self, signals[MODULE_LOADED], 0, module);
          return;
        }
      g_signal_emit (self, signals[MODULE_LOADED], 0, module);
    }
  refresh_next_module (job);
}

static void refresh_remove_gone (Job *job);

static void
refresh_next_module (Job *job)
{
  KwbModules *self = job->self;
  g_autofree char *expr = NULL;

  if (job->failed && job->next > 0 && !session_live (self))
    {
      job_finish (job);
      return;
    }
  if (job->next >= job->addresses->len)
    {
      refresh_remove_gone (job);
      return;
    }
  expr = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", g_array_index (job->addresses, guint64, job->next++));
  job->failed = FALSE;
  read_module (job, expr, refresh_read_cb);
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
  job_finish (job);
}

static void
walk_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Job *job = user_data;
  g_autofree char *value = kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL);
  guint64 next;

  if (!parse_u64 (value, &next) || next == 0)
    {
      /* Interrupted (the guest runs again): leave the model as it is. */
      job_finish (job);
      return;
    }
  if (next == job->head || job->addresses->len >= MAX_MODULES)
    {
      job->next = 0;
      refresh_next_module (job);
      return;
    }
  {
    guint64 address = next - job->self->list_offset;

    g_array_append_val (job->addresses, address);
  }
  job->node = next;
  {
    g_autofree char *expr = g_strdup_printf ("(unsigned long)((struct list_head *)0x%" G_GINT64_MODIFIER "x)->next",
                                             job->node);

    kwb_gdb_evaluate_async (KWB_GDB (object), expr, NULL, walk_cb, job);
  }
}

static void
start_walk (Job *job)
{
  job->addresses = g_array_new (FALSE, FALSE, sizeof (guint64));
  job->node = job->head;
  kwb_gdb_evaluate_async (kwb_session_get_gdb (job->self->session), "(unsigned long)modules.next",
                          NULL, walk_cb, job);
}

/* -- JOB_ATTACH -- */

static void on_init_hit (KwbSession *session, const KwbGdbStop *stop, gpointer user_data);
static void on_free_hit (KwbSession *session, const KwbGdbStop *stop, gpointer user_data);

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
  start_walk (job);
}

static void
internal_init_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Job *job = user_data;
  KwbModules *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = kwb_session_add_internal_breakpoint_finish (KWB_SESSION (object), result, &error);

  if (number == NULL)
    {
      /* The guest ran on meanwhile (the user continued during an attach),
       * or the kernel has no module loader: try again at the next stop. */
      g_debug ("modules: no breakpoint in do_init_module (%s); retrying at the next stop", error->message);
      self->attached = FALSE;
      job_finish (job);
      return;
    }
  kwb_session_add_internal_breakpoint_async (self->session, "free_module", KWB_GDB_BREAK_NONE,
                                             on_free_hit, self, NULL, internal_free_cb, job);
}

static void
probe_cb (Job       *job,
          GPtrArray *values)
{
  KwbModules *self = job->self;
  KwbGdbBreakFlags flags = KWB_GDB_BREAK_NONE;
  guint64 offset, head;

  /* [0] sizeof mem (6.4+), [1] sizeof core_layout (≤ 6.3) */
  if (g_ptr_array_index (values, 0) != NULL)
    self->layout = KWB_MODULES_LAYOUT_MEM;
  else if (g_ptr_array_index (values, 1) != NULL)
    self->layout = KWB_MODULES_LAYOUT_CORE_LAYOUT;
  if (parse_u64 (g_ptr_array_index (values, 2), &offset))
    self->list_offset = offset;
  if (parse_u64 (g_ptr_array_index (values, 3), &head))
    job->head = self->modules_head = head;
  self->sect_layout_known = parse_u64 (g_ptr_array_index (values, 4), &self->sect_attr_size) &&
                            parse_u64 (g_ptr_array_index (values, 5), &self->sect_name_offset) &&
                            parse_u64 (g_ptr_array_index (values, 6), &self->sect_address_offset) &&
                            parse_u64 (g_ptr_array_index (values, 7), &self->sect_attrs_offset) &&
                            self->sect_attr_size >= 16 && self->sect_attr_size < 4096;
  parse_u64 (g_ptr_array_index (values, 8), &self->module_size);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      self->field_offset[i] = self->field_size[i] = 0;
      if (!parse_u64 (g_ptr_array_index (values, 9 + 2 * i), &self->field_offset[i]) ||
          !parse_u64 (g_ptr_array_index (values, 10 + 2 * i), &self->field_size[i]))
        self->field_size[i] = 0;
    }
  g_debug ("modules: layout %s, list at +%" G_GUINT64_FORMAT,
           self->layout == KWB_MODULES_LAYOUT_MEM ? "mem[]" :
           self->layout == KWB_MODULES_LAYOUT_CORE_LAYOUT ? "core_layout" : "unknown", self->list_offset);
  if (self->layout == KWB_MODULES_LAYOUT_UNKNOWN || job->head == 0)
    {
      /* A kernel without CONFIG_MODULES: nothing to follow. */
      job_finish (job);
      return;
    }
  /* Under KVM a software breakpoint set before the kernel has set up its
   * page tables is lost, as the session's own early ones are. */
  if (g_strcmp0 (kwb_qemu_get_accelerator (kwb_session_get_qemu (self->session)), "kvm") == 0 && job->in_setup)
    flags |= KWB_GDB_BREAK_HARDWARE;
  kwb_session_add_internal_breakpoint_async (self->session, "do_init_module", flags,
                                             on_init_hit, self, NULL, internal_init_cb, job);
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
      g_autofree char *command = g_strdup_printf ("set substitute-path %s %s", copy, source);

      kwb_gdb_console_async (kwb_session_get_gdb (self->session), command, NULL, NULL, NULL);
    }
}

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
      {
        Batch *batch = batch_new (job, probe_cb);

        add_substitute_paths (self);

        batch_eval (batch, "sizeof(((struct module *)0)->mem)");
        batch_eval (batch, "sizeof(((struct module *)0)->core_layout)");
        batch_eval (batch, "(unsigned long)&((struct module *)0)->list");
        batch_eval (batch, "(unsigned long)&modules");
        /* struct module_sect_attrs' layout, to read it in one piece */
        batch_eval (batch, "sizeof(struct module_sect_attr)");
        batch_eval (batch, "(unsigned long)&((struct module_sect_attr *)0)->battr.attr.name");
        batch_eval (batch, "(unsigned long)&((struct module_sect_attr *)0)->address");
        batch_eval (batch, "(unsigned long)&((struct module_sect_attrs *)0)->attrs");
        /* struct module's, for the same reason */
        batch_eval (batch, "sizeof(struct module)");
        for (guint i = 0; i < N_FIELDS; i++)
          {
            batch_eval (batch, "(unsigned long)&((struct module *)0)->%s", module_fields[i]);
            batch_eval (batch, "sizeof(((struct module *)0)->%s)", module_fields[i]);
          }
        batch_end (batch);
      }
      break;
    case JOB_INIT:
      g_debug ("modules: do_init_module");
      read_module (job, "mod", init_read_cb);
      break;
    case JOB_RETURN:
      {
        g_autofree char *expr = NULL;

        if (find_by_address (self, job->address, NULL) == NULL)
          {
            job_finish (job);
            return;
          }
        expr = g_strdup_printf ("(int)((struct module *)0x%" G_GINT64_MODIFIER "x)->state", job->address);
        kwb_gdb_evaluate_async (kwb_session_get_gdb (self->session), expr, NULL, return_state_cb, job);
      }
      break;
    case JOB_FREE:
      kwb_gdb_evaluate_async (kwb_session_get_gdb (self->session), "(unsigned long)mod", NULL,
                              free_address_cb, job);
      break;
    case JOB_REFRESH:
      if (!self->ready || self->modules_head == 0)
        {
          job_finish (job);
          return;
        }
      job->head = self->modules_head;
      start_walk (job);
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

  /* Ahead of any refresh: the guest waits for us. */
  g_queue_push_head (&self->jobs, job_new (JOB_INIT));
  ((Job *) g_queue_peek_head (&self->jobs))->self = self;
  run_next_job (self);
}

static void
on_return_hit (KwbSession       *session,
               const KwbGdbStop *stop,
               gpointer          user_data)
{
  KwbModules *self = user_data;
  g_autofree char *number = g_strdup_printf ("%d", stop->bkptno);
  guint64 *address = g_hash_table_lookup (self->returns, number);
  Job *job = job_new (JOB_RETURN);

  job->address = address ? *address : 0;
  g_hash_table_remove (self->returns, number);
  job->self = self;
  g_queue_push_head (&self->jobs, job);
  run_next_job (self);
}

static void
on_free_hit (KwbSession       *session,
             const KwbGdbStop *stop,
             gpointer          user_data)
{
  KwbModules *self = user_data;

  g_queue_push_head (&self->jobs, job_new (JOB_FREE));
  ((Job *) g_queue_peek_head (&self->jobs))->self = self;
  run_next_job (self);
}

static void
on_session_stopped (KwbSession *session,
                    KwbGdbStop *stop,
                    KwbModules *self)
{
  if (!self->attached)
    {
      Job *job = job_new (JOB_ATTACH);

      self->attached = TRUE;
      enqueue (self, job);
      return;
    }
  /* One walk at a time is enough: a queued one will see this stop too. */
  for (GList *l = self->jobs.head; l != NULL; l = l->next)
    if (((Job *) l->data)->kind == JOB_REFRESH)
      return;
  enqueue (self, job_new (JOB_REFRESH));
}

static void
setup_func (KwbSession *session,
            gpointer    user_data)
{
  KwbModules *self = user_data;
  Job *job = job_new (JOB_ATTACH);

  self->attached = TRUE;
  job->in_setup = TRUE;
  enqueue (self, job);
}

KwbModules *
kwb_modules_new (KwbSession *session)
{
  KwbModules *self;

  g_return_val_if_fail (KWB_IS_SESSION (session), NULL);

  self = g_object_new (KWB_TYPE_MODULES, NULL);
  self->session = g_object_ref (session);
  init_search_path (self);
  g_signal_connect_object (session, "stopped", G_CALLBACK (on_session_stopped), self, 0);

  /* The session refs nothing of ours: the caller keeps us for the
   * session's lifetime. Running (or starting): attach at the next stop. */
  if (kwb_session_get_state (session) == KWB_SESSION_STATE_IDLE)
    kwb_session_add_setup_func (session, setup_func, self);
  else if (kwb_session_get_state (session) == KWB_SESSION_STATE_STOPPED)
    {
      self->attached = TRUE;
      enqueue (self, job_new (JOB_ATTACH));
    }
  return self;
}

KwbSession *
kwb_modules_get_session (KwbModules *self)
{
  g_return_val_if_fail (KWB_IS_MODULES (self), NULL);
  return self->session;
}

void
kwb_modules_set_auto_symbols (KwbModules *self,
                              gboolean    auto_symbols)
{
  g_return_if_fail (KWB_IS_MODULES (self));
  self->auto_symbols = !!auto_symbols;
}

KwbModulesLayout
kwb_modules_get_layout (KwbModules *self)
{
  g_return_val_if_fail (KWB_IS_MODULES (self), KWB_MODULES_LAYOUT_UNKNOWN);
  return self->layout;
}

gboolean
kwb_modules_get_ready (KwbModules *self)
{
  g_return_val_if_fail (KWB_IS_MODULES (self), FALSE);
  return self->ready;
}

/* ---- Load symbols from… ---- */

/* Through the session's console: it halts a running guest for the command
 * and continues it after. */
static void
user_add_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbModule *module = g_task_get_task_data (task);
  const char *ko_path = g_object_get_data (G_OBJECT (task), "ko-path");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, &error);

  if (out == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("GDB could not load the symbols of %s: %s"),
                                                  ko_path, error->message);

      kwb_module_set_symbols (module, NULL);
      kwb_module_set_symbols_problem (module, problem, NULL);
      g_task_return_new_error (task, KWB_MODULES_ERROR, KWB_MODULES_ERROR_SYMBOLS, "%s", problem);
      return;
    }
  kwb_module_set_symbols (module, ko_path);
  g_task_return_boolean (task, TRUE);
}

static void
user_remove_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  KwbModule *module = g_task_get_task_data (task);
  const char *gdb_path = g_object_get_data (G_OBJECT (task), "gdb-path");
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, NULL);
  g_autofree char *command = kwb_module_dup_add_symbol_file_command (module, gdb_path);

  kwb_module_set_symbols (module, NULL);
  kwb_session_console_async (KWB_SESSION (object), command, NULL, user_add_cb, task);
}

void
kwb_modules_load_symbols_async (KwbModules          *self,
                                KwbModule           *module,
                                const char          *ko_path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

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
  g_task_set_task_data (task, g_object_ref (module), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "ko-path", g_strdup (ko_path), g_free);
  {
    g_autoptr(GError) error = NULL;
    char *gdb_path = kwb_modules_dup_gdb_readable_ko (ko_path, &error);

    if (gdb_path == NULL)
      {
        g_task_return_new_error (task, KWB_MODULES_ERROR, KWB_MODULES_ERROR_SYMBOLS,
                                 _("Cannot read the symbols of %s: %s"), ko_path, error->message);
        return;
      }
    g_object_set_data_full (G_OBJECT (task), "gdb-path", gdb_path, g_free);
  }
  if (kwb_module_get_symbols_loaded (module))
    {
      g_autofree char *remove = dup_remove_command (module);

      kwb_session_console_async (self->session, remove, NULL, user_remove_cb, g_steal_pointer (&task));
      return;
    }
  {
    g_autofree char *command = kwb_module_dup_add_symbol_file_command (module, g_object_get_data (G_OBJECT (task), "gdb-path"));

    kwb_session_console_async (self->session, command, NULL, user_add_cb, g_steal_pointer (&task));
  }
}

gboolean
kwb_modules_load_symbols_finish (KwbModules    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
