/* test-kernel-build.c — kbuild output parsing and the checks before a kernel build
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks run for real (files, PATH lookups, the real gcc); only the build
 * logs are recorded ones.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "kwb-core.h"

static void
test_progress_lines (void)
{
  KwbBuildStage stage;

  g_assert_true (kwb_build_runner_classify_line ("  CC      init/main.o", &stage));
  g_assert_cmpint (stage, ==, KWB_BUILD_STAGE_COMPILE);
  g_assert_true (kwb_build_runner_classify_line ("  AR      init/built-in.a", &stage));
  g_assert_true (kwb_build_runner_classify_line ("  HOSTCC  scripts/kconfig/conf.o", &stage));
  g_assert_true (kwb_build_runner_classify_line ("  CC [M]  fs/foo/foo.o", &stage));
  g_assert_cmpint (stage, ==, KWB_BUILD_STAGE_MODULES);
  g_assert_true (kwb_build_runner_classify_line ("  LD      vmlinux.o", &stage));
  g_assert_cmpint (stage, ==, KWB_BUILD_STAGE_LINK);
  g_assert_true (kwb_build_runner_classify_line ("  LD      .tmp_vmlinux.kallsyms1", &stage));
  g_assert_cmpint (stage, ==, KWB_BUILD_STAGE_LINK);

  /* Not objects, but they tell the stage. */
  g_assert_false (kwb_build_runner_classify_line ("  GEN     scripts/gdb/linux/constants.py", &stage));
  g_assert_cmpint (stage, ==, KWB_BUILD_STAGE_GDB_SCRIPTS);
  g_assert_false (kwb_build_runner_classify_line ("  MODPOST modules-only.symvers", &stage));
  g_assert_cmpint (stage, ==, KWB_BUILD_STAGE_MODULES);
  g_assert_false (kwb_build_runner_classify_line ("  CALL    scripts/checksyscalls.sh", NULL));

  /* Early lines that are no final link: the vDSO, objtool, the setup code. */
  kwb_build_runner_classify_line ("  OBJCOPY arch/x86/entry/vdso/vdso64.so", &stage);
  g_assert_cmpint (stage, ==, KWB_BUILD_STAGE_COMPILE);
  kwb_build_runner_classify_line ("  LINK    /b/tools/objtool/objtool", &stage);
  g_assert_cmpint (stage, ==, KWB_BUILD_STAGE_COMPILE);
  kwb_build_runner_classify_line ("  CC      arch/x86/boot/a20.o", &stage);
  g_assert_cmpint (stage, ==, KWB_BUILD_STAGE_COMPILE);
  /* BusyBox's final link. */
  kwb_build_runner_classify_line ("  LINK    busybox_unstripped", &stage);
  g_assert_cmpint (stage, ==, KWB_BUILD_STAGE_LINK);

  /* Compiler chatter is not kbuild's. */
  g_assert_false (kwb_build_runner_classify_line ("  941 |  kwb_broken();", NULL));
  g_assert_false (kwb_build_runner_classify_line ("   CC x", NULL));
  g_assert_false (kwb_build_runner_classify_line ("make[1]: Entering directory '/b'", NULL));
  g_assert_false (kwb_build_runner_classify_line ("", NULL));
}

