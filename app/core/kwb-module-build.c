/* kwb-module-build.c — build a project's out-of-tree modules against its kernel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make -C KERNEL_BUILD M=DIR modules` writes its objects into DIR. 6.1 has
 * no MO= (separate output for M=), so to keep the user's folder clean the
 * sources are copied into [modules] build-dir/NAME and built there. The copy
 * keeps each file's modification time and rewrites only files that changed,
 * so make's own dependency tracking rebuilds just what was edited: a one
 * line change is a few seconds, and the kernel is never relinked. Errors
 * are reported in the user's file, not the copy. make runs through a
 * KwbBuildRunner, like the kernel and BusyBox builds, with the project's
 * -j.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-arch.h"
#include "kwb-build-manifest.h"
#include "kwb-distcc.h"
#include "kwb-module-build.h"

struct _KwbModuleBuild
{
  GObject                parent_instance;

  KwbProject            *project;
  guint                  jobs;
  KwbBuildRunner        *runner;
  GTask                 *task;
  GStrv                  sources;     /* absolute [modules] projects folders */
  guint                  next;
  GOutputStream         *log;         /* this module's make output */
  char                  *log_path;
  char                  *kernel_build;
  char                  *kernel_source;
  char                  *current_source;
  char                  *current_build;
  KwbBuildProblem       *problem;
  GPtrArray             *modules;     /* char *: built .ko files */
};

G_DEFINE_FINAL_TYPE (KwbModuleBuild, kwb_module_build, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-module-build-error-quark, kwb_module_build_error)

