/* kwb-busybox.c — the BusyBox binary of a project: check it, or build it from source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The initramfs has no C library, so the BusyBox in it must be a static
 * x86-64 binary. We read the ELF header ourselves rather than trusting a file
 * name or running `file`: a dynamic binary would boot to "Kernel panic: No
 * working init found" with no hint why.
 *
 * A source build does what the seed does by hand in menuconfig, but out of
 * tree (make O=) so the user's tree is never written: BusyBox's top Makefile
 * re-invokes itself in O= with KBUILD_SRC set, exactly like Linux 2.6, and
 * writes nothing into the source directory (the integration test checksums
 * the tree before and after to hold us to that).
 *
 * Every make runs in its own process group (kwb-spawn) and is read line by
 * line with read_line_async on the main thread: no worker thread ever forks,
 * so PR_SET_PDEATHSIG stays tied to a thread that lives as long as the build.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-busybox.h"
#include "kwb-elf.h"
#include "kwb-spawn.h"

/* Files a defconfig + static build of BusyBox 1.35 compiles (566 counted); only for the
 * progress bar before the first build has counted them itself. */
#define DEFAULT_CC_ESTIMATE 570

typedef enum {
  STEP_EXTRACT,
  STEP_DEFCONFIG,
  STEP_OLDCONFIG,
  STEP_MAKE,
  STEP_INSTALL,
  STEP_DONE,
} Step;

struct _KwbBusybox
{
  GObject     parent_instance;
  KwbProject *project;
  double      fraction;
  char       *phase;
};

typedef struct
{
  Step              step;
  char             *source;      /* the tree (after extraction) */
  char             *tarball;     /* NULL for a tree */
  char             *build_dir;
  char             *obj_dir;
  char             *staging_dir;
  char             *log_path;
  GOutputStream    *log;
  GSubprocess      *process;
  GDataInputStream *lines;
  GCancellable     *cancellable;
  gulong            cancel_id;
  guint             cc_count;
  guint             cc_estimate;
  char             *first_error;
  GQueue            tail;        /* last lines, for failures with no error line */
} BuildData;

G_DEFINE_FINAL_TYPE (KwbBusybox, kwb_busybox, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-busybox-error-quark, kwb_busybox_error)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_FRACTION,
  PROP_PHASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ ELF */