static void
test_parse_problem (void)
{
  g_autoptr(KwbBuildProblem) p = NULL;

  p = kwb_build_problem_parse ("../src/init/main.c:941:2: error: 'y' undeclared", "/work/build");
  g_assert_nonnull (p);
  g_assert_cmpstr (p->file, ==, "/work/src/init/main.c");
  g_assert_cmpuint (p->line, ==, 941);
  g_assert_cmpuint (p->column, ==, 2);
  g_assert_cmpstr (p->message, ==, "'y' undeclared");
  g_clear_pointer (&p, kwb_build_problem_free);

  p = kwb_build_problem_parse ("/s/include/linux/x.h:12: fatal error: gelf.h: No such file or directory", NULL);
  g_assert_nonnull (p);
  g_assert_cmpstr (p->file, ==, "/s/include/linux/x.h");
  g_assert_cmpuint (p->line, ==, 12);
  g_assert_cmpuint (p->column, ==, 0);
  g_assert_cmpstr (p->message, ==, "gelf.h: No such file or directory");
  g_clear_pointer (&p, kwb_build_problem_free);

  p = kwb_build_problem_parse ("ld: cannot find -lfoo: No such file or directory", NULL);
  g_assert_nonnull (p);
  g_assert_nonnull (strstr (p->message, "cannot find"));
  g_clear_pointer (&p, kwb_build_problem_free);

  g_assert_null (kwb_build_problem_parse ("../src/init/do_mounts.c:612:9: warning: unused variable", NULL));
  g_assert_null (kwb_build_problem_parse ("  CC      init/main.o", NULL));
  g_assert_null (kwb_build_problem_parse ("cc1: some warnings being treated as errors", NULL));
}

static void
test_problem_in_log (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "kconfig", "failed-build.log", NULL);
  g_autofree char *link_path = g_test_build_filename (G_TEST_DIST, "data", "kconfig", "failed-link.log", NULL);
  g_autofree char *text = NULL;
  g_autofree char *link_text = NULL;
  g_autoptr(KwbBuildProblem) p = NULL;
  g_autoptr(KwbBuildProblem) l = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  p = kwb_build_problem_find_in_log (text, "/work/build");
  /* The first error, not the warning before it nor the second error. */
  g_assert_nonnull (p);
  g_assert_cmpstr (p->file, ==, "/src/init/main.c");
  g_assert_cmpuint (p->line, ==, 941);
  g_assert_cmpuint (p->column, ==, 2);
  g_assert_nonnull (strstr (p->message, "kwb_broken"));

  g_assert_true (g_file_get_contents (link_path, &link_text, NULL, NULL));
  l = kwb_build_problem_find_in_log (link_text, "/work/build");
  g_assert_nonnull (l);
  g_assert_cmpstr (l->file, ==, "/work/build/init/main.o");
  g_assert_nonnull (strstr (l->message, "start_kernel"));
}

static char *
make_tree (const char *makefile,
           const char *arch)
{
  g_autofree char *dir = g_dir_make_tmp ("kwb-fake-tree-XXXXXX", NULL);
  g_autofree char *mk = g_build_filename (dir, "Makefile", NULL);
  g_autofree char *kc = g_build_filename (dir, "Kconfig", NULL);

  g_assert_nonnull (dir);
  if (makefile != NULL)
    g_assert_true (g_file_set_contents (mk, makefile, -1, NULL));
  g_assert_true (g_file_set_contents (kc, "mainmenu \"fake\"\n", -1, NULL));
  if (arch != NULL)
    {
      g_autofree char *archdir = g_build_filename (dir, "arch", arch, NULL);
      g_autofree char *archkc = g_build_filename (archdir, "Kconfig", NULL);

      g_assert_cmpint (g_mkdir_with_parents (archdir, 0755), ==, 0);
      g_assert_true (g_file_set_contents (archkc, "config FAKE\n\tbool\n", -1, NULL));
    }
  return g_steal_pointer (&dir);
}

static void
remove_tree (const char *dir)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

  g_assert_cmpint (system (cmd), ==, 0);
}

