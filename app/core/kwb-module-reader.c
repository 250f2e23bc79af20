/* kwb-module-reader.c — the guest's struct module and its sections, read through GDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What lx-symbols reads with Python, read with GDB/MI: a module's name,
 * state, text base and size from struct module, and its section addresses
 * from mod->sect_attrs. KwbModules decides when to read (its job queue);
 * this file only knows how.
 *
 * The text base moved from mod->core_layout (≤ 6.3) to mod->mem[MOD_TEXT]
 * (6.4+): the probe asks GDB which member the vmlinux has, not the version,
 * and the offsets and sizes of the fields we need. With them a module costs
 * a few raw memory reads (-data-read-memory-bytes): GDB's printf reads a %s
 * string one byte per remote packet, and a packet to QEMU's stub costs about
 * a millisecond under TCG. When the debug information hides a field, the
 * slow way (printf, field by field) still works. What the probe finds is
 * kept per vmlinux build-id in ~/.cache/kernel-workbench/module-layout, so
 * a session with a known vmlinux starts without it.
 *
 * Everything read here comes from guest memory and is not trusted: names
 * are checked by KwbModule when they enter it, counts are bounded.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kwb-atomic-file.h"
#include "kwb-elf.h"
#include "kwb-module-reader.h"
#include "kwb-session-private.h"

#define MAX_MODULES 4096
#define MAX_SECTIONS 256
/* One `printf` reads many sections in one round trip. */
#define SECTIONS_PER_PRINTF 16
/* The section table is read with its header in one piece, sized for this
 * many sections; a module with more costs one read more. */
#define SECTIONS_GUESS 40

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

struct _KwbModuleReader
{
  GObject           parent_instance;

  KwbSession       *session;
  KwbModulesLayout  layout;
  guint64           list_offset;         /* offsetof (struct module, list) */
  guint64           modules_head;        /* &modules */
  gboolean          sect_layout_known;
  guint64           sect_attr_size;      /* sizeof (struct module_sect_attr) */
  guint64           sect_name_offset;    /* of battr.attr.name in it */
  guint64           sect_address_offset; /* of address in it */
  guint64           sect_attrs_offset;   /* of attrs[] in struct module_sect_attrs */
  guint64           sect_count_offset;   /* of nsections in it; G_MAXUINT64: unknown */
  guint64           module_size;         /* sizeof (struct module) */
  guint64           field_offset[N_FIELDS];
  guint64           field_size[N_FIELDS]; /* 0: not in this kernel */
  gboolean          types_named;         /* $kwb_module and co. are set in GDB */
};

G_DEFINE_FINAL_TYPE (KwbModuleReader, kwb_module_reader, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-module-reader-error-quark, kwb_module_reader_error)

static void
kwb_module_reader_finalize (GObject *object)
{
  KwbModuleReader *self = (KwbModuleReader *) object;

  g_clear_object (&self->session);
  G_OBJECT_CLASS (kwb_module_reader_parent_class)->finalize (object);
}

static void
kwb_module_reader_class_init (KwbModuleReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_module_reader_finalize;
}

static void
kwb_module_reader_init (KwbModuleReader *self)
{
}

KwbModuleReader *
kwb_module_reader_new (KwbSession *session)
{
  KwbModuleReader *self;

  g_return_val_if_fail (KWB_IS_SESSION (session), NULL);

  self = g_object_new (KWB_TYPE_MODULE_READER, NULL);
  self->session = g_object_ref (session);
  return self;
}

KwbModulesLayout
kwb_module_reader_get_layout (KwbModuleReader *self)
{
  g_return_val_if_fail (KWB_IS_MODULE_READER (self), KWB_MODULES_LAYOUT_UNKNOWN);
  return self->layout;
}

gboolean
kwb_module_reader_get_offsets (KwbModuleReader *self,
                               guint64         *list_offset,
                               guint64         *sect_attrs_offset)
{
  g_return_val_if_fail (KWB_IS_MODULE_READER (self), FALSE);

  if (self->layout == KWB_MODULES_LAYOUT_UNKNOWN || self->field_size[F_SECT_ATTRS] != 8)
    return FALSE;
  *list_offset = self->list_offset;
  *sect_attrs_offset = self->field_offset[F_SECT_ATTRS];
  return TRUE;
}

static KwbGdb *
get_gdb (KwbModuleReader *self)
{
  return kwb_session_get_gdb (self->session);
}

static void
task_return_unreadable (GTask      *task,
                        const char *what)
{
  g_task_return_new_error (task, KWB_MODULE_READER_ERROR, KWB_MODULE_READER_ERROR_FAILED,
                           _("Cannot read %s from the guest"), what);
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

/* The first block of a -data-read-memory-bytes answer, if it starts at
 * WANTED_BEGIN: a partial read (an unmapped page after the data) still
 * gives the front. NUL-terminated for the string readers. */
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

/* ---- one value ---- */

static void
u64_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *value = kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL);
  guint64 *number = g_new0 (guint64, 1);

  if (!parse_u64 (value, number))
    {
      g_free (number);
      task_return_unreadable (task, g_task_get_task_data (task));
      return;
    }
  g_task_return_pointer (task, number, g_free);
}

