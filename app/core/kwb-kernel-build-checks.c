/* kwb-kernel-build-checks.c — what a kernel build needs, checked before anything runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kernel tree for x86, kbuild's tools (with the Debian package for each
 * missing one, all named in one message), a writable build directory, and
 * where a source tarball is extracted. KwbKernelBuild runs these in its
 * checks step; the wizard and the tests call them alone, so they take
 * paths, not a KwbKernelBuild. Synchronous and quick: main thread.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-kernel-build.h"
#include "kwb-kernel-build-private.h"
#include "kwb-spawn.h"

char *
kwb_kernel_build_find_in_path (const char *program,
                               const char *path_env)
{
  g_auto(GStrv) dirs = NULL;

  if (path_env == NULL)
    return g_find_program_in_path (program);
  dirs = g_strsplit (path_env, ":", -1);
  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *candidate = g_build_filename (*dirs[i] ? dirs[i] : ".", program, NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE) &&
          !g_file_test (candidate, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

static gboolean
read_makefile_version (const char *srctree,
                       char      **version)
{
  g_autofree char *path = g_build_filename (srctree, "Makefile", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *v = NULL;
  g_autofree char *p = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", 40);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "VERSION =") && v == NULL)
        v = g_strstrip (g_strdup (lines[i] + strlen ("VERSION =")));
      else if (g_str_has_prefix (lines[i], "PATCHLEVEL =") && p == NULL)
        p = g_strstrip (g_strdup (lines[i] + strlen ("PATCHLEVEL =")));
    }
  if (v == NULL || p == NULL)
    return FALSE;
  if (version != NULL)
    *version = g_strdup_printf ("%s.%s", v, p);
  return TRUE;
}

/**
 * kwb_kernel_build_check_tree:
 * @arch: (nullable): the guest's architecture, NULL for the default
 *
 * A kernel source tree we can build for @arch: a Makefile with VERSION and
 * PATCHLEVEL, a Kconfig, and arch/ARCH.
 */
gboolean
kwb_kernel_build_check_tree (const char     *srctree,
                             const KwbArch  *arch,
                             GError        **error)
{
  g_autofree char *kconfig = g_build_filename (srctree, "Kconfig", NULL);
  g_autofree char *own = NULL;
  g_autofree char *arch_dir = g_build_filename (srctree, "arch", NULL);
  g_autofree char *version = NULL;

  if (arch == NULL)
    arch = kwb_arch_get_default ();
  own = g_build_filename (srctree, "arch", arch->kbuild_arch, "Kconfig", NULL);
  if (!g_file_test (srctree, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_NO_SOURCE,
                   _("The kernel source %s does not exist. Install Debian's with "
                     "“sudo apt-get install linux-source-6.1”, or set [kernel] source"), srctree);
      return FALSE;
    }
  if (!read_makefile_version (srctree, &version) || !g_file_test (kconfig, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_NOT_A_KERNEL,
                   _("%s is not a Linux kernel source tree (no Makefile with VERSION and "
                     "PATCHLEVEL, or no Kconfig). Set [kernel] source to the top of a kernel tree "
                     "or to a linux-source tarball"), srctree);
      return FALSE;
    }
  if (!g_file_test (own, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GString) found = g_string_new (NULL);
      g_autoptr(GDir) dir = g_dir_open (arch_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *sub = g_build_filename (arch_dir, name, "Kconfig", NULL);

          if (g_file_test (sub, G_FILE_TEST_IS_REGULAR))
            g_string_append_printf (found, "%s%s", found->len ? ", " : "", name);
        }
      g_set_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_WRONG_ARCH,
                   _("The kernel tree %s (Linux %s) has no arch/%s, only: %s. This project's guest "
                     "is %s (machine.arch); use a full kernel tree"),
                   srctree, version, arch->kbuild_arch, found->len ? found->str : _("nothing"), arch->label);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  const char *program;
  const char *package;
} Tool;

/* Asks the compiler the build will use, so that a header in an odd place
 * counts as found. Synchronous, a few milliseconds: main thread only. */
gboolean
kwb_kernel_build_have_header (const char         *gcc,
                              const char * const *envp,
                              const char         *header)
{
  g_autoptr(GSubprocessLauncher) launcher =
    kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                            G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  const char *argv[] = { gcc, "-E", "-x", "c", "-", NULL };
  g_autoptr(GSubprocess) cc = NULL;
  g_autofree char *source = g_strdup_printf ("#include <%s>\n", header);

  if (envp != NULL)
    g_subprocess_launcher_set_environ (launcher, (char **) envp);
  cc = kwb_spawn (launcher, argv, "gcc", NULL);
  return cc != NULL &&
         g_subprocess_communicate_utf8 (cc, source, NULL, NULL, NULL, NULL) &&
         g_subprocess_get_successful (cc);
}

/**
 * kwb_kernel_build_check_tools:
 * @envp: (nullable): the environment the build will run with (its PATH is
 *   searched), NULL for ours
 *
 * Everything kbuild needs for an @arch kernel (NULL: the default), with the
 * Debian package to install, all missing ones named in one message: the
 * host's gcc always (kbuild builds its own tools with it), and the cross
 * compiler when @arch is not the host's.
 */