static void
test_check_tree (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *not_kernel = make_tree ("all:\n\techo hello\n", "x86");
  g_autofree char *arm = make_tree ("VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n", "arm64");
  g_autofree char *x86 = make_tree ("VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n", "x86");

  g_assert_false (kwb_kernel_build_check_tree (not_kernel, NULL, &error));
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_NOT_A_KERNEL);
  g_assert_nonnull (strstr (error->message, "not a Linux kernel source tree"));
  g_clear_error (&error);

  g_assert_false (kwb_kernel_build_check_tree (arm, NULL, &error));
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_WRONG_ARCH);
  g_assert_nonnull (strstr (error->message, "arm64"));
  g_assert_nonnull (strstr (error->message, "6.1"));
  g_clear_error (&error);
  /* The same tree is right for an arm64 project, and the x86 one is not. */
  g_assert_true (kwb_kernel_build_check_tree (arm, kwb_arch_lookup ("arm64"), &error));
  g_assert_no_error (error);
  g_assert_false (kwb_kernel_build_check_tree (x86, kwb_arch_lookup ("arm64"), &error));
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_WRONG_ARCH);
  g_assert_nonnull (strstr (error->message, "arch/arm64"));
  g_clear_error (&error);

  g_assert_false (kwb_kernel_build_check_tree ("/nonexistent/linux", NULL, &error));
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_NO_SOURCE);
  g_assert_nonnull (strstr (error->message, "linux-source-6.1"));
  g_clear_error (&error);

  g_assert_true (kwb_kernel_build_check_tree (x86, NULL, &error));
  g_assert_no_error (error);

  remove_tree (not_kernel);
  remove_tree (arm);
  remove_tree (x86);
}

/* A PATH holding links to the real tools, minus some. */
static char *
make_path_without (const char * const *leave_out)
{
  static const char *tools[] = { "make", "gcc", "flex", "bison", "bc", "perl", "sh", "cat", NULL };
  g_autofree char *dir = g_dir_make_tmp ("kwb-path-XXXXXX", NULL);

  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *real = g_find_program_in_path (tools[i]);
      g_autofree char *link = g_build_filename (dir, tools[i], NULL);

      if (real == NULL || g_strv_contains (leave_out, tools[i]))
        continue;
      g_assert_cmpint (symlink (real, link), ==, 0);
    }
  return g_steal_pointer (&dir);
}

static void
test_check_tools (void)
{
  const char *all_there[] = { NULL };
  const char *without[] = { "flex", "bc", NULL };
  g_autofree char *full = NULL;
  g_autofree char *partial = NULL;
  g_auto(GStrv) env = NULL;
  g_autoptr(GError) error = NULL;
  const char *needed[] = { "make", "gcc", "flex", "bison", "bc", "perl", NULL };

  for (guint i = 0; needed[i] != NULL; i++)
    {
      g_autofree char *p = g_find_program_in_path (needed[i]);

      if (p == NULL)
        {
          {
          g_autofree char *why = g_strdup_printf ("%s is not installed here: cannot build the complete PATH", needed[i]);
          g_test_skip (why);
        }
          return;
        }
    }

  full = make_path_without (all_there);
  env = g_environ_setenv (g_get_environ (), "PATH", full, TRUE);
  if (!kwb_kernel_build_check_tools ((const char * const *) env, NULL, &error))
    {
      /* Only libelf-dev can be missing on a machine with the tools. */
      g_assert_nonnull (strstr (error->message, "libelf-dev"));
      g_test_skip ("libelf-dev is not installed on this machine");
      remove_tree (full);
      return;
    }

  partial = make_path_without (without);
  g_strfreev (env);
  env = g_environ_setenv (g_get_environ (), "PATH", partial, TRUE);
  g_assert_false (kwb_kernel_build_check_tools ((const char * const *) env, NULL, &error));
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_MISSING_TOOL);
  g_assert_nonnull (strstr (error->message, "flex, bc"));
  g_assert_nonnull (strstr (error->message, "apt-get install flex bc"));
  g_assert_null (strstr (error->message, "bison"));
  g_clear_error (&error);

  /* A gcc that cannot see the system headers: gelf.h is "missing". */
  {
    g_autofree char *gcc_link = g_build_filename (full, "gcc", NULL);
    g_autofree char *real_gcc = g_find_program_in_path ("gcc");
    g_autofree char *script = g_strdup_printf ("#!/bin/sh\nexec %s -nostdinc \"$@\"\n", real_gcc);

    g_assert_cmpint (g_unlink (gcc_link), ==, 0);
    g_assert_true (g_file_set_contents (gcc_link, script, -1, NULL));
    g_assert_cmpint (g_chmod (gcc_link, 0755), ==, 0);
    g_strfreev (env);
    env = g_environ_setenv (g_get_environ (), "PATH", full, TRUE);
    g_assert_false (kwb_kernel_build_check_tools ((const char * const *) env, NULL, &error));
    g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_MISSING_TOOL);
    g_assert_nonnull (strstr (error->message, "gelf.h"));
    g_assert_nonnull (strstr (error->message, "apt-get install libelf-dev"));
  }

  remove_tree (full);
  remove_tree (partial);
}

