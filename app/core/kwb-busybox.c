/* kwb-busybox.c — the BusyBox binary of a project: check it, or build it from source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The initramfs has no C library, so the BusyBox in it must be a static
 * binary of the guest's architecture. We read its ELF headers (kwb-elf, libelf) rather than trust
 * a file name or run `file`: a dynamic binary would boot to "Kernel panic: No
 * working init found" with no hint why.
 *
 * A source build does what the manual way does in menuconfig, but out of
 * tree (make O=) so the user's tree is never written: BusyBox's top Makefile
 * re-invokes itself in O= with KBUILD_SRC set, exactly like Linux 2.6, and
 * writes nothing into the source directory (the integration test checksums
 * the tree before and after to hold us to that).
 *
 * Every make runs through a KwbBuildRunner, like the kernel and module
 * builds (own process group, killed with us, SIGTERM then SIGKILL on
 * cancel, output read on the main thread, the first compiler error kept as
 * a KwbBuildProblem), with the project's -j.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-build-runner.h"
#include "kwb-busybox.h"
#include "kwb-distcc.h"
#include "kwb-elf.h"
#include "kwb-path-checks.h"
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
  GObject         parent_instance;
  KwbProject     *project;
  KwbBuildRunner *runner;
  double          fraction;
  char           *phase;
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
  KwbBuildRunner   *runner;      /* the object's, for the notes we log */
  guint             cc_estimate;
  const KwbArch    *arch;
  char             *cross;       /* CROSS_COMPILE=…, NULL for a native build */
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

/**
 * kwb_busybox_check_binary:
 * @arch: (nullable): the guest's architecture, NULL for the default
 *
 * Returns: TRUE when @path is a static program the @arch guest can run
 */
gboolean
kwb_busybox_check_binary (const char     *path,
                          const KwbArch  *arch,
                          GError        **error)
{
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(GArray) headers = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!kwb_path_check_regular_file (path, "busybox.binary", error))
    return FALSE;
  if ((elf = kwb_elf_open (path, &local_error)) == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
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

  if (arch == NULL)
    arch = kwb_arch_get_default ();
  if (kwb_elf_get_class (elf) != ELFCLASS64 || !kwb_elf_is_little_endian (elf) ||
      kwb_elf_get_machine (elf) != arch->elf_machine)
    {
      const KwbArch *other = kwb_arch_for_elf_machine (kwb_elf_get_machine (elf));

      if (other != NULL && kwb_elf_get_class (elf) == ELFCLASS64)
        g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_WRONG_ARCH,
                     _("%s is an %s program, but the guest is %s (machine.arch). Choose an %s "
                       "static BusyBox, or build one from source (busybox.source tree)."),
                     path, other->label, arch->label, arch->label);
      else
        g_set_error (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_WRONG_ARCH,
                     _("%s is not an %s program (ELF machine %u), but the guest is %s. "
                       "Choose an %s static BusyBox."),
                     path, arch->label, kwb_elf_get_machine (elf), arch->label, arch->label);
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
                                const KwbArch       *arch,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  ListData *ld;
  const char *argv[] = { binary, "--list-full", NULL, NULL };
  const char *package = NULL;

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
  /* A guest's BusyBox of another architecture runs here under QEMU's user
   * mode emulator, which asks it the same question. */
  if (arch != NULL && !kwb_arch_is_native (arch))
    {
      argv[0] = arch->qemu_user;
      argv[1] = ld->binary;
      argv[2] = "--list-full";
      package = arch->qemu_user_package;
    }
  g_task_set_task_data (task, ld, list_data_free);

  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  if ((process = kwb_spawn (launcher, argv, package, &error)) == NULL)
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
  g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
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

static void set_progress (KwbBusybox *self, const char *phase, double fraction);

static void
on_runner_progress (KwbBuildRunner *runner,
                    int             stage,
                    guint           done,
                    guint           total,
                    KwbBusybox      *self)
{
  if ((stage == KWB_BUILD_STAGE_COMPILE || stage == KWB_BUILD_STAGE_LINK) && total > 0)
    set_progress (self, NULL, 0.05 + 0.92 * kwb_build_runner_get_fraction (runner));
}

static void
kwb_busybox_init (KwbBusybox *self)
{
  self->runner = kwb_build_runner_new ();
  g_signal_connect (self->runner, "progress-changed", G_CALLBACK (on_runner_progress), self);
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

/* Returns: (transfer none): what runs every make: its ::line-received and
 * ::progress-changed are the build's. */
KwbBuildRunner *
kwb_busybox_get_runner (KwbBusybox *self)
{
  g_return_val_if_fail (KWB_IS_BUSYBOX (self), NULL);
  return self->runner;
}

/* The first compiler or linker error of the last failed build. */
const KwbBuildProblem *
kwb_busybox_get_problem (KwbBusybox *self)
{
  g_return_val_if_fail (KWB_IS_BUSYBOX (self), NULL);
  return kwb_build_runner_get_problem (self->runner);
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

  g_free (bd->source);
  g_free (bd->cross);
  g_free (bd->tarball);
  g_free (bd->build_dir);
  g_free (bd->obj_dir);
  g_free (bd->staging_dir);
  g_free (bd->log_path);
  kwb_build_runner_set_log (bd->runner, NULL);
  if (bd->log != NULL)
    g_output_stream_close (bd->log, NULL, NULL);
  g_clear_object (&bd->log);
  g_free (bd);
}

static void run_step (GTask *task);

static void
log_line (BuildData  *bd,
          const char *line)
{
  kwb_build_runner_log (bd->runner, line);
}

static char *
read_estimate (BuildData *bd)
{
  return g_build_filename (bd->obj_dir, ".kwb-compiled-files", NULL);
}

static void
step_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbBusybox *self = g_task_get_source_object (task);
  BuildData *bd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!kwb_build_runner_run_finish (self->runner, result, &error))
    {
      const KwbBuildProblem *problem = kwb_build_runner_get_problem (self->runner);
      g_autofree char *tail = NULL;
      const char *what;

      if (!g_error_matches (error, KWB_BUILD_RUNNER_ERROR, KWB_BUILD_RUNNER_ERROR_FAILED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
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

      if (problem != NULL)
        {
          g_autofree char *first = kwb_build_problem_to_string (problem);

          g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_BUILD_FAILED,
                                   _("%s: %s (full log: %s)"), what, first, bd->log_path);
        }
      else
        {
          tail = kwb_build_runner_dup_tail (self->runner);
          g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_BUILD_FAILED,
                                   _("%s; the last lines were:%s\n(full log: %s)"),
                                   what, tail, bd->log_path);
        }
      return;
    }

  if (bd->step == STEP_MAKE)
    {
      g_autofree char *path = read_estimate (bd);
      guint compiled = kwb_build_runner_get_done (self->runner);
      g_autofree char *count = g_strdup_printf ("%u\n", compiled);

      /* Only a build that compiled everything is a good estimate. */
      if (compiled > bd->cc_estimate / 2)
        g_file_set_contents (path, count, -1, NULL);
      kwb_build_runner_set_counting (self->runner, FALSE);
    }

  bd->step++;
  run_step (task);
}