gboolean
kwb_kernel_build_check_tools (const char * const  *envp,
                              const KwbArch       *arch,
                              GError             **error)
{
  static const Tool tools[] = {
    { "make", "make" },
    { "gcc", "gcc" },
    { "flex", "flex" },
    { "bison", "bison" },
    { "bc", "bc" },
    { "perl", "perl" },
  };
  /* NULL: kwb_kernel_build_find_in_path() searches our own PATH. */
  const char *path_env = envp ? g_environ_getenv ((char **) envp, "PATH") : NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) packages = g_string_new (NULL);
  g_autofree char *gcc = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *found = kwb_kernel_build_find_in_path (tools[i].program, path_env);

      if (found == NULL)
        {
          g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", tools[i].program);
          g_string_append_printf (packages, " %s", tools[i].package);
        }
      else if (g_str_equal (tools[i].program, "gcc"))
        gcc = g_steal_pointer (&found);
    }

  if (arch != NULL && kwb_arch_get_cross_compile (arch) != NULL)
    {
      g_autofree char *compiler = kwb_arch_dup_compiler (arch);
      g_autofree char *found = kwb_kernel_build_find_in_path (compiler, path_env);

      if (found == NULL)
        {
          g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", compiler);
          g_string_append_printf (packages, " %s", arch->compiler_package);
        }
    }

  /* objtool, always built for x86-64, includes <gelf.h>. */
  if (gcc != NULL && !kwb_kernel_build_have_header (gcc, envp, "gelf.h"))
    {
      g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", "gelf.h");
      g_string_append (packages, " libelf-dev");
    }

  if (missing->len > 0)
    {
      g_set_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_MISSING_TOOL,
                   _("Building the kernel needs %s, which this system lacks. "
                     "Install with: sudo apt-get install%s"), missing->str, packages->str);
      return FALSE;
    }
  return TRUE;
}

/**
 * kwb_kernel_build_check_compressor:
 * @config: the configured .config
 * @envp: (nullable): the build's environment (its PATH is searched)
 *
 * The program that compresses the boot image (CONFIG_KERNEL_XZ, _LZ4, …)
 * runs only at the very end of a build: without this check a missing one
 * fails a build that has compiled for many minutes.
 */
gboolean
kwb_kernel_build_check_compressor (KwbKconfig          *config,
                                   const char * const  *envp,
                                   GError             **error)
{
  static const struct { const char *symbol; const char *program; const char *package; } compressors[] = {
    { "KERNEL_GZIP", "gzip", "gzip" },
    { "KERNEL_BZIP2", "bzip2", "bzip2" },
    { "KERNEL_LZMA", "lzma", "xz-utils" },
    { "KERNEL_XZ", "xz", "xz-utils" },
    { "KERNEL_LZO", "lzop", "lzop" },
    { "KERNEL_LZ4", "lz4", "lz4" },
    { "KERNEL_ZSTD", "zstd", "zstd" },
  };
  /* NULL: kwb_kernel_build_find_in_path() searches our own PATH. */
  const char *path_env = envp ? g_environ_getenv ((char **) envp, "PATH") : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (compressors); i++)
    {
      g_autofree char *found = NULL;

      if (!kwb_kconfig_is_enabled (config, compressors[i].symbol))
        continue;
      found = kwb_kernel_build_find_in_path (compressors[i].program, path_env);
      if (found != NULL)
        return TRUE;
      g_set_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_MISSING_TOOL,
                   _("This configuration compresses the kernel with %s (CONFIG_%s), which this system "
                     "lacks. Install with: sudo apt-get install %s"),
                   compressors[i].program, compressors[i].symbol, compressors[i].package);
      return FALSE;
    }
  return TRUE;
}

gboolean
kwb_kernel_build_check_build_dir (const char  *build_dir,
                                  GError     **error)
{
  g_autofree char *probe = NULL;
  int fd;

  if (g_mkdir_with_parents (build_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_BUILD_DIR,
                   _("Cannot create the kernel build directory %s: %s. "
                     "Set [kernel] build-dir to a writable place"), build_dir, g_strerror (saved));
      return FALSE;
    }
  probe = g_build_filename (build_dir, ".kwb-write-test-XXXXXX", NULL);
  fd = g_mkstemp (probe);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_BUILD_DIR,
                   _("Cannot write in the kernel build directory %s: %s. "
                     "Set [kernel] build-dir to a writable place"), build_dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  g_unlink (probe);
  return TRUE;
}

/**
 * kwb_kernel_build_dup_shared_source_dir:
 *
 * Where @tarball is extracted when the project leaves [kernel] source-dir
 * empty: one copy per tarball for every project and test,
 * ~/.cache/kernel-workbench/sources/NAME-KEY, KEY from the size and mtime
 * (a new Debian upload changes both; hashing 138 MB would cost seconds).
 */
char *
kwb_kernel_build_dup_shared_source_dir (const char  *tarball,
                                        GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (tarball);
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *base = g_path_get_basename (tarball);
  g_autofree char *stamp = NULL;
  g_autofree char *key = NULL;
  const char *suffixes[] = { ".tar.xz", ".tar.gz", ".tar.bz2", ".tgz", ".tar" };

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (base, suffixes[i]))
      {
        base[strlen (base) - strlen (suffixes[i])] = '\0';
        break;
      }
  stamp = g_strdup_printf ("%" G_GOFFSET_FORMAT ":%" G_GUINT64_FORMAT, g_file_info_get_size (info),
                           g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED));
  key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, stamp, -1);
  key[12] = '\0';
  return g_strdup_printf ("%s/kernel-workbench/sources/%s-%s", g_get_user_cache_dir (), base, key);
}