/* The boot image's compressor, named by the configuration, is checked
 * before the build rather than found missing at its end. */
static void
test_check_compressor (void)
{
  const char *none[] = { NULL };
  g_autofree char *path = make_path_without (none);
  g_autofree char *lz4 = g_build_filename (path, "lz4", NULL);
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "PATH", path, TRUE);
  g_autoptr(KwbKconfig) lz4_config = kwb_kconfig_new_from_data ("CONFIG_64BIT=y\nCONFIG_KERNEL_LZ4=y\n"
                                                                "# CONFIG_KERNEL_XZ is not set\n", -1);
  g_autoptr(KwbKconfig) bare = kwb_kconfig_new_from_data ("CONFIG_64BIT=y\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (lz4_config);
  g_assert_false (kwb_kernel_build_check_compressor (lz4_config, (const char * const *) env, &error));
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_MISSING_TOOL);
  g_assert_nonnull (strstr (error->message, "CONFIG_KERNEL_LZ4"));
  g_assert_nonnull (strstr (error->message, "apt-get install lz4"));
  g_clear_error (&error);

  /* No compression option (arm64's Image): nothing to check. */
  g_assert_true (kwb_kernel_build_check_compressor (bare, (const char * const *) env, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_set_contents (lz4, "#!/bin/sh\n", -1, NULL));
  g_assert_cmpint (g_chmod (lz4, 0755), ==, 0);
  g_assert_true (kwb_kernel_build_check_compressor (lz4_config, (const char * const *) env, &error));
  g_assert_no_error (error);
  remove_tree (path);
}

static void
test_check_build_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("kwb-build-dir-XXXXXX", NULL);
  g_autofree char *fine = g_build_filename (tmp, "a", "b", NULL);
  g_autofree char *readonly = NULL;

  g_assert_true (kwb_kernel_build_check_build_dir (fine, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (fine, G_FILE_TEST_IS_DIR));

  /* root ignores permission bits: then use sysfs, which refuses new dirs. */
  if (getuid () != 0)
    {
      readonly = g_build_filename (tmp, "ro", NULL);
      g_assert_cmpint (g_mkdir (readonly, 0555), ==, 0);
      g_free (readonly);
      readonly = g_build_filename (tmp, "ro", "build", NULL);
    }
  else
    readonly = g_strdup ("/sys/kwb-test-build");
  g_assert_false (kwb_kernel_build_check_build_dir (readonly, &error));
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_BUILD_DIR);
  g_assert_nonnull (strstr (error->message, readonly));
  g_assert_nonnull (strstr (error->message, "[kernel] build-dir"));

  if (getuid () != 0)
    {
      g_autofree char *ro = g_build_filename (tmp, "ro", NULL);
      g_chmod (ro, 0755);
    }
  remove_tree (tmp);
}

