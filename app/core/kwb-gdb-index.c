/* kwb-gdb-index.c — GDB's index of a vmlinux, kept by build-id, written in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GDB's index cache names each index by the file's build-id. With it a
 * distribution's 560 MB vmlinux loads in about half a second; without it
 * GDB reads all of its debug information. A session's GDB asked to keep
 * the index writes it before it answers anything, more than doubling the
 * first session's wait for its first stop (measured: 3.2 s against 1.3 s
 * for `file` alone). So a session's GDB only ever reads an index, and one
 * is written by a GDB of its own at idle priority (util-linux's `chrt
 * --idle`): it takes the CPU the session leaves, mostly while the guest
 * sits at a stop. The kernel build warms the same cache for kernels we
 * build, in its own step.
 *
 * A relocatable kernel's vmlinux (a distribution's) keeps the linker's
 * relocations of its debug information (.rela.debug_info and co., 290 MB
 * of Debian's 560 MB). The section contents are final already, but GDB
 * applies them again the first time it reads a compilation unit: 1.6 s
 * before the first breakpoint is placed, in every session. So beside the
 * index a copy without them is kept (objcopy, about 300 MB), and sessions
 * give GDB that copy (kwb_gdb_index_dup_symbol_file()).
 */
#include "config.h"

#include <signal.h>

#include <glib/gi18n.h>

#include "kwb-elf.h"
#include "kwb-gdb-index.h"
#include "kwb-spawn.h"

struct _KwbGdbIndex
{
  GObject      parent_instance;

  char        *gdb_program;
  char        *vmlinux;
  char        *build_id;
  gboolean     strip;  /* a copy without .rela.debug_* is worth keeping */
  GSubprocess *writer;
};

G_DEFINE_FINAL_TYPE (KwbGdbIndex, kwb_gdb_index, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-gdb-index-error-quark, kwb_gdb_index_error)

enum {
  PROP_0,
  PROP_WRITING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kill_writer (KwbGdbIndex *self)
{
  if (self->writer != NULL)
    kwb_spawn_kill_group (self->writer, SIGKILL);
}

static void
kwb_gdb_index_dispose (GObject *object)
{
  KwbGdbIndex *self = (KwbGdbIndex *) object;

  kill_writer (self);
  g_clear_object (&self->writer);
  G_OBJECT_CLASS (kwb_gdb_index_parent_class)->dispose (object);
}

static void
kwb_gdb_index_finalize (GObject *object)
{
  KwbGdbIndex *self = (KwbGdbIndex *) object;

  g_free (self->gdb_program);
  g_free (self->vmlinux);
  g_free (self->build_id);
  G_OBJECT_CLASS (kwb_gdb_index_parent_class)->finalize (object);
}

static void
kwb_gdb_index_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KwbGdbIndex *self = KWB_GDB_INDEX (object);