gboolean
kwb_busybox_check_binary (const char  *path,
                          GError     **error)
{
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(GArray) headers = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if ((elf = kwb_elf_open (path, &local_error)) == NULL)
    {
      if (local_error->domain == G_FILE_ERROR)
        g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NOT_FOUND,
                     _("BusyBox binary %s: %s. Install busybox-static (sudo apt-get install "
                       "busybox-static) or set [busybox] binary to a static BusyBox."),
                     path, local_error->message);
      else
        g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NOT_ELF,
                     _("%s is not an ELF executable, so it cannot be the initramfs’s BusyBox. "
                       "Choose a static BusyBox binary."), path);
      return FALSE;
    }

  if (kwb_elf_get_class (elf) != ELFCLASS64 || !kwb_elf_is_little_endian (elf) ||
      kwb_elf_get_machine (elf) != EM_X86_64)
    {
      g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_WRONG_ARCH,
                   _("%s is not an x86-64 program (ELF machine %u), but the guest is "
                     "qemu-system-x86_64. Choose an x86-64 static BusyBox."),
                   path, kwb_elf_get_machine (elf));
      return FALSE;
    }

  if ((headers = kwb_elf_dup_program_headers (elf, &local_error)) == NULL)
    {
      if (g_error_matches (local_error, KWB_ELF_ERROR, KWB_ELF_ERROR_TRUNCATED))
        g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NOT_ELF,
                     _("%s is truncated: its program headers cannot be read."), path);
      else
        g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NOT_ELF,
                     _("%s has no usable program headers: it is not a program that can run. "
                       "Choose a static BusyBox binary."), path);
      return FALSE;
    }

  for (guint i = 0; i < headers->len; i++)
    {
      const GElf_Phdr *ph = &g_array_index (headers, GElf_Phdr, i);

      if (ph->p_type == PT_INTERP)
        {
          g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_DYNAMIC,
                       _("%s is dynamically linked (it asks for a program interpreter), but "
                         "the initramfs has no C library for it to load, so it could not run. "
                         "Use a static BusyBox: install busybox-static, or build BusyBox "
                         "from source (kwb busybox) which sets CONFIG_STATIC=y."), path);
          return FALSE;
        }
    }
  /* A static-pie binary has a PT_DYNAMIC for its own relocations but needs no
   * library: only DT_NEEDED entries make it unusable. */
  for (guint i = 0; i < headers->len; i++)
    {
      const GElf_Phdr *ph = &g_array_index (headers, GElf_Phdr, i);

      if (ph->p_type == PT_DYNAMIC && kwb_elf_segment_needs_libraries (elf, ph))
        {
          g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_DYNAMIC,
                       _("%s is dynamically linked (it needs shared libraries), but the "
                         "initramfs has no C library, so it could not run. Use a static "
                         "BusyBox: install busybox-static, or build BusyBox from source "
                         "(kwb busybox) which sets CONFIG_STATIC=y."), path);
          return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------ applets */

typedef struct
{
  char *binary;
} ListData;

static void
list_data_free (gpointer data)
{
  ListData *ld = data;

  g_free (ld->binary);
  g_free (ld);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
list_communicated_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GTask) task = user_data;
  ListData *ld = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) applets = g_ptr_array_new_with_free_func (g_free);

  if (!g_subprocess_communicate_utf8_finish (process, result, &out, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_APPLETS,
                                 _("Cannot read the applet list of %s: %s"),
                                 ld->binary, error->message);
      return;
    }

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_APPLETS,
                               _("“%s --list-full” failed: is it BusyBox? The initramfs needs "
                                 "its applet list to create the commands."), ld->binary);
      return;
    }

  lines = g_strsplit (out ? out : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (*line == '\0')
        continue;
      /* Refuse anything that would escape the image or is not a plain
       * relative path: this comes from a binary the user picked. */
      if (line[0] == '/' || strstr (line, "..") != NULL || strchr (line, ' ') != NULL)
        {
          g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_APPLETS,
                                   _("“%s --list-full” printed “%s”, which is not an applet "
                                     "path: is it BusyBox?"), ld->binary, line);
          return;
        }
      g_ptr_array_add (applets, g_strdup (line));
    }

  if (applets->len == 0)
    {
      g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_APPLETS,
                               _("“%s --list-full” printed no applets: is it BusyBox?"),
                               ld->binary);
      return;
    }

  g_ptr_array_sort (applets, compare_strings);
  g_ptr_array_add (applets, NULL);
  g_task_return_pointer (task, g_ptr_array_steal (applets, NULL), (GDestroyNotify) g_strfreev);
}