void
kwb_module_reader_read_u64_async (KwbModuleReader     *self,
                                  const char          *expr,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KWB_IS_MODULE_READER (self));
  g_return_if_fail (expr != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_module_reader_read_u64_async);
  g_task_set_task_data (task, g_strdup (expr), g_free);
  kwb_gdb_evaluate_async (get_gdb (self), expr, cancellable, u64_cb, task);
}

gboolean
kwb_module_reader_read_u64_finish (KwbModuleReader  *self,
                                   GAsyncResult     *result,
                                   guint64          *value,
                                   GError          **error)
{
  g_autofree guint64 *number = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  number = g_task_propagate_pointer (G_TASK (result), error);
  if (number == NULL)
    return FALSE;
  if (value != NULL)
    *value = *number;
  return TRUE;
}

/* ---- the probe: many evaluations at once ---- */

/* GDB answers MI commands in order and KwbGdb pipelines them: a batch of
 * evaluations costs one round trip, not one each. */
typedef struct {
  GTask     *task;
  GPtrArray *values;   /* char *, NULL where GDB said no */
  guint      pending;
} Batch;

typedef struct {
  Batch *batch;
  guint  index;
} BatchItem;

static void probe_done (GTask *task, GPtrArray *values);

static void
batch_release (Batch *batch)
{
  if (--batch->pending > 0)
    return;
  probe_done (batch->task, batch->values);
  g_ptr_array_unref (batch->values);
  g_free (batch);
}

static void
batch_eval_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BatchItem *item = user_data;

  g_ptr_array_index (item->batch->values, item->index) =
    kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL);
  batch_release (item->batch);
  g_free (item);
}

static void
batch_eval (Batch      *batch,
            KwbGdb     *gdb,
            const char *format,
            ...) G_GNUC_PRINTF (3, 4);

static void
batch_eval (Batch      *batch,
            KwbGdb     *gdb,
            const char *format,
            ...)
{
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

/* ---- the layout, kept per vmlinux ----
 *
 * What the probe learns depends on the vmlinux alone, and naming its types
 * makes GDB expand a whole compilation unit: half a second on a
 * distribution's vmlinux, at every session start. So it is kept by the
 * vmlinux's build-id, and the next session names no type at all unless a
 * read has to take the slow way. */

#define LAYOUT_GROUP "module-layout"
/* Bumped when the fields kept change: an older file is probed again. */
#define LAYOUT_VERSION 1

static char *
dup_layout_cache_path (KwbModuleReader *self)
{
  const char *vmlinux = kwb_session_config_get_vmlinux (kwb_session_get_config (self->session));
  g_autofree char *build_id = NULL;
  g_autofree char *name = NULL;
  KwbElf *elf;

  if (vmlinux == NULL || (elf = kwb_elf_open (vmlinux, NULL)) == NULL)
    return NULL;
  build_id = kwb_elf_dup_build_id (elf);
  kwb_elf_free (elf);
  if (build_id == NULL)
    return NULL;
  name = g_strconcat (build_id, ".ini", NULL);
  return g_build_filename (g_get_user_cache_dir (), "kernel-workbench", "module-layout", name, NULL);
}

/* "mem[0].base" → "mem-0.base.offset": a key file's keys take no brackets. */
static char *
dup_field_key (guint       field,
               const char *what)
{
  GString *key = g_string_new (NULL);

  for (const char *p = module_fields[field]; *p != '\0'; p++)
    if (*p == '[')
      g_string_append_c (key, '-');
    else if (*p != ']')
      g_string_append_c (key, *p);
  g_string_append_printf (key, ".%s", what);
  return g_string_free (key, FALSE);
}

static gboolean
layout_get (GKeyFile   *file,
            const char *key,
            guint64    *value)
{
  g_autoptr(GError) error = NULL;

  *value = g_key_file_get_uint64 (file, LAYOUT_GROUP, key, &error);
  return error == NULL;
}

/* Whether every piece read at these offsets lies inside what is read: the
 * file is ours, but it is read back from disk. */
static gboolean
layout_is_sane (KwbModuleReader *self)
{
  if (self->module_size == 0 || self->module_size >= 65536)
    return FALSE;
  for (guint i = 0; i < N_FIELDS; i++)
    if (self->field_size[i] > 8 && i != F_NAME)
      return FALSE;
    else if (self->field_size[i] > 0 && self->field_offset[i] + self->field_size[i] > self->module_size)
      return FALSE;
  if (!self->sect_layout_known)
    return TRUE;
  return self->sect_attr_size >= 16 && self->sect_attr_size < 4096 &&
         self->sect_name_offset + 8 <= self->sect_attr_size &&
         self->sect_address_offset + 8 <= self->sect_attr_size &&
         self->sect_attrs_offset < 4096 &&
         (self->sect_count_offset == G_MAXUINT64 || self->sect_count_offset + 4 <= self->sect_attrs_offset);
}

static gboolean
layout_load (KwbModuleReader *self,
             const char      *path)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  guint64 version = 0, layout = 0, known = 0;

  if (path == NULL || !g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL) ||
      !layout_get (file, "version", &version) || version != LAYOUT_VERSION ||
      !layout_get (file, "layout", &layout) ||
      (layout != KWB_MODULES_LAYOUT_MEM && layout != KWB_MODULES_LAYOUT_CORE_LAYOUT) ||
      !layout_get (file, "list-offset", &self->list_offset) ||
      !layout_get (file, "modules-head", &self->modules_head) || self->modules_head == 0 ||
      !layout_get (file, "sect-layout-known", &known) ||
      !layout_get (file, "sect-attr-size", &self->sect_attr_size) ||
      !layout_get (file, "sect-name-offset", &self->sect_name_offset) ||
      !layout_get (file, "sect-address-offset", &self->sect_address_offset) ||
      !layout_get (file, "sect-attrs-offset", &self->sect_attrs_offset) ||
      !layout_get (file, "sect-count-offset", &self->sect_count_offset) ||
      !layout_get (file, "module-size", &self->module_size))
    return FALSE;
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *offset = dup_field_key (i, "offset");
      g_autofree char *size = dup_field_key (i, "size");

      if (!layout_get (file, offset, &self->field_offset[i]) || !layout_get (file, size, &self->field_size[i]))
        return FALSE;
    }
  self->sect_layout_known = known != 0;
  if (!layout_is_sane (self))
    return FALSE;
  self->layout = (KwbModulesLayout) layout;
  return TRUE;
}