static void
spawn_step (GTask               *task,
            const char * const  *argv,
            const char          *cwd,
            const char          *stdin_path)
{
  KwbBusybox *self = g_task_get_source_object (task);

  kwb_build_runner_run_async (self->runner, argv, argv[0], cwd, stdin_path, NULL,
                              g_task_get_cancellable (task), step_done_cb, g_object_ref (task));
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
  kwb_build_runner_clear_problem (self->runner);

  /* Every make below ends with bd->cross: CROSS_COMPILE=… for another
   * architecture than the host's; NULL (native) ends the list there. */
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
        kwb_build_runner_set_stage (self->runner, KWB_BUILD_STAGE_EXTRACT, 0);
        g_mkdir_with_parents (src_dir, 0755);
        {
          const char *argv[] = { "tar", "-xf", bd->tarball, "-C", src_dir, NULL };

          spawn_step (task, argv, bd->build_dir, NULL);
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
        kwb_build_runner_set_stage (self->runner, KWB_BUILD_STAGE_CONFIG, 0);
        {
          const char *argv[] = { "make", o_arg, "defconfig", bd->cross, NULL };

          spawn_step (task, argv, bd->source, NULL);
        }
        return;
      }

    case STEP_OLDCONFIG:
      {
        g_autofree char *answers = g_build_filename (bd->obj_dir, ".kwb-oldconfig-answers", NULL);
        g_autofree char *newlines = g_strnfill (4096, '\n');
        const char *argv[] = { "make", o_arg, "oldconfig", bd->cross, NULL };

        if (!apply_config (bd, &error))
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
        /* oldconfig asks about options that CONFIG_STATIC makes visible;
         * Enter takes each default, like `yes "" | make oldconfig`. */
        g_file_set_contents (answers, newlines, -1, NULL);
        set_progress (self, _("Configuring (static, no /usr)"), 0.03);
        kwb_build_runner_set_stage (self->runner, KWB_BUILD_STAGE_CONFIG, 0);
        spawn_step (task, argv, bd->source, answers);
        return;
      }

    case STEP_MAKE:
      {
        g_autofree char *estimate_path = read_estimate (bd);
        g_autofree char *estimate = NULL;
        const char *argv[] = { "make", o_arg, bd->cross, NULL };
        g_autofree char *compiler = kwb_arch_dup_compiler (bd->arch);

        if (!verify_config (bd, &error))
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
        bd->cc_estimate = DEFAULT_CC_ESTIMATE;
        if (g_file_get_contents (estimate_path, &estimate, NULL, NULL))
          bd->cc_estimate = MAX (1, (guint) g_ascii_strtoull (estimate, NULL, 10));
        set_progress (self, _("Compiling"), 0.05);
        kwb_build_runner_set_stage (self->runner, KWB_BUILD_STAGE_COMPILE, bd->cc_estimate);
        kwb_build_runner_set_counting (self->runner, TRUE);
        kwb_distcc_run_make_async (self->runner, self->project, argv, compiler, FALSE, 0, bd->source,
                                   g_task_get_cancellable (task), step_done_cb, g_object_ref (task));
        return;
      }

    case STEP_INSTALL:
      {
        g_autofree char *prefix = g_strconcat ("CONFIG_PREFIX=", bd->staging_dir, NULL);
        const char *argv[] = { "make", o_arg, "install", prefix, bd->cross, NULL };

        set_progress (self, _("Installing"), 0.97);
        kwb_build_runner_set_stage (self->runner, KWB_BUILD_STAGE_INSTALL, 0);
        spawn_step (task, argv, bd->source, NULL);
        return;
      }

    case STEP_DONE:
    default:
      {
        g_autofree char *binary = g_build_filename (bd->staging_dir, "bin", "busybox", NULL);

        if (!kwb_busybox_check_binary (binary, bd->arch, &error))
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
        set_progress (self, _("Done"), 1.0);
        kwb_build_runner_set_stage (self->runner, KWB_BUILD_STAGE_DONE, 0);
        g_task_return_pointer (task, g_steal_pointer (&binary), g_free);
        return;
      }
    }
}