void
kwb_busybox_list_applets_async (const char          *binary,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  ListData *ld;
  const char *argv[] = { binary, "--list-full", NULL };

  g_return_if_fail (binary != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_busybox_list_applets_async);
  ld = g_new0 (ListData, 1);
  /* A bare name would be looked up on PATH: it names a file here. */
  if (strchr (binary, '/') == NULL)
    ld->binary = g_strconcat ("./", binary, NULL);
  else
    ld->binary = g_strdup (binary);
  argv[0] = ld->binary;
  g_task_set_task_data (task, ld, list_data_free);

  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  if ((process = kwb_spawn (launcher, argv, NULL, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_subprocess_communicate_utf8_async (process, NULL, cancellable, list_communicated_cb,
                                       g_steal_pointer (&task));
}

char **
kwb_busybox_list_applets_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_busybox_list_applets_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ object */

static void
kwb_busybox_finalize (GObject *object)
{
  KwbBusybox *self = (KwbBusybox *) object;

  g_clear_object (&self->project);
  g_clear_pointer (&self->phase, g_free);
  G_OBJECT_CLASS (kwb_busybox_parent_class)->finalize (object);
}

static void
kwb_busybox_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KwbBusybox *self = KWB_BUSYBOX (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_PHASE:
      g_value_set_string (value, self->phase);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_busybox_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KwbBusybox *self = KWB_BUSYBOX (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      self->project = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_busybox_class_init (KwbBusyboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_busybox_finalize;
  object_class->get_property = kwb_busybox_get_property;
  object_class->set_property = kwb_busybox_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, KWB_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* 0…1 while building; compiled files counted against the last build's. */
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHASE] =
    g_param_spec_string ("phase", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_busybox_init (KwbBusybox *self)
{
}

KwbBusybox *
kwb_busybox_new (KwbProject *project)
{
  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);
  return g_object_new (KWB_TYPE_BUSYBOX, "project", project, NULL);
}

KwbProject *
kwb_busybox_get_project (KwbBusybox *self)
{
  g_return_val_if_fail (KWB_IS_BUSYBOX (self), NULL);
  return self->project;
}

double
kwb_busybox_get_fraction (KwbBusybox *self)
{
  g_return_val_if_fail (KWB_IS_BUSYBOX (self), 0.0);
  return self->fraction;
}

const char *
kwb_busybox_get_phase (KwbBusybox *self)
{
  g_return_val_if_fail (KWB_IS_BUSYBOX (self), NULL);
  return self->phase;
}

char *
kwb_busybox_dup_build_dir (KwbBusybox *self)
{
  char *dir;

  g_return_val_if_fail (KWB_IS_BUSYBOX (self), NULL);
  dir = kwb_project_dup_path (self->project, "busybox", "build-dir");
  return dir ? dir : g_build_filename (kwb_project_get_directory (self->project), "build", "busybox", NULL);
}

char *
kwb_busybox_dup_log_path (KwbBusybox *self)
{
  g_autofree char *dir = kwb_busybox_dup_build_dir (self);

  return g_build_filename (dir, "build.log", NULL);
}

char *
kwb_busybox_dup_binary_path (KwbBusybox  *self,
                             GError     **error)
{
  g_autofree char *source = NULL;

  g_return_val_if_fail (KWB_IS_BUSYBOX (self), NULL);

  source = kwb_project_dup_string (self->project, "busybox", "source");
  if (g_strcmp0 (source, "tree") == 0)
    {
      g_autofree char *dir = kwb_busybox_dup_build_dir (self);
      char *binary = g_build_filename (dir, "staging", "bin", "busybox", NULL);

      if (!g_file_test (binary, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NOT_BUILT,
                       _("BusyBox has not been built from source yet (no %s). "
                         "Build it with “kwb busybox %s”."),
                       binary, kwb_project_get_directory (self->project));
          g_free (binary);
          return NULL;
        }
      return binary;
    }
  else
    {
      char *binary = kwb_project_dup_path (self->project, "busybox", "binary");

      if (binary == NULL)
        binary = g_strdup ("/bin/busybox");
      return binary;
    }
}

static void
set_progress (KwbBusybox *self,
              const char *phase,
              double      fraction)
{
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (phase != NULL && g_strcmp0 (phase, self->phase) != 0)
    {
      g_free (self->phase);
      self->phase = g_strdup (phase);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
    }
  if (fraction != self->fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
}

/* ------------------------------------------------------------------ build */

static void
build_data_free (gpointer data)
{
  BuildData *bd = data;

  if (bd->cancel_id != 0)
    g_cancellable_disconnect (bd->cancellable, bd->cancel_id);
  g_clear_object (&bd->cancellable);
  g_free (bd->source);
  g_free (bd->tarball);
  g_free (bd->build_dir);
  g_free (bd->obj_dir);
  g_free (bd->staging_dir);
  g_free (bd->log_path);
  if (bd->log != NULL)
    g_output_stream_close (bd->log, NULL, NULL);
  g_clear_object (&bd->log);
  g_clear_object (&bd->process);
  g_clear_object (&bd->lines);
  g_free (bd->first_error);
  g_queue_clear_full (&bd->tail, g_free);
  g_free (bd);
}

static void run_step (GTask *task);

static void
log_line (BuildData  *bd,
          const char *line)
{
  if (bd->log != NULL)
    {
      g_output_stream_write_all (bd->log, line, strlen (line), NULL, NULL, NULL);
      g_output_stream_write_all (bd->log, "\n", 1, NULL, NULL, NULL);
    }
}

/* gcc prints "file.c:12:5: error: …", ld "…: undefined reference to …". */
static gboolean
is_error_line (const char *line)
{
  return strstr (line, ": error:") != NULL ||
         strstr (line, ": fatal error:") != NULL ||
         strstr (line, "undefined reference to") != NULL;
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  BuildData *bd = user_data;

  /* May run in another thread: only a kill(2), which is safe anywhere. The
   * group holds make and every cc1/as/ld it started. */
  if (bd->process != NULL)
    kwb_spawn_kill_group (bd->process, SIGKILL);
}

static char *
read_estimate (BuildData *bd)
{
  return g_build_filename (bd->obj_dir, ".kwb-compiled-files", NULL);
}

static void
step_waited_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BuildData *bd = g_task_get_task_data (task);
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (process, result, &error);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_autoptr(GString) tail = g_string_new (NULL);
      const char *what;

      for (GList *l = bd->tail.head; l != NULL; l = l->next)
        g_string_append_printf (tail, "\n  %s", (const char *) l->data);

      switch (bd->step)
        {
        case STEP_EXTRACT:   what = _("Extracting the BusyBox source tarball failed"); break;
        case STEP_DEFCONFIG: what = _("make defconfig failed in the BusyBox tree"); break;
        case STEP_OLDCONFIG: what = _("make oldconfig failed in the BusyBox build"); break;
        case STEP_INSTALL:   what = _("make install failed for BusyBox"); break;
        case STEP_MAKE:
        case STEP_DONE:
        default:             what = _("Building BusyBox failed"); break;
        }

      if (bd->first_error != NULL)
        g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_BUILD_FAILED,
                                 _("%s: %s (full log: %s)"), what, bd->first_error, bd->log_path);
      else
        g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_BUILD_FAILED,
                                 _("%s; the last lines were:%s\n(full log: %s)"),
                                 what, tail->str, bd->log_path);
      return;
    }

  if (bd->step == STEP_MAKE)
    {
      g_autofree char *path = read_estimate (bd);
      g_autofree char *count = g_strdup_printf ("%u\n", bd->cc_count);

      /* Only a build that compiled everything is a good estimate. */
      if (bd->cc_count > bd->cc_estimate / 2)
        g_file_set_contents (path, count, -1, NULL);
    }

  g_clear_object (&bd->process);
  bd->step++;
  run_step (task);
}

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbBusybox *self = g_task_get_source_object (task);
  BuildData *bd = g_task_get_task_data (task);
  GDataInputStream *lines = G_DATA_INPUT_STREAM (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize len;

  /* Bytes, not UTF-8: a compiler message in another encoding must not end
   * the reading (the log keeps it as it came). */
  line = g_data_input_stream_read_line_finish (lines, result, &len, &error);

  if (line == NULL)
    {
      /* EOF (or a read error, which ends the same way): wait for the exit
       * status. Never cancellable: we killed the group and must reap it. */
      g_subprocess_wait_async (bd->process, NULL, step_waited_cb, g_steal_pointer (&task));
      return;
    }

  log_line (bd, line);
  g_queue_push_tail (&bd->tail, g_strdup (line));
  if (bd->tail.length > 8)
    g_free (g_queue_pop_head (&bd->tail));

  if (bd->first_error == NULL && is_error_line (line))
    bd->first_error = g_strdup (line);

  if (bd->step == STEP_MAKE)
    {
      const char *p = line;

      while (*p == ' ')
        p++;
      if (p != line && g_str_has_prefix (p, "CC ") )
        {
          bd->cc_count++;
          set_progress (self, NULL, 0.05 + 0.92 * MIN (0.99, (double) bd->cc_count / bd->cc_estimate));
        }
    }

  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL,
                                       line_read_cb, g_steal_pointer (&task));
}

static gboolean
spawn_step (GTask               *task,
            const char * const  *argv,
            const char          *cwd,
            const char          *stdin_path,
            GError             **error)
{
  BuildData *bd = g_task_get_task_data (task);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *cmdline = g_strjoinv (" ", (char **) argv);
  g_autofree char *header = g_strdup_printf ("$ cd %s && %s", cwd, cmdline);

  log_line (bd, header);
  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE |
                                     (stdin_path ? 0 : G_SUBPROCESS_FLAGS_STDIN_INHERIT));
  g_subprocess_launcher_set_cwd (launcher, cwd);
  /* English messages so "error:" and "CC" can be recognised. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "MAKEFLAGS");
  if (stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);

  g_clear_object (&bd->process);
  g_clear_object (&bd->lines);
  /* make and tar: the Debian packages have the programs' names. */
  if ((bd->process = kwb_spawn (launcher, argv, argv[0], error)) == NULL)
    return FALSE;

  bd->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bd->process));
  g_data_input_stream_set_newline_type (bd->lines, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  g_data_input_stream_read_line_async (bd->lines, G_PRIORITY_DEFAULT, NULL,
                                       line_read_cb, g_object_ref (task));
  return TRUE;
}