static void
layout_save (KwbModuleReader *self,
             const char      *path)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  gsize len;

  if (path == NULL)
    return;
  g_key_file_set_uint64 (file, LAYOUT_GROUP, "version", LAYOUT_VERSION);
  g_key_file_set_uint64 (file, LAYOUT_GROUP, "layout", self->layout);
  g_key_file_set_uint64 (file, LAYOUT_GROUP, "list-offset", self->list_offset);
  g_key_file_set_uint64 (file, LAYOUT_GROUP, "modules-head", self->modules_head);
  g_key_file_set_uint64 (file, LAYOUT_GROUP, "sect-layout-known", self->sect_layout_known);
  g_key_file_set_uint64 (file, LAYOUT_GROUP, "sect-attr-size", self->sect_attr_size);
  g_key_file_set_uint64 (file, LAYOUT_GROUP, "sect-name-offset", self->sect_name_offset);
  g_key_file_set_uint64 (file, LAYOUT_GROUP, "sect-address-offset", self->sect_address_offset);
  g_key_file_set_uint64 (file, LAYOUT_GROUP, "sect-attrs-offset", self->sect_attrs_offset);
  g_key_file_set_uint64 (file, LAYOUT_GROUP, "sect-count-offset", self->sect_count_offset);
  g_key_file_set_uint64 (file, LAYOUT_GROUP, "module-size", self->module_size);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *offset = dup_field_key (i, "offset");
      g_autofree char *size = dup_field_key (i, "size");

      g_key_file_set_uint64 (file, LAYOUT_GROUP, offset, self->field_offset[i]);
      g_key_file_set_uint64 (file, LAYOUT_GROUP, size, self->field_size[i]);
    }
  data = g_key_file_to_data (file, &len, NULL);
  dir = g_path_get_dirname (path);
  /* A cache: a session goes on without it, only slower next time. */
  if (g_mkdir_with_parents (dir, 0700) != 0 || !kwb_atomic_file_replace (path, data, len, &error))
    g_debug ("modules: cannot keep the layout in %s: %s", path, error ? error->message : g_strerror (errno));
}

/* ---- naming the types ----
 *
 * Every type is named through $kwb_module, taken from do_init_module()'s
 * parameter: naming `struct module` with no scope makes GDB expand every
 * compilation unit that declares it, about 30 s on a distribution's
 * vmlinux the first time; this costs one unit. The other types follow from
 * its members, so no read names a type. */

typedef void (*NamedFunc) (gpointer data);

typedef struct {
  KwbModuleReader *self;
  NamedFunc        done;
  gpointer         data;
} Naming;

static void
types_named_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Naming *naming = user_data;
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, NULL);

  naming->self->types_named = TRUE;
  naming->done (naming->data);
  g_object_unref (naming->self);
  g_free (naming);
}

static void
name_member_types (Naming *naming,
                   KwbGdb *gdb)
{
  kwb_gdb_console_async (gdb, "set var $kwb_sect_attrs = (typeof($kwb_module->sect_attrs))0", NULL, NULL, NULL);
  kwb_gdb_console_async (gdb, "set var $kwb_sect_attr = (typeof(&$kwb_module->sect_attrs->attrs[0]))0",
                         NULL, types_named_cb, naming);
}

static void
module_type_global_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, NULL);

  name_member_types (user_data, KWB_GDB (object));
}

static void
module_type_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, &error);

  if (out != NULL)
    {
      name_member_types (user_data, KWB_GDB (object));
      return;
    }
  /* No do_init_module() parameter to take it from: by name, the slow way. */
  g_debug ("modules: struct module through do_init_module: %s", error->message);
  kwb_gdb_console_async (KWB_GDB (object), "set var $kwb_module = (struct module *)0", NULL,
                         module_type_global_cb, user_data);
}

/* Sets $kwb_module, $kwb_sect_attrs and $kwb_sect_attr, then calls DONE. */
static void
name_types (KwbModuleReader *self,
            NamedFunc        done,
            gpointer         data)
{
  Naming *naming;

  if (self->types_named)
    {
      done (data);
      return;
    }
  naming = g_new0 (Naming, 1);
  naming->self = g_object_ref (self);
  naming->done = done;
  naming->data = data;
  kwb_gdb_console_async (get_gdb (self), "set var $kwb_module = (typeof(do_init_module::mod))0", NULL,
                         module_type_cb, naming);
}