enum {
  MODULE_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void build_next (KwbModuleBuild *self);

static void
kwb_module_build_finalize (GObject *object)
{
  KwbModuleBuild *self = (KwbModuleBuild *) object;

  g_clear_object (&self->project);
  g_clear_object (&self->runner);
  g_strfreev (self->sources);
  g_clear_object (&self->log);
  g_free (self->log_path);
  g_free (self->kernel_build);
  g_free (self->kernel_source);
  g_free (self->current_source);
  g_free (self->current_build);
  g_clear_pointer (&self->problem, kwb_build_problem_free);
  g_ptr_array_unref (self->modules);
  G_OBJECT_CLASS (kwb_module_build_parent_class)->finalize (object);
}

static void
kwb_module_build_class_init (KwbModuleBuildClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_module_build_finalize;

  /**
   * KwbModuleBuild::module-started:
   * @source: the module project folder now being built
   */
  signals[MODULE_STARTED] =
    g_signal_new ("module-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kwb_module_build_init (KwbModuleBuild *self)
{
  self->modules = g_ptr_array_new_with_free_func (g_free);
  self->runner = kwb_build_runner_new ();
  kwb_build_runner_set_counting (self->runner, TRUE);
}

KwbModuleBuild *
kwb_module_build_new (KwbProject *project)
{
  KwbModuleBuild *self;

  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);
  self = g_object_new (KWB_TYPE_MODULE_BUILD, NULL);
  self->project = g_object_ref (project);
  return self;
}

/* Returns: (transfer none): what runs make: its ::line-received and
 * ::progress-changed are the build's. */
KwbBuildRunner *
kwb_module_build_get_runner (KwbModuleBuild *self)
{
  g_return_val_if_fail (KWB_IS_MODULE_BUILD (self), NULL);
  return self->runner;
}

/* 0: the project's [kernel] jobs, or one per CPU. */
void
kwb_module_build_set_jobs (KwbModuleBuild *self,
                           guint           jobs)
{
  g_return_if_fail (KWB_IS_MODULE_BUILD (self));
  self->jobs = jobs;
}

const KwbBuildProblem *kwb_module_build_get_problem (KwbModuleBuild *self) { return self->problem; }
GPtrArray *kwb_module_build_get_modules (KwbModuleBuild *self) { return self->modules; }
const char *kwb_module_build_get_log_path (KwbModuleBuild *self) { return self->log_path; }

char *
kwb_module_build_dup_build_dir (KwbProject *project,
                                const char *source)
{
  g_autofree char *root = kwb_project_dup_path (project, "modules", "build-dir");
  g_autofree char *canonical = g_canonicalize_filename (source, kwb_project_get_directory (project));
  g_autofree char *name = g_path_get_basename (canonical);

  return g_build_filename (root, name, NULL);
}

static void
collect_kos (const char *dir,
             GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;

  if (d == NULL)
    return;
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      if (g_str_has_suffix (entry, ".ko") && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (out, g_steal_pointer (&path));
      else if (entry[0] != '.' && g_file_test (path, G_FILE_TEST_IS_DIR) &&
               !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        collect_kos (path, out);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

GStrv
kwb_module_build_dup_built_modules (KwbProject *project)
{
  g_auto(GStrv) sources = kwb_project_dup_string_list (project, "modules", "projects");
  g_autoptr(GPtrArray) out = g_ptr_array_new_null_terminated (4, g_free, TRUE);

  for (guint i = 0; sources[i] != NULL; i++)
    {
      g_autofree char *dir = kwb_module_build_dup_build_dir (project, sources[i]);
      collect_kos (dir, out);
    }
  /* Stable order: initramfs archives are compared byte for byte. */
  g_ptr_array_sort (out, compare_strings);
  return (GStrv) g_ptr_array_steal (out, NULL);
}

/* ---- copying the sources ---- */

static gboolean
is_build_product (const char *name)
{
  static const char * const suffixes[] = { ".o", ".ko", ".mod", ".mod.c", ".cmd", ".order", ".symvers", ".a", NULL };

  if (name[0] == '.' )
    return TRUE; /* .git, .foo.o.cmd, editor files */
  for (guint i = 0; suffixes[i] != NULL; i++)
    if (g_str_has_suffix (name, suffixes[i]))
      return TRUE;
  return g_str_equal (name, "Module.symvers") || g_str_equal (name, "modules.order");
}

/* Mirrors SRC into DST: changed files rewritten with SRC's mtime (make sees
 * the edit), unchanged ones left alone (make sees nothing to do). ROOT is
 * the copy's top folder: a folder of SRC that is ROOT itself (reached
 * through a bind mount, which no path comparison sees) is never entered, or
 * the copy would copy itself forever. */
static gboolean
sync_tree (const char      *src,
           const char      *dst,
           const GStatBuf  *root,
           GError         **error)
{
  g_autoptr(GDir) d = NULL;
  const char *entry;

  if (g_mkdir_with_parents (dst, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_COPY,
                   _("Cannot create the module build folder %s: %s. Check [modules] build-dir."),
                   dst, g_strerror (saved));
      return FALSE;
    }
  if ((d = g_dir_open (src, 0, error)) == NULL)
    return FALSE;
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *from = g_build_filename (src, entry, NULL);
      g_autofree char *to = g_build_filename (dst, entry, NULL);
      GStatBuf sst, dst_st;

      if (is_build_product (entry) || g_lstat (from, &sst) != 0)
        continue;
      if (S_ISDIR (sst.st_mode))
        {
          if (sst.st_dev == root->st_dev && sst.st_ino == root->st_ino)
            continue;
          if (!sync_tree (from, to, root, error))
            return FALSE;
          continue;
        }
      if (!S_ISREG (sst.st_mode))
        continue;
      if (g_stat (to, &dst_st) == 0 && dst_st.st_size == sst.st_size &&
          dst_st.st_mtim.tv_sec == sst.st_mtim.tv_sec && dst_st.st_mtim.tv_nsec == sst.st_mtim.tv_nsec)
        continue;
      {
        g_autofree char *contents = NULL;
        gsize len;
        struct timespec times[2];

        if (!g_file_get_contents (from, &contents, &len, error) ||
            !g_file_set_contents (to, contents, len, error))
          {
            g_prefix_error (error, _("Cannot copy the module source %s: "), from);
            if ((*error)->domain != KWB_MODULE_BUILD_ERROR)
              {
                (*error)->domain = KWB_MODULE_BUILD_ERROR;
                (*error)->code = KWB_MODULE_BUILD_ERROR_COPY;
              }
            return FALSE;
          }
        /* To the nanosecond: an edit in the same second as the last build
         * must still look newer than its object file to make. */
        times[0] = sst.st_atim;
        times[1] = sst.st_mtim;
        utimensat (AT_FDCWD, to, times, 0);
      }
    }
  return TRUE;
}

static gboolean
sync_tree_into (const char  *src,
                const char  *dst,
                GError     **error)
{
  GStatBuf root;

  if (g_mkdir_with_parents (dst, 0755) != 0 || g_stat (dst, &root) != 0)
    {
      int saved = errno;

      g_set_error (error, KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_COPY,
                   _("Cannot create the module build folder %s: %s. Check [modules] build-dir."),
                   dst, g_strerror (saved));
      return FALSE;
    }
  return sync_tree (src, dst, &root, error);
}

/* Kbuild rebuilds a module when its sources or the kernel's headers are
 * newer than its objects, not when it is built against another kernel
 * (another [kernel] build-dir, or a rebuild with an older config): objects
 * of two kernels then link into a .ko the guest refuses ("invalid module
 * format"). So the copy remembers which kernel build it was made for, and
 * loses its build products when that changes. */
static void
remove_build_products (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;

  while (d != NULL && (entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        remove_build_products (path);
      else if (is_build_product (entry))
        g_unlink (path);
    }
}

static char *
dup_kernel_stamp (const char *kernel_build)
{
  g_autofree char *autoconf = g_build_filename (kernel_build, "include", "generated", "autoconf.h", NULL);
  GStatBuf st;

  if (g_stat (autoconf, &st) != 0)
    return g_strdup_printf ("%s\n", kernel_build);
  return g_strdup_printf ("%s\n%lld.%09ld\n", kernel_build, (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static void
forget_other_kernel (const char *copy,
                     const char *kernel_build)
{
  g_autofree char *stamp_path = g_build_filename (copy, "kwb-kernel.stamp", NULL);
  g_autofree char *stamp = dup_kernel_stamp (kernel_build);
  g_autofree char *old = NULL;

  if (g_file_get_contents (stamp_path, &old, NULL, NULL) && g_str_equal (old, stamp))
    return;
  remove_build_products (copy);
  g_file_set_contents (stamp_path, stamp, -1, NULL);
}

/* The project's build folders, each with the key that sets it. */
static const struct {
  const char *group;
  const char *key;
} build_folders[] = {
  { "kernel", "build-dir" },
  { "busybox", "build-dir" },
  { "modules", "build-dir" },
};

/* A module project is copied whole before it is built: one that holds a
 * build folder (modules.projects=. holds them all) would be copied with the
 * kernel's build in it, and into its own copy. Refused before anything is
 * copied. Compared as real paths, so a symlink on either side counts. */
static gboolean
check_holds_no_build (KwbProject  *project,
                      const char  *source,
                      GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (build_folders); i++)
    {
      g_autofree char *build = kwb_project_dup_path (project, build_folders[i].group, build_folders[i].key);

      if (build == NULL || kwb_build_runner_check_out_of_tree (source, build, "", NULL))
        continue;
      g_set_error (error, KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_HOLDS_BUILD,
                   _("The module project %s contains the build folder %s ([%s] build-dir), and "
                     "building a module copies its whole folder: the build would be copied with it. "
                     "Set [modules] projects to the module’s own folder (e.g. modules/NAME), or "
                     "move the build folder out of it."),
                   source, build, build_folders[i].group);
      return FALSE;
    }
  return TRUE;
}

/* ---- make ---- */

static void
finish_error (KwbModuleBuild *self,
              GError         *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  kwb_build_runner_set_log (self->runner, NULL);
  if (self->log != NULL)
    g_output_stream_close (self->log, NULL, NULL);
  g_clear_object (&self->log);
  g_task_return_error (task, error);
}

static void
make_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KwbModuleBuild) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->task == NULL)
    return;
  kwb_build_runner_set_log (self->runner, NULL);
  if (self->log != NULL)
    g_output_stream_close (self->log, NULL, NULL);
  g_clear_object (&self->log);
  if (!kwb_build_runner_run_finish (self->runner, result, &error))
    {
      const KwbBuildProblem *problem = kwb_build_runner_get_problem (self->runner);

      if (!g_error_matches (error, KWB_BUILD_RUNNER_ERROR, KWB_BUILD_RUNNER_ERROR_FAILED))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            finish_error (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             _("The module build was cancelled")));
          else
            finish_error (self, g_steal_pointer (&error));
          return;
        }
      g_clear_pointer (&self->problem, kwb_build_problem_free);
      if (problem != NULL)
        {
          self->problem = kwb_build_problem_copy (problem);
          /* The problem's file is in our copy: show the user's. */
          kwb_build_problem_remap (self->problem, self->current_build, self->current_source);
        }
      if (self->problem != NULL && self->problem->file != NULL)
        finish_error (self, g_error_new (KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_COMPILE,
                                         _("Building the module in %s failed: %s:%u: %s (full log: %s)"),
                                         self->current_source, self->problem->file, self->problem->line,
                                         self->problem->message, self->log_path));
      else
        finish_error (self, g_error_new (KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_COMPILE,
                                         _("Building the module in %s failed; see the log %s"),
                                         self->current_source, self->log_path));
      return;
    }
  {
    guint before = self->modules->len;

    collect_kos (self->current_build, self->modules);
    if (self->modules->len == before)
      {
        finish_error (self, g_error_new (KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_NO_MODULES,
                                         _("make built no .ko in %s: does its Kbuild say obj-m += NAME.o?"),
                                         self->current_source));
        return;
      }
  }
  build_next (self);
}

static void
build_next (KwbModuleBuild *self)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) log_file = NULL;
  const KwbArch *arch = kwb_arch_for_project (self->project);
  g_autofree char *compiler = kwb_arch_dup_compiler (arch);
  const char *source;