/* Sets NAME=y in .config, replacing "# NAME is not set" or any NAME= line. */
static gboolean
config_set_y (GString    *config,
              const char *name)
{
  g_auto(GStrv) lines = g_strsplit (config->str, "\n", -1);
  g_autofree char *unset = g_strdup_printf ("# %s is not set", name);
  g_autofree char *prefix = g_strdup_printf ("%s=", name);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean found = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i + 1] == NULL && lines[i][0] == '\0')
        break;
      if (g_str_equal (lines[i], unset) || g_str_has_prefix (lines[i], prefix))
        {
          g_string_append_printf (out, "%s=y\n", name);
          found = TRUE;
        }
      else
        g_string_append_printf (out, "%s\n", lines[i]);
    }
  if (!found)
    g_string_append_printf (out, "%s=y\n", name);
  g_string_assign (config, out->str);
  return TRUE;
}

static gboolean
config_has_y (const char *text,
              const char *name)
{
  g_autofree char *want = g_strdup_printf ("\n%s=y\n", name);
  g_autofree char *with_nl = g_strconcat ("\n", text, NULL);

  return strstr (with_nl, want) != NULL;
}

static const char * const required_options[] = { "CONFIG_STATIC", "CONFIG_INSTALL_NO_USR" };

static gboolean
apply_config (BuildData  *bd,
              GError    **error)
{
  g_autofree char *path = g_build_filename (bd->obj_dir, ".config", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) config = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_CONFIG,
                   _("make defconfig wrote no %s: %s"), path, local_error->message);
      return FALSE;
    }
  config = g_string_new (text);
  for (guint i = 0; i < G_N_ELEMENTS (required_options); i++)
    config_set_y (config, required_options[i]);
  if (!g_file_set_contents (path, config->str, config->len, &local_error))
    {
      g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_CONFIG,
                   _("Cannot update %s: %s"), path, local_error->message);
      return FALSE;
    }
  log_line (bd, "# kwb: set CONFIG_STATIC=y (no shared libraries: the initramfs has no C library)");
  log_line (bd, "# kwb: set CONFIG_INSTALL_NO_USR=y (install into bin/ and sbin/ only)");
  return TRUE;
}