/* ---- the probe ---- */

static void
probe_done (GTask     *task,
            GPtrArray *values)
{
  KwbModuleReader *self = g_task_get_source_object (task);
  guint64 offset, head;

  /* [0] sizeof mem (6.4+), [1] sizeof core_layout (≤ 6.3) */
  self->layout = KWB_MODULES_LAYOUT_UNKNOWN;
  if (g_ptr_array_index (values, 0) != NULL)
    self->layout = KWB_MODULES_LAYOUT_MEM;
  else if (g_ptr_array_index (values, 1) != NULL)
    self->layout = KWB_MODULES_LAYOUT_CORE_LAYOUT;
  if (parse_u64 (g_ptr_array_index (values, 2), &offset))
    self->list_offset = offset;
  self->modules_head = parse_u64 (g_ptr_array_index (values, 3), &head) ? head : 0;
  self->sect_layout_known = parse_u64 (g_ptr_array_index (values, 4), &self->sect_attr_size) &&
                            parse_u64 (g_ptr_array_index (values, 5), &self->sect_name_offset) &&
                            parse_u64 (g_ptr_array_index (values, 6), &self->sect_address_offset) &&
                            parse_u64 (g_ptr_array_index (values, 7), &self->sect_attrs_offset) &&
                            self->sect_attr_size >= 16 && self->sect_attr_size < 4096;
  if (!parse_u64 (g_ptr_array_index (values, 8), &self->sect_count_offset) ||
      self->sect_count_offset + 4 > self->sect_attrs_offset)
    self->sect_count_offset = G_MAXUINT64;
  if (!parse_u64 (g_ptr_array_index (values, 9), &self->module_size))
    self->module_size = 0;
  for (guint i = 0; i < N_FIELDS; i++)
    {
      self->field_offset[i] = self->field_size[i] = 0;
      if (!parse_u64 (g_ptr_array_index (values, 10 + 2 * i), &self->field_offset[i]) ||
          !parse_u64 (g_ptr_array_index (values, 11 + 2 * i), &self->field_size[i]))
        self->field_size[i] = 0;
    }
  g_debug ("modules: layout %s, list at +%" G_GUINT64_FORMAT,
           self->layout == KWB_MODULES_LAYOUT_MEM ? "mem[]" :
           self->layout == KWB_MODULES_LAYOUT_CORE_LAYOUT ? "core_layout" : "unknown", self->list_offset);
  /* Kept only when complete: a layout missing pieces (debug information
   * that hides a field) is probed again next time rather than trusted. */
  if (self->layout != KWB_MODULES_LAYOUT_UNKNOWN && self->modules_head != 0 && self->sect_layout_known &&
      layout_is_sane (self))
    {
      g_autofree char *path = dup_layout_cache_path (self);

      layout_save (self, path);
    }
  g_task_return_boolean (task, self->layout != KWB_MODULES_LAYOUT_UNKNOWN && self->modules_head != 0);
  g_object_unref (task);
}

static void
probe_layout (gpointer data)
{
  GTask *task = data;
  KwbModuleReader *self = g_task_get_source_object (task);
  KwbGdb *gdb = get_gdb (self);
  Batch *batch = g_new0 (Batch, 1);

  batch->task = task;
  batch->values = g_ptr_array_new_with_free_func (g_free);
  batch->pending = 1; /* held until every evaluation is sent */

  batch_eval (batch, gdb, "sizeof($kwb_module->mem)");
  batch_eval (batch, gdb, "sizeof($kwb_module->core_layout)");
  batch_eval (batch, gdb, "(unsigned long)&$kwb_module->list");
  batch_eval (batch, gdb, "(unsigned long)&modules");
  /* struct module_sect_attrs' layout, to read it in one piece */
  batch_eval (batch, gdb, "sizeof(*$kwb_sect_attr)");
  batch_eval (batch, gdb, "(unsigned long)&$kwb_sect_attr->battr.attr.name");
  batch_eval (batch, gdb, "(unsigned long)&$kwb_sect_attr->address");
  batch_eval (batch, gdb, "(unsigned long)&$kwb_sect_attrs->attrs");
  batch_eval (batch, gdb, "(unsigned long)&$kwb_sect_attrs->nsections");
  /* struct module's, for the same reason */
  batch_eval (batch, gdb, "sizeof(*$kwb_module)");
  for (guint i = 0; i < N_FIELDS; i++)
    {
      batch_eval (batch, gdb, "(unsigned long)&$kwb_module->%s", module_fields[i]);
      batch_eval (batch, gdb, "sizeof($kwb_module->%s)", module_fields[i]);
    }
  batch_release (batch);
}