/* Whether COMPILER finds a libc.a to link a static program with. FALSE only
 * when it answers and has none: a compiler that cannot be asked is left
 * to make's own error. */
static gboolean
static_libc_found (const char *compiler)
{
  const char *argv[] = { compiler, "-print-file-name=libc.a", NULL };
  g_autofree char *out = NULL;
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return TRUE;
  g_strstrip (out);
  /* Without one, GCC prints the name it was given. */
  return g_path_is_absolute (out) && g_file_test (out, G_FILE_TEST_IS_REGULAR);
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
  g_autofree char *compiler = NULL;
  BuildData *bd;

  g_return_if_fail (KWB_IS_BUSYBOX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_busybox_build_async);
  bd = g_new0 (BuildData, 1);
  bd->runner = self->runner;
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

  bd->arch = kwb_arch_for_project (self->project);
  compiler = kwb_arch_dup_compiler (bd->arch);
  if (kwb_arch_get_cross_compile (bd->arch) != NULL)
    {
      g_autofree char *found = g_find_program_in_path (compiler);

      if (found == NULL)
        {
          g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_BUILD_FAILED,
                                   _("Building BusyBox for an %s guest needs the cross compiler %s. "
                                     "Install it with: sudo apt-get install %s"),
                                   bd->arch->label, compiler, bd->arch->compiler_package);
          return;
        }
      bd->cross = g_strconcat ("CROSS_COMPILE=", kwb_arch_get_cross_compile (bd->arch), NULL);
    }
  /* A cross compiler comes without its C library (Debian ships it apart):
   * said now, not as a missing header deep in the build log. */
  if (!static_libc_found (compiler))
    {
      g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_BUILD_FAILED,
                               _("Building a static BusyBox for an %s guest needs the C library of %s "
                                 "(no libc.a found). Install it with: sudo apt-get install %s"),
                               bd->arch->label, compiler,
                               kwb_arch_is_native (bd->arch) ? "libc6-dev" : bd->arch->libc_package);
      return;
    }

  bd->build_dir = kwb_busybox_dup_build_dir (self);
  bd->obj_dir = g_build_filename (bd->build_dir, "obj", NULL);
  bd->staging_dir = g_build_filename (bd->build_dir, "staging", NULL);
  bd->log_path = kwb_busybox_dup_log_path (self);

  /* O= inside the tree would write into it. */
  if (bd->source != NULL &&
      !kwb_build_runner_check_out_of_tree (bd->source, bd->build_dir, "[busybox] build-dir", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
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

  kwb_build_runner_reset (self->runner);
  kwb_build_runner_set_counting (self->runner, FALSE);
  kwb_build_runner_set_problem_dir (self->runner, bd->obj_dir);
  kwb_build_runner_set_log (self->runner, bd->log);

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