static gboolean
verify_config (BuildData  *bd,
               GError    **error)
{
  g_autofree char *path = g_build_filename (bd->obj_dir, ".config", NULL);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    text = g_strdup ("");
  for (guint i = 0; i < G_N_ELEMENTS (required_options); i++)
    if (!config_has_y (text, required_options[i]))
      {
        g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_CONFIG,
                     _("%s=y did not survive make oldconfig in %s: this BusyBox tree does not "
                       "offer it (or a dependency forbids it). A static BusyBox cannot be built "
                       "from it; use busybox-static instead ([busybox] source=host)."),
                     required_options[i], path);
        return FALSE;
      }
  log_line (bd, "# kwb: confirmed CONFIG_STATIC=y and CONFIG_INSTALL_NO_USR=y after oldconfig");
  return TRUE;
}

/* A tarball holds one top folder (busybox-1.35.0/); find it. */
static char *
find_extracted_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *sub = g_build_filename (dir, name, NULL);
      g_autofree char *makefile = g_build_filename (sub, "Makefile", NULL);

      if (g_file_test (makefile, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&sub);
    }
  return NULL;
}

/* BUILD/src/HASH/: one folder per tarball version (path, size, mtime), so a
 * new tarball never mixes with an older extraction. *stamp marks it complete. */