void
kwb_module_reader_probe_async (KwbModuleReader     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (KWB_IS_MODULE_READER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_module_reader_probe_async);
  path = dup_layout_cache_path (self);
  if (layout_load (self, path))
    {
      g_debug ("modules: layout from %s", path);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  name_types (self, probe_layout, task);
}

gboolean
kwb_module_reader_probe_finish (KwbModuleReader  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the module list ---- */

static void walk_read (GTask *task, KwbGdb *gdb, guint64 at);

/* Each step is 8 raw bytes, the `next` of the list_head at AT: naming
 * `struct list_head` with no scope would make GDB look it up in every
 * compilation unit, on a distribution's vmlinux for seconds. */
static void
walk_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  KwbModuleReader *self = g_task_get_source_object (task);
  GArray *addresses = g_task_get_task_data (task);
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
  guint64 at = addresses->len == 0 ? self->modules_head
                                   : g_array_index (addresses, guint64, addresses->len - 1) + self->list_offset;
  g_autoptr(GBytes) bytes = NULL;
  guint64 next, address;

  if (record == NULL || (bytes = memory_from_record (record, at)) == NULL ||
      g_bytes_get_size (bytes) < sizeof next || (next = u64_at (g_bytes_get_data (bytes, NULL), 0)) == 0)
    {
      task_return_unreadable (task, "modules");
      g_object_unref (task);
      return;
    }
  if (next == self->modules_head || addresses->len >= MAX_MODULES)
    {
      g_task_return_pointer (task, g_array_ref (addresses), (GDestroyNotify) g_array_unref);
      g_object_unref (task);
      return;
    }
  address = next - self->list_offset;
  g_array_append_val (addresses, address);
  walk_read (task, KWB_GDB (object), next);
}

static void
walk_read (GTask   *task,
           KwbGdb  *gdb,
           guint64  at)
{
  kwb_gdb_command_async (gdb, NULL, walk_cb, task,
                         "-data-read-memory-bytes 0x%" G_GINT64_MODIFIER "x 8", at);
}

void
kwb_module_reader_list_async (KwbModuleReader     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KWB_IS_MODULE_READER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_module_reader_list_async);
  if (self->modules_head == 0)
    {
      task_return_unreadable (task, "modules");
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, g_array_new (FALSE, FALSE, sizeof (guint64)), (GDestroyNotify) g_array_unref);
  walk_read (task, get_gdb (self), self->modules_head);
}

GArray *
kwb_module_reader_list_finish (KwbModuleReader  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- one struct module ---- */

typedef struct {
  GTask     *task;          /* owned until the read returns */
  KwbModule *module;
  char      *expr;          /* "((struct module *)…)" being read */
  guint64    address;       /* the guest's struct module */
  guint      n_sections;
  guint      next_section;
  guint64    sect_attrs;    /* the guest's mod->sect_attrs */
  GArray    *name_ptrs;     /* guint64, per section */
  GArray    *sect_addrs;    /* guint64, per section */
  GPtrArray *names;         /* char *, per section, NULL until read */
  guint      names_pending;
} Read;

static void
read_free (Read *read)
{
  g_clear_object (&read->module);
  g_free (read->expr);
  g_clear_pointer (&read->name_ptrs, g_array_unref);
  g_clear_pointer (&read->sect_addrs, g_array_unref);
  g_clear_pointer (&read->names, g_ptr_array_unref);
  g_free (read);
}

static KwbModuleReader *
read_get_reader (Read *read)
{
  return g_task_get_source_object (read->task);
}

/* The module when read, else an error; the task goes. */
static void
read_return (Read *read)
{
  GTask *task = g_steal_pointer (&read->task);

  if (read->module != NULL)
    g_task_return_pointer (task, g_steal_pointer (&read->module), g_object_unref);
  else
    task_return_unreadable (task, read->expr);
  g_object_unref (task);
}

static void read_sections_chunk (Read *read);

/* The sections are read: .text is the text base GDB wants. */
static void
sections_done (Read *read)
{
  guint64 text;

  g_debug ("modules: %u sections read", read->n_sections);
  if (kwb_module_lookup_section (read->module, ".text", &text))
    kwb_module_set_text_address (read->module, text);
  read_return (read);
}

/* -- the slow way: printf, field by field -- */

static void
sections_printed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Read *read = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, &error);
  g_auto(GStrv) entries = NULL;

  if (out == NULL)
    {
      g_debug ("modules: cannot read the sections of %s: %s", read->expr, error->message);
      sections_done (read);
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
        kwb_module_add_section (read->module, entries[i], address);
    }
  read_sections_chunk (read);
}

static void
read_sections_chunk_named (gpointer data)
{
  Read *read = data;
  g_autoptr(GString) format = NULL;
  g_autoptr(GString) args = NULL;
  g_autofree char *command = NULL;
  guint start = read->next_section;
  guint end = MIN (read->n_sections, start + SECTIONS_PER_PRINTF);

  if (start >= end)
    {
      sections_done (read);
      return;
    }
  format = g_string_new (NULL);
  args = g_string_new (NULL);
  for (guint i = start; i < end; i++)
    {
      g_string_append (format, "%s=%lu;");
      g_string_append_printf (args, ", %s->sect_attrs->attrs[%u].battr.attr.name, %s->sect_attrs->attrs[%u].address",
                              read->expr, i, read->expr, i);
    }
  read->next_section = end;
  command = g_strdup_printf ("printf \"%s\\n\"%s", format->str, args->str);
  kwb_gdb_console_async (get_gdb (read_get_reader (read)), command, NULL, sections_printed_cb, read);
}

/* The _named steps name the types they use first, unless done. */
static void
read_sections_chunk (Read *read)
{
  name_types (read_get_reader (read), read_sections_chunk_named, read);
}