  if (self->sources[self->next] == NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      kwb_build_runner_set_stage (self->runner, KWB_BUILD_STAGE_DONE, 0);
      g_task_return_boolean (task, TRUE);
      return;
    }
  source = self->sources[self->next++];
  g_free (self->current_source);
  self->current_source = g_strdup (source);
  g_free (self->current_build);
  self->current_build = kwb_module_build_dup_build_dir (self->project, source);
  g_signal_emit (self, signals[MODULE_STARTED], 0, source);

  {
    g_autofree char *kbuild = g_build_filename (source, "Kbuild", NULL);
    g_autofree char *makefile = g_build_filename (source, "Makefile", NULL);

    if (!g_file_test (source, G_FILE_TEST_IS_DIR) ||
        (!g_file_test (kbuild, G_FILE_TEST_EXISTS) && !g_file_test (makefile, G_FILE_TEST_EXISTS)))
      {
        finish_error (self, g_error_new (KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_NO_SOURCE,
                                         _("The module project %s is not a folder with a Kbuild or "
                                           "Makefile. Fix or remove it in [modules] projects, or "
                                           "create one with “kwb module new”."), source));
        return;
      }
  }
  /* A copy inside the folder it copies would copy itself forever; one in
   * the kernel tree would write into it. */
  if (!kwb_build_runner_check_out_of_tree (source, self->current_build, "[modules] build-dir", &error) ||
      !kwb_build_runner_check_out_of_tree (self->kernel_source, self->current_build, "[modules] build-dir", &error) ||
      !sync_tree_into (source, self->current_build, &error))
    {
      finish_error (self, g_steal_pointer (&error));
      return;
    }
  forget_other_kernel (self->current_build, self->kernel_build);