  switch (prop_id)
    {
    case PROP_WRITING:
      g_value_set_boolean (value, kwb_gdb_index_get_writing (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_gdb_index_class_init (KwbGdbIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_gdb_index_dispose;
  object_class->finalize = kwb_gdb_index_finalize;
  object_class->get_property = kwb_gdb_index_get_property;

  properties[PROP_WRITING] =
    g_param_spec_boolean ("writing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_gdb_index_init (KwbGdbIndex *self)
{
}

char *
kwb_gdb_index_dup_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "kernel-workbench", "gdb-index", NULL);
}

KwbGdbIndex *
kwb_gdb_index_new (const char *gdb_program,
                   const char *vmlinux)
{
  KwbGdbIndex *self;
  KwbElf *elf;

  g_return_val_if_fail (gdb_program != NULL, NULL);
  g_return_val_if_fail (vmlinux != NULL, NULL);

  self = g_object_new (KWB_TYPE_GDB_INDEX, NULL);
  self->gdb_program = g_strdup (gdb_program);
  self->vmlinux = g_strdup (vmlinux);
  if ((elf = kwb_elf_open (vmlinux, NULL)) != NULL)
    {
      g_autofree char *objcopy = g_find_program_in_path ("objcopy");

      self->build_id = kwb_elf_dup_build_id (elf);
      self->strip = objcopy != NULL && kwb_elf_has_section (elf, ".rela.debug_info");
      kwb_elf_free (elf);
    }
  return self;
}

const char *
kwb_gdb_index_get_build_id (KwbGdbIndex *self)
{
  g_return_val_if_fail (KWB_IS_GDB_INDEX (self), NULL);
  return self->build_id;
}

static char *
dup_index_path (KwbGdbIndex *self)
{
  g_autofree char *dir = kwb_gdb_index_dup_cache_dir ();
  g_autofree char *name = g_strconcat (self->build_id, ".gdb-index", NULL);

  return g_build_filename (dir, name, NULL);
}

static char *
dup_copy_path (KwbGdbIndex *self)
{
  g_autofree char *dir = kwb_gdb_index_dup_cache_dir ();
  g_autofree char *name = g_strconcat (self->build_id, ".vmlinux", NULL);

  return g_build_filename (dir, name, NULL);
}

gboolean
kwb_gdb_index_is_kept (KwbGdbIndex *self)
{
  g_autofree char *path = NULL;
  g_autofree char *copy = NULL;

  g_return_val_if_fail (KWB_IS_GDB_INDEX (self), FALSE);

  if (self->build_id == NULL)
    return FALSE;
  path = dup_index_path (self);
  if (!self->strip)
    return g_file_test (path, G_FILE_TEST_IS_REGULAR);
  copy = dup_copy_path (self);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && g_file_test (copy, G_FILE_TEST_IS_REGULAR);
}

char *
kwb_gdb_index_dup_symbol_file (KwbGdbIndex *self)
{
  g_autofree char *copy = NULL;

  g_return_val_if_fail (KWB_IS_GDB_INDEX (self), NULL);

  if (self->build_id == NULL || !self->strip)
    return g_strdup (self->vmlinux);
  copy = dup_copy_path (self);
  if (!g_file_test (copy, G_FILE_TEST_IS_REGULAR))
    return g_strdup (self->vmlinux);
  return g_steal_pointer (&copy);
}

gboolean
kwb_gdb_index_get_writing (KwbGdbIndex *self)
{
  g_return_val_if_fail (KWB_IS_GDB_INDEX (self), FALSE);
  return self->writer != NULL;
}

static void
cancelled_cb (GCancellable *cancellable,
              KwbGdbIndex  *self)
{
  kill_writer (self);
}

static void
writer_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbGdbIndex *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  if (cancellable != NULL)
    g_signal_handlers_disconnect_by_func (cancellable, cancelled_cb, self);
  if (self->writer == G_SUBPROCESS (object))
    {
      g_clear_object (&self->writer);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITING]);
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!kwb_gdb_index_is_kept (self))
    {
      g_task_return_new_error (task, KWB_GDB_INDEX_ERROR, KWB_GDB_INDEX_ERROR_FAILED,
                               _("GDB wrote no index of %s (it exited with status %d)"), self->vmlinux,
                               g_subprocess_get_if_exited (G_SUBPROCESS (object)) ?
                                 g_subprocess_get_exit_status (G_SUBPROCESS (object)) : -1);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
kwb_gdb_index_write_async (KwbGdbIndex         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *argv[20];
  guint n = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *set_dir = NULL;
  g_autofree char *chrt = g_find_program_in_path ("chrt");
  g_autofree char *copy = NULL;

  g_return_if_fail (KWB_IS_GDB_INDEX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_gdb_index_write_async);
  if (self->build_id == NULL)
    {
      g_task_return_new_error (task, KWB_GDB_INDEX_ERROR, KWB_GDB_INDEX_ERROR_NO_BUILD_ID,
                               _("%s has no build-id, which GDB names its index by"), self->vmlinux);
      return;
    }
  if (self->writer != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, _("GDB’s index of %s is being written"),
                               self->vmlinux);
      return;
    }
  dir = kwb_gdb_index_dup_cache_dir ();
  set_dir = g_strdup_printf ("set index-cache directory %s", dir);
  g_mkdir_with_parents (dir, 0700);
  if (chrt != NULL)
    {
      argv[n++] = chrt;
      argv[n++] = "--idle";
      argv[n++] = "0";
    }
  if (self->strip)
    {
      /* The copy first (atomically: a killed objcopy leaves only its
       * .part), then GDB indexes the copy, which it reads faster. */
      copy = dup_copy_path (self);
      argv[n++] = "sh";
      argv[n++] = "-c";
      argv[n++] = "objcopy --remove-section='.rela.debug_*' \"$1\" \"$2.part\" && mv -f \"$2.part\" \"$2\" && "
                  "exec \"$3\" -batch -nx -iex \"$4\" -iex 'set index-cache on' \"$2\"";
      argv[n++] = "sh";
      argv[n++] = self->vmlinux;
      argv[n++] = copy;
      argv[n++] = self->gdb_program;
      argv[n++] = set_dir;
    }
  else
    {
      argv[n++] = self->gdb_program;
      argv[n++] = "-batch";
      argv[n++] = "-nx";
      argv[n++] = "-iex";
      argv[n++] = set_dir;
      argv[n++] = "-iex";
      argv[n++] = "set index-cache on";
      argv[n++] = self->vmlinux;
    }
  argv[n] = NULL;

  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  self->writer = kwb_spawn (launcher, argv, NULL, &error);
  if (self->writer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITING]);
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (cancelled_cb), self, 0);
  if (g_cancellable_is_cancelled (cancellable))
    kill_writer (self);
  g_subprocess_wait_async (self->writer, NULL, writer_done_cb, g_steal_pointer (&task));
}

gboolean
kwb_gdb_index_write_finish (KwbGdbIndex   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