/* -- the fast way: raw memory, two or three packets for all sections -- */

/* The names resolved so far (read->names, NULL where not yet) become the
 * module's sections, in the kernel's order. */
static void
names_done (Read *read)
{
  for (guint i = 0; i < read->name_ptrs->len; i++)
    {
      const char *name = g_ptr_array_index (read->names, i);

      if (name != NULL && name[0] != '\0')
        kwb_module_add_section (read->module, name, g_array_index (read->sect_addrs, guint64, i));
    }
  sections_done (read);
}

/* The NUL-terminated string at the start of DATA, or NULL when it does not
 * end within MAX bytes. Any bytes: KwbModule judges the name. */
static char *
name_from (const guint8 *data,
           gsize         max)
{
  const char *end = memchr (data, '\0', max);

  if (end == NULL)
    return NULL;
  return g_strndup ((const char *) data, end - (const char *) data);
}

typedef struct {
  Read     *read;
  guint     index;
  gboolean  printf_tried;
} NameRead;

static void name_read_one (Read *read, guint index, gboolean use_printf);

static void
name_release (Read *read)
{
  if (--read->names_pending == 0)
    names_done (read);
}

static void
name_one_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  NameRead *one = user_data;
  Read *read = one->read;
  char *name = NULL;

  if (one->printf_tried)
    {
      g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, NULL);

      if (out != NULL && *out != '\0')
        name = g_steal_pointer (&out);
    }
  else
    {
      g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
      g_autoptr(GBytes) bytes = NULL;

      if (record != NULL &&
          (bytes = memory_from_record (record, g_array_index (read->name_ptrs, guint64, one->index))) != NULL)
        name = name_from (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (name == NULL)
        {
          /* At the end of a page, or longer than we read: GDB's printf
           * finds the end itself (slowly, but rarely needed). */
          read->names_pending++;
          name_read_one (read, one->index, TRUE);
        }
    }
  if (name != NULL)
    {
      g_free (g_ptr_array_index (read->names, one->index));
      g_ptr_array_index (read->names, one->index) = name;
    }
  g_free (one);
  name_release (read);
}

static void
name_read_one (Read     *read,
               guint     index,
               gboolean  use_printf)
{
  KwbGdb *gdb = get_gdb (read_get_reader (read));
  guint64 pointer = g_array_index (read->name_ptrs, guint64, index);
  NameRead *one = g_new0 (NameRead, 1);

  one->read = read;
  one->index = index;
  one->printf_tried = use_printf;
  if (use_printf)
    {
      g_autofree char *command = g_strdup_printf ("printf \"%%s\", (char *)0x%" G_GINT64_MODIFIER "x", pointer);

      kwb_gdb_console_async (gdb, command, NULL, name_one_cb, one);
    }
  else
    kwb_gdb_command_async (gdb, NULL, name_one_cb, one,
                           "-data-read-memory-bytes 0x%" G_GINT64_MODIFIER "x 64", pointer);
}

/* Every name not resolved yet, one read each (pipelined: one round trip). */
static void
names_read_each (Read *read)
{
  read->names_pending = 1;
  for (guint i = 0; i < read->name_ptrs->len; i++)
    if (g_ptr_array_index (read->names, i) == NULL && g_array_index (read->name_ptrs, guint64, i) != 0)
      {
        read->names_pending++;
        name_read_one (read, i, FALSE);
      }
  name_release (read);
}

static void
names_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Read *read = user_data;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
  guint64 low = G_MAXUINT64;
  g_autoptr(GBytes) bytes = NULL;

  for (guint i = 0; i < read->name_ptrs->len; i++)
    low = MIN (low, g_array_index (read->name_ptrs, guint64, i));
  if (record != NULL && (bytes = memory_from_record (record, low)) != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      for (guint i = 0; i < read->name_ptrs->len; i++)
        {
          guint64 offset = g_array_index (read->name_ptrs, guint64, i) - low;

          if (offset < len)
            g_ptr_array_index (read->names, i) = name_from (data + offset, len - offset);
        }
    }
  /* Whatever the block did not hold (cut off, or no block at all). */
  names_read_each (read);
}

/* DATA: read->n_sections entries of mod->sect_attrs->attrs[]. */
static void
attrs_parse (Read         *read,
             const guint8 *data)
{
  KwbModuleReader *self = read_get_reader (read);
  guint64 low = G_MAXUINT64, high = 0;

  read->name_ptrs = g_array_new (FALSE, FALSE, sizeof (guint64));
  read->sect_addrs = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (guint i = 0; i < read->n_sections; i++)
    {
      guint64 name = u64_at (data, i * self->sect_attr_size + self->sect_name_offset);
      guint64 address = u64_at (data, i * self->sect_attr_size + self->sect_address_offset);

      g_array_append_val (read->name_ptrs, name);
      g_array_append_val (read->sect_addrs, address);
      low = MIN (low, name);
      high = MAX (high, name);
    }
  read->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (read->names, read->n_sections);
  /* The names are small kstrdup()s, often allocated one after the other:
   * then one block holds them all; else one read each. */
  if (low == 0 || high - low > 16384)
    {
      names_read_each (read);
      return;
    }
  kwb_gdb_command_async (get_gdb (self), NULL, names_read_cb, read,
                         "-data-read-memory-bytes 0x%" G_GINT64_MODIFIER "x %" G_GUINT64_FORMAT,
                         low, high - low + 64);
}