static void
test_shared_source_dir (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("kwb-tarball-XXXXXX", NULL);
  g_autofree char *tarball = g_build_filename (tmp, "linux-source-6.1.tar.xz", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (tarball, "not really xz", -1, NULL));
  a = kwb_kernel_build_dup_shared_source_dir (tarball, &error);
  g_assert_no_error (error);
  base = g_path_get_basename (a);
  g_assert_true (g_str_has_prefix (base, "linux-source-6.1-"));
  g_assert_cmpuint (strlen (base), ==, strlen ("linux-source-6.1-") + 12);
  g_assert_true (g_str_has_prefix (a, g_get_user_cache_dir ()));

  /* Another upload of the tarball is another tree. */
  g_assert_true (g_file_set_contents (tarball, "not really xz, longer", -1, NULL));
  b = kwb_kernel_build_dup_shared_source_dir (tarball, &error);
  g_assert_cmpstr (a, !=, b);

  g_assert_null (kwb_kernel_build_dup_shared_source_dir ("/nonexistent.tar.xz", &error));
  g_assert_nonnull (error);
  remove_tree (tmp);
}

typedef struct {
  int   stage;
  guint done;
  guint total;
} Progress;

static void
on_progress (KwbBuildRunner *runner,
             int             stage,
             guint           done,
             guint           total,
             GArray         *events)
{
  Progress p = { stage, done, total };

  g_array_append_val (events, p);
}

typedef struct {
  GArray *events;       /* Progress, every ::progress-changed */
  guint   counted;      /* object lines make printed */
  guint   made;         /* the runner's count when make ended */
  int     link_line;    /* where the stage became LINK, -1: never */
} Replay;

/* Feeds a recorded kwb-build.log to a runner the way KwbKernelBuild runs
 * its steps: our own command lines start the stages. */
static void
replay (const char *name,
        Replay     *out)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "build", name, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(KwbBuildRunner) runner = kwb_build_runner_new ();
  gboolean in_make = FALSE;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  out->events = g_array_new (FALSE, FALSE, sizeof (Progress));
  out->counted = 0;
  out->link_line = -1;
  g_signal_connect (runner, "progress-changed", G_CALLBACK (on_progress), out->events);

  kwb_build_runner_reset (runner);
  /* The tarball, in MB: what printed "config: 131/131" before. */
  kwb_build_runner_set_stage (runner, KWB_BUILD_STAGE_EXTRACT, 0);
  kwb_build_runner_set_progress (runner, 131, 131);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      /* Our command lines (older logs lack the "$ "). */
      const char *command = g_str_has_prefix (line, "$ ") ? line + 2 : line;

      if (g_str_has_prefix (command, "make -C ") && strstr (command, " bzImage") != NULL)
        {
          kwb_build_runner_set_stage (runner, KWB_BUILD_STAGE_COMPILE, 1150);
          kwb_build_runner_set_counting (runner, TRUE);
          in_make = TRUE;
        }
      else if (g_str_has_prefix (command, "make -C ") || g_str_has_prefix (command, "sh ") ||
               g_str_has_prefix (command, "cd "))
        kwb_build_runner_set_stage (runner, KWB_BUILD_STAGE_CONFIG, 0);
      if (in_make && kwb_build_runner_classify_line (line, NULL))
        out->counted++;
      kwb_build_runner_feed_line (runner, line);
      if (out->link_line < 0 && kwb_build_runner_get_stage (runner) == KWB_BUILD_STAGE_LINK)
        out->link_line = i;
    }
  out->made = kwb_build_runner_get_done (runner);
}

/* What a progress line shows must be true: the stage never goes back,
 * the count never goes down within a stage nor during make, it never
 * passes the total, and the configuration shows no count. */
static void
assert_truthful (Replay *r)
{
  for (guint i = 0; i < r->events->len; i++)
    {
      Progress *p = &g_array_index (r->events, Progress, i);
      g_autofree char *shown = kwb_build_stage_format_progress (p->stage, p->done, p->total);

      if (p->total > 0)
        g_assert_cmpuint (p->done, <=, p->total);
      if (p->stage == KWB_BUILD_STAGE_CONFIG)
        g_assert_cmpstr (shown, ==, kwb_build_stage_to_string (KWB_BUILD_STAGE_CONFIG));
      if (i == 0)
        continue;
      g_assert_cmpint (p->stage, >=, p[-1].stage);
      if (p->stage == p[-1].stage)
        g_assert_cmpuint (p->done, >=, p[-1].done);
      if (p[-1].stage >= KWB_BUILD_STAGE_COMPILE && p->stage <= KWB_BUILD_STAGE_GDB_SCRIPTS)
        g_assert_cmpuint (p->done, >=, p[-1].done);
    }
  g_assert_cmpuint (r->made, ==, r->counted);
}