static char *
dup_extract_dir (BuildData  *bd,
                 char      **stamp)
{
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;
  GStatBuf st = { 0 };
  char *dir;

  g_stat (bd->tarball, &st);
  key = g_strdup_printf ("%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                         bd->tarball, (gint64) st.st_size, (gint64) st.st_mtime);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  name = g_strndup (hash, 16);
  dir = g_build_filename (bd->build_dir, "src", name, NULL);
  *stamp = g_build_filename (dir, ".kwb-extracted", NULL);
  return dir;
}

static void
run_step (GTask *task)
{
  KwbBusybox *self = g_task_get_source_object (task);
  BuildData *bd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *o_arg = g_strconcat ("O=", bd->obj_dir, NULL);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Each step reports its own failure. */
  g_queue_clear_full (&bd->tail, g_free);
  g_clear_pointer (&bd->first_error, g_free);

  switch (bd->step)
    {
    case STEP_EXTRACT:
      {
        g_autofree char *stamp = NULL;
        g_autofree char *src_dir = NULL;

        if (bd->tarball == NULL)
          {
            bd->step++;
            run_step (task);
            return;
          }

        /* Extracted before from the same tarball (path, size, mtime): reuse
         * it, so that the build stays incremental. */
        src_dir = dup_extract_dir (bd, &stamp);
        if (g_file_test (stamp, G_FILE_TEST_EXISTS) &&
            (bd->source = find_extracted_tree (src_dir)) != NULL)
          {
            bd->step++;
            run_step (task);
            return;
          }

        set_progress (self, _("Extracting the source"), 0.0);
        g_mkdir_with_parents (src_dir, 0755);
        {
          const char *argv[] = { "tar", "-xf", bd->tarball, "-C", src_dir, NULL };

          if (!spawn_step (task, argv, bd->build_dir, NULL, &error))
            g_task_return_error (task, g_steal_pointer (&error));
        }
        return;
      }

    case STEP_DEFCONFIG:
      {
        g_autofree char *config = g_build_filename (bd->obj_dir, ".config", NULL);

        if (bd->tarball != NULL && bd->source == NULL)
          {
            /* Just extracted: find the tree, then mark the extraction done. */
            g_autofree char *stamp = NULL;
            g_autofree char *src_dir = dup_extract_dir (bd, &stamp);

            if ((bd->source = find_extracted_tree (src_dir)) == NULL)
              {
                g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_SOURCE,
                                         _("%s holds no BusyBox source tree (no folder with a "
                                           "Makefile). Set [busybox] tree to a BusyBox tarball "
                                           "or source folder."), bd->tarball);
                return;
              }
            g_file_set_contents (stamp, bd->tarball, -1, NULL);
          }

        /* An existing configuration is kept so that a rebuild is incremental;
         * defconfig again would rewrite every header and rebuild it all. */
        if (g_file_test (config, G_FILE_TEST_IS_REGULAR))
          {
            bd->step++;
            run_step (task);
            return;
          }
        set_progress (self, _("Configuring (defconfig)"), 0.01);
        {
          const char *argv[] = { "make", o_arg, "defconfig", NULL };

          if (!spawn_step (task, argv, bd->source, NULL, &error))
            g_task_return_error (task, g_steal_pointer (&error));
        }
        return;
      }

    case STEP_OLDCONFIG:
      {
        g_autofree char *answers = g_build_filename (bd->obj_dir, ".kwb-oldconfig-answers", NULL);
        g_autofree char *newlines = g_strnfill (4096, '\n');
        const char *argv[] = { "make", o_arg, "oldconfig", NULL };

        if (!apply_config (bd, &error))
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
        /* oldconfig asks about options that CONFIG_STATIC makes visible;
         * Enter takes each default, like `yes "" | make oldconfig`. */
        g_file_set_contents (answers, newlines, -1, NULL);
        set_progress (self, _("Configuring (static, no /usr)"), 0.03);
        if (!spawn_step (task, argv, bd->source, answers, &error))
          g_task_return_error (task, g_steal_pointer (&error));
        return;
      }

    case STEP_MAKE:
      {
        g_autofree char *jobs = g_strdup_printf ("-j%u", MAX (1u, g_get_num_processors ()));
        g_autofree char *estimate_path = read_estimate (bd);
        g_autofree char *estimate = NULL;
        const char *argv[] = { "make", o_arg, jobs, NULL };

        if (!verify_config (bd, &error))
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
        bd->cc_estimate = DEFAULT_CC_ESTIMATE;
        if (g_file_get_contents (estimate_path, &estimate, NULL, NULL))
          bd->cc_estimate = MAX (1, (guint) g_ascii_strtoull (estimate, NULL, 10));
        bd->cc_count = 0;
        set_progress (self, _("Compiling"), 0.05);
        if (!spawn_step (task, argv, bd->source, NULL, &error))
          g_task_return_error (task, g_steal_pointer (&error));
        return;
      }

    case STEP_INSTALL:
      {
        g_autofree char *prefix = g_strconcat ("CONFIG_PREFIX=", bd->staging_dir, NULL);
        const char *argv[] = { "make", o_arg, "install", prefix, NULL };

        set_progress (self, _("Installing"), 0.97);
        if (!spawn_step (task, argv, bd->source, NULL, &error))
          g_task_return_error (task, g_steal_pointer (&error));
        return;
      }

    case STEP_DONE:
    default:
      {
        g_autofree char *binary = g_build_filename (bd->staging_dir, "bin", "busybox", NULL);

        if (!kwb_busybox_check_binary (binary, &error))
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
        set_progress (self, _("Done"), 1.0);
        g_task_return_pointer (task, g_steal_pointer (&binary), g_free);
        return;
      }
    }
}