static void
attrs_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Read *read = user_data;
  KwbModuleReader *self = read_get_reader (read);
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
  g_autoptr(GBytes) bytes = NULL;

  if (record == NULL ||
      (bytes = memory_from_record (record, read->sect_attrs + self->sect_attrs_offset)) == NULL ||
      g_bytes_get_size (bytes) < read->n_sections * self->sect_attr_size)
    {
      read_sections_chunk (read);
      return;
    }
  attrs_parse (read, g_bytes_get_data (bytes, NULL));
}

/* The section table: raw when its layout is known, else by printf. */
static void
read_sections (Read *read)
{
  KwbModuleReader *self = read_get_reader (read);

  read->next_section = 0;
  if (self->sect_layout_known && read->sect_attrs != 0 && read->n_sections > 0)
    kwb_gdb_command_async (get_gdb (self), NULL, attrs_read_cb, read,
                           "-data-read-memory-bytes 0x%" G_GINT64_MODIFIER "x %" G_GUINT64_FORMAT,
                           read->sect_attrs + self->sect_attrs_offset,
                           (guint64) read->n_sections * self->sect_attr_size);
  else
    read_sections_chunk (read);
}

/* -- the header -- */

static void
set_expr_from_address (Read *read)
{
  /* From here on the struct by its address: no frame lookups. */
  g_free (read->expr);
  read->expr = g_strdup_printf ("((typeof($kwb_module))0x%" G_GINT64_MODIFIER "x)", read->address);
}

static void
header_printed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Read *read = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, &error);
  g_auto(GStrv) fields = NULL;
  guint64 state = 0, n_sections = 0, base = 0, size = 0;

  /* address|name|state|nsections|base|size|sect_attrs: a name holding '|'
   * makes the count wrong, and the module unreadable. */
  if (out != NULL)
    fields = g_strsplit (g_strstrip (out), "|", -1);
  if (fields == NULL || g_strv_length (fields) != 7 || !parse_u64 (fields[0], &read->address) ||
      fields[1][0] == '\0' || !parse_u64 (fields[2], &state))
    {
      /* The guest runs again, or this is no module: nothing to read. */
      g_debug ("modules: cannot read %s: %s", read->expr, error ? error->message : out);
      read_return (read);
      return;
    }
  parse_u64 (fields[3], &n_sections);
  parse_u64 (fields[4], &base);
  parse_u64 (fields[5], &size);

  read->module = kwb_module_new (fields[1], read->address);
  kwb_module_set_state (read->module, (KwbModuleState) state);
  kwb_module_set_text_address (read->module, base);
  kwb_module_set_size (read->module, size);
  g_debug ("modules: header of %s read", kwb_module_get_name (read->module));
  set_expr_from_address (read);
  read->n_sections = MIN (n_sections, MAX_SECTIONS);
  if (!parse_u64 (fields[6], &read->sect_attrs))
    read->sect_attrs = 0;
  read_sections (read);
}

static void
read_module_printf_named (gpointer data)
{
  Read *read = data;
  KwbModuleReader *self = read_get_reader (read);
  g_autofree char *command = NULL;
  const char *e = read->expr;

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
  kwb_gdb_console_async (get_gdb (self), command, NULL, header_printed_cb, read);
}

static void
read_module_printf (Read *read)
{
  name_types (read_get_reader (read), read_module_printf_named, read);
}

static gboolean
field_known (KwbModuleReader *self,
             guint            field)
{
  return self->field_size[field] > 0 &&
         self->field_offset[field] + self->field_size[field] <= self->module_size;
}

static guint64
field_u64 (KwbModuleReader *self,
           const guint8    *data,
           guint            field)
{
  guint64 value = 0;

  /* Little-endian x86: the low bytes come first. */
  memcpy (&value, data + self->field_offset[field], MIN (self->field_size[field], sizeof value));
  return GUINT64_FROM_LE (value);
}

static void
nsections_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Read *read = user_data;
  g_autofree char *value = kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL);
  guint64 n = 0;

  if (!parse_u64 (value, &n))
    n = 0;
  read->n_sections = MIN (n, MAX_SECTIONS);
  read_sections (read);
}

/* nsections on its own, the table read after it knowing its length. */
static void
read_section_count_named (gpointer data)
{
  Read *read = data;
  g_autofree char *expr = g_strdup_printf ("((typeof($kwb_sect_attrs))0x%" G_GINT64_MODIFIER "x)->nsections",
                                           read->sect_attrs);

  kwb_gdb_evaluate_async (get_gdb (read_get_reader (read)), expr, NULL, nsections_read_cb, read);
}

static void
read_section_count (Read *read)
{
  name_types (read_get_reader (read), read_section_count_named, read);
}

