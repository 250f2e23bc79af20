/* initramfs.c — benchmark: our cpio writer vs the kernel's gen_init_cpio | gzip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Same run, same machine, same default tree (host BusyBox and its applet
 * links): the median of several runs each way, and their ratio. Also the
 * time of a whole rebuild (KwbInitramfs: check BusyBox, list applets,
 * assemble, write) after one extra file changed. Prints figures; never fails
 * on time.
 */
#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

#define RUNS 7

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof *v, compare_doubles);
  return v[n / 2];
}

static gboolean
run (const char * const *argv,
     const char         *cwd)
{
  g_autoptr(GSubprocessLauncher) launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;

  if (cwd)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  if ((p = kwb_spawn (launcher, argv, NULL, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  return g_subprocess_wait_check (p, NULL, NULL);
}

static char *
gen_init_cpio (void)
{
  const char *tarball = "/usr/src/linux-source-6.1.tar.xz";
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "kernel-workbench", "tools", NULL);
  g_autofree char *exe = g_build_filename (dir, "gen_init_cpio-6.1", NULL);
  g_autofree char *src = g_build_filename (dir, "linux-source-6.1", "usr", "gen_init_cpio.c", NULL);
  const char *untar[] = { "tar", "-xf", tarball, "linux-source-6.1/usr/gen_init_cpio.c", NULL };
  const char *cc[] = { "cc", "-O2", "-o", exe, src, NULL };

  if (g_file_test (exe, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&exe);
  if (!g_file_test (tarball, G_FILE_TEST_IS_REGULAR))
    return NULL;
  g_mkdir_with_parents (dir, 0755);
  if (!run (untar, dir) || !run (cc, dir))
    return NULL;
  return g_steal_pointer (&exe);
}

static KwbCpio *
prepare (KwbInitramfs *initramfs)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Wait w = { loop, NULL };
  KwbCpio *cpio;

  kwb_initramfs_prepare_async (initramfs, NULL, wait_cb, &w);
  g_main_loop_run (loop);
  cpio = kwb_initramfs_prepare_finish (initramfs, w.result, &error);
  g_object_unref (w.result);
  if (cpio == NULL)
    g_error ("%s", error->message);
  return cpio;
}

static double
build_once (KwbInitramfs *initramfs)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  Wait w = { loop, NULL };
  gint64 t0 = g_get_monotonic_time ();

  kwb_initramfs_build_async (initramfs, NULL, wait_cb, &w);
  g_main_loop_run (loop);
  out = kwb_initramfs_build_finish (initramfs, w.result, &error);
  g_object_unref (w.result);
  if (out == NULL)
    g_error ("%s", error->message);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : -1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kwb-bench-initramfs-XXXXXX", &error);
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbInitramfs) initramfs = NULL;
  g_autoptr(KwbCpio) cpio = NULL;
  g_autofree char *tool = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *list_path = NULL;
  g_autofree char *ours_path = NULL;
  g_autofree char *ref_path = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *extra_spec = NULL;
  g_autoptr(GString) list = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  double ours[RUNS], ref[RUNS], rebuild[RUNS];
  double m_ours, m_ref;
  const char *specs[2];

  g_assert_no_error (error);
  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  extra = g_build_filename (dir, "extra.txt", NULL);
  g_file_set_contents (extra, "version 0\n", -1, NULL);
  extra_spec = g_strdup_printf ("%s:/root/extra.txt", extra);
  initramfs = kwb_initramfs_new (project);

  if ((tool = gen_init_cpio ()) == NULL)
    {
      printf ("SKIP: no gen_init_cpio (needs linux-source-6.1 and cc)\n");
      return 77;
    }

  /* The equivalent gen_init_cpio list: in-memory files go on disk. */
  cpio = prepare (initramfs);
  listing = kwb_cpio_dup_listing (cpio);
  lines = g_strsplit (listing, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) w = g_strsplit (lines[i], " ", -1);

      if (lines[i][0] == '\0')
        continue;
      if (g_str_equal (w[0], "file") && g_str_equal (w[2], "-"))
        {
          const char *name = strrchr (w[1], '/') + 1;
          g_autofree char *on_disk = g_build_filename (dir, name, NULL);

          g_file_set_contents (on_disk, kwb_initramfs_get_default_file (name), -1, NULL);
          g_string_append_printf (list, "file %s %s %s 0 0\n", w[1], on_disk, w[3]);
        }
      else
        g_string_append_printf (list, "%s\n", lines[i]);
    }
  list_path = g_build_filename (dir, "list", NULL);
  g_file_set_contents (list_path, list->str, -1, NULL);
  ours_path = g_build_filename (dir, "ours.cpio.gz", NULL);
  ref_path = g_build_filename (dir, "ref.cpio.gz", NULL);

  for (guint i = 0; i < RUNS; i++)
    {
      /* Both at gzip level 6 (gzip's default, and ours). */
      const char *pipeline[] = { "sh", "-c", "\"$0\" -t 0 \"$1\" | gzip -6 -n > \"$2\"",
                                 tool, list_path, ref_path, NULL };
      gint64 t0 = g_get_monotonic_time ();

      if (!kwb_cpio_write_file (cpio, ours_path, KWB_CPIO_COMPRESSION_GZIP, NULL, &error))
        g_error ("%s", error->message);
      ours[i] = (g_get_monotonic_time () - t0) / 1000.0;

      t0 = g_get_monotonic_time ();
      if (!run (pipeline, dir))
        g_error ("gen_init_cpio | gzip failed");
      ref[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }

  m_ours = median (ours, RUNS);
  m_ref = median (ref, RUNS);
  printf ("default initramfs, %u entries, median of %d runs:\n", kwb_cpio_get_n_entries (cpio), RUNS);
  printf ("  kwb cpio writer (GZlibCompressor, level 6): %8.1f ms  %" G_GOFFSET_FORMAT " bytes\n",
          m_ours, file_size (ours_path));
  printf ("  gen_init_cpio | gzip -6:                    %8.1f ms  %" G_GOFFSET_FORMAT " bytes\n",
          m_ref, file_size (ref_path));
  printf ("  ratio kwb / gen_init_cpio|gzip: %.2f (below 1: we are faster)\n", m_ours / m_ref);

  /* Rebuild after one extra file changed: the whole KwbInitramfs build. */
  specs[0] = extra_spec;
  specs[1] = NULL;
  kwb_project_set_string_list (project, "initramfs", "extra-files", specs);
  build_once (initramfs);
  for (guint i = 0; i < RUNS; i++)
    {
      g_autofree char *text = g_strdup_printf ("version %u\n", i + 1);

      g_file_set_contents (extra, text, -1, NULL);
      rebuild[i] = build_once (initramfs);
    }
  m_ours = median (rebuild, RUNS);  /* sorts: rebuild[RUNS - 1] is then the slowest */
  printf ("  rebuild after changing one extra file (check BusyBox, list applets, write): "
          "median %.1f ms, max %.1f ms\n", m_ours, rebuild[RUNS - 1]);

  {
    const char *rm[] = { "rm", "-rf", dir, NULL };
    run (rm, NULL);
  }
  return 0;
}