void
kwb_busybox_build_async (KwbBusybox          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) log_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tree = NULL;
  BuildData *bd;

  g_return_if_fail (KWB_IS_BUSYBOX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_busybox_build_async);
  bd = g_new0 (BuildData, 1);
  g_queue_init (&bd->tail);
  g_task_set_task_data (task, bd, build_data_free);

  tree = kwb_project_dup_path (self->project, "busybox", "tree");
  if (tree == NULL)
    {
      g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_SOURCE,
                               _("No BusyBox source is set. Set [busybox] tree to a BusyBox "
                                 "source folder or tarball (kwb set %s busybox.tree PATH), or "
                                 "get Debian’s with “apt-get source busybox”."),
                               kwb_project_get_directory (self->project));
      return;
    }

  if (g_file_test (tree, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *makefile = g_build_filename (tree, "Makefile", NULL);
      g_autofree char *config_in = g_build_filename (tree, "Config.in", NULL);

      if (!g_file_test (makefile, G_FILE_TEST_IS_REGULAR) || !g_file_test (config_in, G_FILE_TEST_IS_REGULAR))
        {
          g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_SOURCE,
                                   _("%s is not a BusyBox source tree (no Makefile and Config.in). "
                                     "Set [busybox] tree to the folder holding BusyBox’s sources."),
                                   tree);
          return;
        }
      bd->source = g_steal_pointer (&tree);
    }
  else if (g_file_test (tree, G_FILE_TEST_IS_REGULAR))
    bd->tarball = g_steal_pointer (&tree);
  else
    {
      g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_SOURCE,
                               _("BusyBox source %s does not exist. Set [busybox] tree to a BusyBox "
                                 "source folder or tarball."), tree);
      return;
    }

  bd->build_dir = kwb_busybox_dup_build_dir (self);
  bd->obj_dir = g_build_filename (bd->build_dir, "obj", NULL);
  bd->staging_dir = g_build_filename (bd->build_dir, "staging", NULL);
  bd->log_path = kwb_busybox_dup_log_path (self);

  if (bd->source != NULL)
    {
      g_autofree char *canon_src = g_canonicalize_filename (bd->source, NULL);

      /* O= inside the tree would write into it. */
      if (g_str_has_prefix (bd->obj_dir, canon_src) && bd->obj_dir[strlen (canon_src)] == '/')
        {
          g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_SOURCE,
                                   _("The BusyBox build folder %s is inside the source tree %s, "
                                     "which must stay untouched. Set [busybox] build-dir elsewhere."),
                                   bd->build_dir, bd->source);
          return;
        }
    }

  if (g_mkdir_with_parents (bd->obj_dir, 0755) != 0)
    {
      int errsv = errno;

      g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_BUILD_FAILED,
                               _("Cannot create the BusyBox build folder %s: %s"),
                               bd->obj_dir, g_strerror (errsv));
      return;
    }

  log_file = g_file_new_for_path (bd->log_path);
  bd->log = G_OUTPUT_STREAM (g_file_replace (log_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
  if (bd->log == NULL)
    {
      g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_BUILD_FAILED,
                               _("Cannot write the BusyBox build log %s: %s"),
                               bd->log_path, error->message);
      return;
    }

  if (cancellable != NULL)
    bd->cancellable = g_object_ref (cancellable);
  if (cancellable != NULL)
    bd->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), bd, NULL);

  set_progress (self, _("Starting"), 0.0);
  bd->step = STEP_EXTRACT;
  run_step (task);
}

char *
kwb_busybox_build_finish (KwbBusybox    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (KWB_IS_BUSYBOX (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_busybox_build_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