static void
table_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Read *read = user_data;
  KwbModuleReader *self = read_get_reader (read);
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  guint32 count;
  gsize len;

  /* A smaller table is read with what follows its allocation: always
   * mapped in the kernel's direct map, unless DEBUG_PAGEALLOC unmapped the
   * page after. A read cut short: the count alone, then the table. */
  if (record == NULL || (bytes = memory_from_record (record, read->sect_attrs)) == NULL ||
      g_bytes_get_size (bytes) < self->sect_attrs_offset)
    {
      read_section_count (read);
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  memcpy (&count, data + self->sect_count_offset, sizeof count);
  read->n_sections = MIN (GUINT32_FROM_LE (count), MAX_SECTIONS);
  if (len - self->sect_attrs_offset < read->n_sections * self->sect_attr_size)
    {
      read_sections (read);
      return;
    }
  read->next_section = 0;
  attrs_parse (read, data + self->sect_attrs_offset);
}

static void
module_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Read *read = user_data;
  KwbModuleReader *self = read_get_reader (read);
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  const guint8 *data;
  guint64 size;

  if (record == NULL || (bytes = memory_from_record (record, read->address)) == NULL ||
      g_bytes_get_size (bytes) < self->module_size)
    {
      read_module_printf (read);
      return;
    }
  data = g_bytes_get_data (bytes, NULL);
  name = g_strndup ((const char *) data + self->field_offset[F_NAME], self->field_size[F_NAME]);
  if (name[0] == '\0')
    {
      read_return (read);
      return;
    }
  read->module = kwb_module_new (name, read->address);
  kwb_module_set_state (read->module, (KwbModuleState) field_u64 (self, data, F_STATE));
  if (self->layout == KWB_MODULES_LAYOUT_MEM)
    {
      kwb_module_set_text_address (read->module, field_u64 (self, data, F_MEM0_BASE));
      size = field_u64 (self, data, F_MEM0_SIZE) + field_u64 (self, data, F_MEM1_SIZE) +
             field_u64 (self, data, F_MEM2_SIZE) + field_u64 (self, data, F_MEM3_SIZE);
    }
  else
    {
      kwb_module_set_text_address (read->module, field_u64 (self, data, F_CORE_BASE));
      size = field_u64 (self, data, F_CORE_SIZE);
    }
  kwb_module_set_size (read->module, size);
  g_debug ("modules: %s read", kwb_module_get_name (read->module));
  set_expr_from_address (read);
  read->sect_attrs = field_u64 (self, data, F_SECT_ATTRS);
  read->n_sections = 0;
  if (read->sect_attrs == 0)
    {
      sections_done (read);
      return;
    }
  if (self->sect_layout_known && self->sect_count_offset != G_MAXUINT64)
    {
      /* The count and the table in one read, for a table of common size. */
      kwb_gdb_command_async (KWB_GDB (object), NULL, table_read_cb, read,
                             "-data-read-memory-bytes 0x%" G_GINT64_MODIFIER "x %" G_GUINT64_FORMAT,
                             read->sect_attrs, self->sect_attrs_offset + SECTIONS_GUESS * self->sect_attr_size);
      return;
    }
  read_section_count (read);
}

static void
read_struct (Read *read)
{
  KwbModuleReader *self = read_get_reader (read);

  kwb_gdb_command_async (get_gdb (self), NULL, module_read_cb, read,
                         "-data-read-memory-bytes 0x%" G_GINT64_MODIFIER "x %" G_GUINT64_FORMAT,
                         read->address, self->module_size);
}

static void
module_address_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Read *read = user_data;
  g_autofree char *value = kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL);

  if (!parse_u64 (value, &read->address) || read->address == 0)
    {
      read_return (read);
      return;
    }
  read_struct (read);
}

/* EXPR is GDB's to evaluate, through the named types. */
static void
read_address_named (gpointer data)
{
  Read *read = data;
  g_autofree char *address = g_strdup_printf ("(unsigned long)%s", read->expr);

  kwb_gdb_evaluate_async (get_gdb (read_get_reader (read)), address, NULL, module_address_cb, read);
}

/* The struct and the section table are read as raw memory in a few
 * packets, with the offsets probed; if the kernel hides any of them, field
 * by field with printf. */
void
kwb_module_reader_read_async (KwbModuleReader     *self,
                              const char          *expr,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Read *read;

  g_return_if_fail (KWB_IS_MODULE_READER (self));
  g_return_if_fail (expr != NULL);

  read = g_new0 (Read, 1);
  read->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (read->task, kwb_module_reader_read_async);
  /* READ holds the task's one ref until read_return drops it; the task
   * frees READ when it goes. */
  g_task_set_task_data (read->task, read, (GDestroyNotify) read_free);
  read->expr = g_strdup_printf ("((typeof($kwb_module))(%s))", expr);
  if (self->module_size > 0 && self->module_size < 65536 && field_known (self, F_NAME) &&
      field_known (self, F_STATE) && field_known (self, F_SECT_ATTRS) &&
      (self->layout == KWB_MODULES_LAYOUT_MEM ?
         field_known (self, F_MEM0_BASE) && field_known (self, F_MEM3_SIZE) :
         field_known (self, F_CORE_BASE) && field_known (self, F_CORE_SIZE)))
    {
      char *end = NULL;

      /* An address already (the stop named it, or the list walk): no
       * evaluation, which costs GDB a frame and symbol lookup. */
      read->address = g_ascii_strtoull (expr, &end, 0);
      if (end != expr && *end == '\0' && read->address != 0)
        {
          read_struct (read);
          return;
        }
      name_types (self, read_address_named, read);
      return;
    }
  read_module_printf (read);
}

KwbModule *
kwb_module_reader_read_finish (KwbModuleReader  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