/* Recorded: a kwb kernel build of linux 6.12 on a fresh machine, from
 * tinyconfig to the first few hundred objects. It printed "config:
 * 131/131 (99%)" then "config: 0/131 (0%)", and "link: …" from the vDSO's
 * OBJCOPY on, while cc1 compiled for minutes. */
static void
test_progress_configure_and_compile (void)
{
  Replay r;

  replay ("kernel-6.12-configure-and-compile.log", &r);
  assert_truthful (&r);
  g_assert_cmpuint (r.counted, >, 400);
  g_assert_cmpint (r.link_line, ==, -1);
  g_array_unref (r.events);
}

/* Recorded: linux 6.1's make after a few objects were removed: the
 * compile, then vmlinux's link. The link stage starts with vmlinux.o. */
static void
test_progress_relink (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "build", "kernel-6.1-relink.log", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  Replay r;

  replay ("kernel-6.1-relink.log", &r);
  assert_truthful (&r);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpint (r.link_line, >, 0);
  g_assert_cmpstr (lines[r.link_line], ==, "  LD      vmlinux.o");
  g_array_unref (r.events);
}

/* An external module build (M=): its lines are the modules stage. */
static void
test_progress_module (void)
{
  const char *lines[] = {
    "make -C /work/build M=/work/modules/hello -j2 modules",
    "  CC [M]  /work/modules/hello/hello.o",
    "  MODPOST /work/modules/hello/Module.symvers",
    "  CC [M]  /work/modules/hello/hello.mod.o",
    "  LD [M]  /work/modules/hello/hello.ko",
    NULL
  };
  g_autoptr(KwbBuildRunner) runner = kwb_build_runner_new ();

  kwb_build_runner_set_counting (runner, TRUE);
  kwb_build_runner_set_stage (runner, KWB_BUILD_STAGE_MODULES, 0);
  for (guint i = 0; lines[i] != NULL; i++)
    kwb_build_runner_feed_line (runner, lines[i]);
  g_assert_cmpint (kwb_build_runner_get_stage (runner), ==, KWB_BUILD_STAGE_MODULES);
  g_assert_cmpuint (kwb_build_runner_get_done (runner), ==, 3);
  g_assert_cmpuint (kwb_build_runner_get_total (runner), ==, 3);

  /* A stage behind the current one is no progress. */
  kwb_build_runner_set_stage (runner, KWB_BUILD_STAGE_COMPILE, 100);
  g_assert_cmpint (kwb_build_runner_get_stage (runner), ==, KWB_BUILD_STAGE_MODULES);
  kwb_build_runner_set_progress (runner, 1, 3);
  g_assert_cmpuint (kwb_build_runner_get_done (runner), ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kernel-build/progress-lines", test_progress_lines);
  g_test_add_func ("/kernel-build/progress-configure-and-compile", test_progress_configure_and_compile);
  g_test_add_func ("/kernel-build/progress-relink", test_progress_relink);
  g_test_add_func ("/kernel-build/progress-module", test_progress_module);
  g_test_add_func ("/kernel-build/parse-problem", test_parse_problem);
  g_test_add_func ("/kernel-build/problem-in-log", test_problem_in_log);
  g_test_add_func ("/kernel-build/check-tree", test_check_tree);
  g_test_add_func ("/kernel-build/check-tools", test_check_tools);
  g_test_add_func ("/kernel-build/check-compressor", test_check_compressor);
  g_test_add_func ("/kernel-build/check-build-dir", test_check_build_dir);
  g_test_add_func ("/kernel-build/shared-source-dir", test_shared_source_dir);

  return g_test_run ();
}