  g_free (self->log_path);
  self->log_path = g_build_filename (self->current_build, "kwb-build.log", NULL);
  log_file = g_file_new_for_path (self->log_path);
  g_clear_object (&self->log);
  self->log = G_OUTPUT_STREAM (g_file_replace (log_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
  if (self->log == NULL)
    {
      finish_error (self, g_error_new (KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_COPY,
                                       _("Cannot write the module build log %s: %s"),
                                       self->log_path, error->message));
      return;
    }
  kwb_build_runner_set_log (self->runner, self->log);
  kwb_build_runner_set_problem_dir (self->runner, self->current_build);
  kwb_build_runner_clear_problem (self->runner);

  argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_strdup ("make"));
  g_ptr_array_add (argv, g_strdup ("-C"));
  g_ptr_array_add (argv, g_strdup (self->kernel_build));
  g_ptr_array_add (argv, g_strdup_printf ("M=%s", self->current_build));
  /* The kernel's own ARCH and cross compiler: kbuild does not remember them. */
  {
    g_auto(GStrv) variables = kwb_arch_dup_make_variables (arch);

    for (guint i = 0; variables[i] != NULL; i++)
      g_ptr_array_add (argv, g_strdup (variables[i]));
  }
  g_ptr_array_add (argv, g_strdup ("modules"));
  g_ptr_array_add (argv, NULL);

  /* The compiler line the kernel was built with (kwb-kernel-build.c): the
   * same keeps kbuild from warning about a mismatch. */
  kwb_distcc_run_make_async (self->runner, self->project, (const char * const *) argv->pdata, compiler, TRUE,
                             self->jobs, NULL, g_task_get_cancellable (self->task), make_done_cb, g_object_ref (self));
}

void
kwb_module_build_build_async (KwbModuleBuild      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_auto(GStrv) sources = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *modpost = NULL;

  g_return_if_fail (KWB_IS_MODULE_BUILD (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_module_build_build_async);
  if (self->task != NULL)
    {
      g_task_return_new_error (task, KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_COMPILE,
                               _("The modules are being built already"));
      return;
    }

  g_free (self->kernel_build);
  self->kernel_build = kwb_project_dup_path (self->project, "kernel", "build-dir");
  modpost = g_build_filename (self->kernel_build, "scripts", "mod", "modpost", NULL);
  if (!g_file_test (modpost, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_task_return_new_error (task, KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_NO_KERNEL,
                               _("The kernel in %s is not built, so modules cannot be built against "
                                 "it. Run “kwb kernel build %s” first."),
                               self->kernel_build, kwb_project_get_directory (self->project));
      return;
    }

  sources = kwb_project_dup_string_list (self->project, "modules", "projects");
  for (guint i = 0; sources[i] != NULL; i++)
    {
      g_autofree char *abs = g_canonicalize_filename (sources[i], kwb_project_get_directory (self->project));

      g_strv_builder_add (b, abs);
    }
  g_strfreev (self->sources);
  self->sources = g_strv_builder_end (b);
  for (guint i = 0; self->sources[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!check_holds_no_build (self->project, self->sources[i], &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  self->next = 0;
  g_ptr_array_set_size (self->modules, 0);
  g_clear_pointer (&self->problem, kwb_build_problem_free);
  {
    g_autoptr(KwbBuildManifest) manifest = kwb_build_manifest_new (self->kernel_build);

    g_free (self->kernel_source);
    self->kernel_source = kwb_build_manifest_dup_source (manifest);
  }
  kwb_build_runner_reset (self->runner);
  kwb_build_runner_set_stage (self->runner, KWB_BUILD_STAGE_MODULES, 0);
  self->task = g_steal_pointer (&task);
  build_next (self);
}

gboolean
kwb_module_build_build_finish (KwbModuleBuild  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- kwb module new ---- */

static const char kbuild_template[] =
  "# Kbuild for the %s module: `kwb module build` runs\n"
  "#   make -C KERNEL_BUILD M=<a copy of this folder> modules\n"
  "obj-m += %s.o\n";

static const char makefile_template[] =
  "# For building by hand; Kernel Workbench uses Kbuild directly.\n"
  "KDIR ?= /lib/modules/$(shell uname -r)/build\n"
  "\n"
  "all:\n"
  "\t$(MAKE) -C $(KDIR) M=$(CURDIR) modules\n"
  "\n"
  "clean:\n"
  "\t$(MAKE) -C $(KDIR) M=$(CURDIR) clean\n";

static const char source_template[] =
  "// SPDX-License-Identifier: GPL-2.0\n"
  "/*\n"
  " * %s — a first kernel module.\n"
  " *\n"
  " * Set a breakpoint in %s_init, boot, then in the console:\n"
  " *   insmod /lib/modules/$(uname -r)/%s.ko greeting=hi\n"
  " *   rmmod %s\n"
  " */\n"
  "#include <linux/init.h>\n"
  "#include <linux/module.h>\n"
  "#include <linux/moduleparam.h>\n"
  "\n"
  "static char *greeting = \"hello\";\n"
  "module_param(greeting, charp, 0644);\n"
  "MODULE_PARM_DESC(greeting, \"What to say when loaded\");\n"
  "\n"
  "static int __init %s_init(void)\n"
  "{\n"
  "\tpr_info(\"%s: %%s, world\\n\", greeting);\n"
  "\treturn 0;\n"
  "}\n"
  "\n"
  "static void __exit %s_exit(void)\n"
  "{\n"
  "\tpr_info(\"%s: goodbye\\n\");\n"
  "}\n"
  "\n"
  "module_init(%s_init);\n"
  "module_exit(%s_exit);\n"
  "\n"
  "MODULE_LICENSE(\"GPL\");\n"
  "MODULE_DESCRIPTION(\"%s, made with Kernel Workbench\");\n";

static gboolean
is_identifier (const char *name)
{
  if (name == NULL || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return strlen (name) < 56; /* MODULE_NAME_LEN */
}

char *
kwb_module_build_new_template (KwbProject  *project,
                               const char  *name,
                               GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *kbuild = NULL;
  g_autofree char *makefile = NULL;
  g_autofree char *source = NULL;
  g_autofree char *c_name = NULL;
  g_autofree char *kbuild_text = NULL;
  g_autofree char *source_text = NULL;
  g_autofree char *entry = NULL;
  g_auto(GStrv) projects = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);

  if (!is_identifier (name))
    {
      g_set_error (error, KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_INVALID,
                   _("“%s” cannot name a module: use letters, digits and _ (a C identifier "
                     "shorter than 56 characters), e.g. hello_kwb"), name ? name : "");
      return NULL;
    }
  dir = g_build_filename (kwb_project_get_directory (project), "modules", name, NULL);
  if (g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_EXISTS,
                   _("%s exists already: choose another name or add it to [modules] projects"), dir);
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_COPY,
                   _("Cannot create %s: %s"), dir, g_strerror (saved));
      return NULL;
    }
  c_name = g_strdup_printf ("%s.c", name);
  kbuild = g_build_filename (dir, "Kbuild", NULL);
  makefile = g_build_filename (dir, "Makefile", NULL);
  source = g_build_filename (dir, c_name, NULL);
  kbuild_text = g_strdup_printf (kbuild_template, name, name);
  source_text = g_strdup_printf (source_template, c_name, name, name, name, name, name, name, name, name,
                                 name, name);
  if (!g_file_set_contents (kbuild, kbuild_text, -1, error) ||
      !g_file_set_contents (makefile, makefile_template, -1, error) ||
      !g_file_set_contents (source, source_text, -1, error))
    return NULL;

  projects = kwb_project_dup_string_list (project, "modules", "projects");
  entry = g_build_filename ("modules", name, NULL);
  g_strv_builder_addv (b, (const char **) projects);
  g_strv_builder_add (b, entry);
  {
    g_auto(GStrv) list = g_strv_builder_end (b);

    kwb_project_set_string_list (project, "modules", "projects", (const char * const *) list);
  }
  if (!kwb_project_save (project, error))
    return NULL;
  return g_steal_pointer (&dir);
}
