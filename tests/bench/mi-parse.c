/* mi-parse.c — benchmark: KwbMiParser throughput against a bare read()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds two large transcripts by repeating GDB 13 recordings to SIZE MB
 * in a temporary file: "symbols + session" (a one-line 800 KB
 * -symbol-info-functions, thread and frame lists, stops, console text) and
 * "session only" (small records: stops, breakpoints, console lines). For
 * each it times, in the same run, best of ROUNDS:
 *   read:   read() of the file in 64 KiB chunks, bytes discarded;
 *   parse:  the same read() loop feeding every chunk to KwbMiParser;
 * and prints MB/s (10^6 bytes) and the ratio. If the test kernel fixture
 * is there, a third transcript repeats its -symbol-info-functions and
 * -symbol-info-variables (recorded by gdb first, not timed). Never fails on time; fails
 * only if a recorded transcript does not parse.
 *
 * Usage: mi-parse [SIZE_MB (default 64)] [ROUNDS (default 5)]
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

#define CHUNK (64 * 1024)

typedef struct {
  guint64 records;
  guint64 errors;
} Count;

static void
count_record (KwbMiRecord *record,
              gpointer     user_data)
{
  Count *count = user_data;

  count->records++;
  if (kwb_mi_record_get_record_type (record) == KWB_MI_RECORD_ERROR)
    count->errors++;
}

static double
time_pass (const char *path,
           gboolean    parse,
           Count      *count)
{
  g_autoptr(KwbMiParser) parser = parse ? kwb_mi_parser_new () : NULL;
  g_autofree char *buffer = g_malloc (CHUNK);
  gint64 start;
  int fd = open (path, O_RDONLY);

  if (fd < 0)
    g_error ("open %s: %s", path, g_strerror (errno));

  start = g_get_monotonic_time ();
  for (;;)
    {
      ssize_t n = read (fd, buffer, CHUNK);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        g_error ("read: %s", g_strerror (errno));
      if (n == 0)
        break;
      if (parse)
        kwb_mi_parser_feed (parser, buffer, (gsize) n, count_record, count);
    }
  if (parse)
    kwb_mi_parser_finish (parser, count_record, count);
  close (fd);
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

static char *
data_path (const char *name)
{
  const char *srcdir = g_getenv ("KWB_SOURCE_ROOT");

  return g_build_filename (srcdir ? srcdir : ".", "tests", "data", "mi", name, NULL);
}

static gboolean
run_one (const char         *label,
         const char * const *seeds,
         guint               size_mb,
         guint               rounds)
{
  g_autoptr(GString) unit = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  double best_read = G_MAXDOUBLE;
  double best_parse = G_MAXDOUBLE;
  double mb;
  gsize total = 0;
  Count count = { 0, 0 };
  FILE *out;
  int fd;

  for (guint i = 0; seeds[i] != NULL; i++)
    {
      g_autofree char *seed_path = g_path_is_absolute (seeds[i]) ? g_strdup (seeds[i]) : data_path (seeds[i]);
      g_autofree char *contents = NULL;
      gsize len;

      if (!g_file_get_contents (seed_path, &contents, &len, &error))
        g_error ("%s (run from the source root or set KWB_SOURCE_ROOT)", error->message);
      g_string_append_len (unit, contents, (gssize) len);
    }

  fd = g_file_open_tmp ("kwb-mi-bench-XXXXXX.mi", &path, &error);
  g_assert_no_error (error);
  out = fdopen (fd, "w");
  while (total < (gsize) size_mb * 1000 * 1000)
    {
      if (fwrite (unit->str, 1, unit->len, out) != unit->len)
        g_error ("write %s: %s", path, g_strerror (errno));
      total += unit->len;
    }
  fclose (out);
  mb = (double) total / 1e6;

  /* Warm the page cache so both passes read from memory. */
  time_pass (path, FALSE, NULL);
  for (guint r = 0; r < rounds; r++)
    {
      Count c = { 0, 0 };

      best_read = MIN (best_read, time_pass (path, FALSE, NULL));
      best_parse = MIN (best_parse, time_pass (path, TRUE, &c));
      count = c;
    }
  g_unlink (path);

  printf ("%s: %.1f MB, %" G_GUINT64_FORMAT " records, %.0f bytes per record\n",
          label, mb, count.records, (double) total / MAX (count.records, 1));
  printf ("  read() and discard:      %8.1f MB/s\n", mb / best_read);
  printf ("  read() + KwbMiParser:    %8.1f MB/s\n", mb / best_parse);
  printf ("  ratio parse/read time:   %8.2f   (parser alone ~%.1f MB/s)\n",
          best_parse / best_read, mb / MAX (best_parse - best_read, 1e-9));

  if (count.errors > 0)
    {
      fprintf (stderr, "mi-parse: %" G_GUINT64_FORMAT " error records in a recorded transcript\n",
               count.errors);
      return FALSE;
    }
  return TRUE;
}

/* GDB's symbol tables of the test kernel (a few MB in two records), if the
 * fixture and gdb are here; recorded once, not timed. */
static char *
record_kernel_symbols (void)
{
  g_autofree char *vmlinux = g_build_filename (g_get_home_dir (), ".cache", "kernel-workbench",
                                               "fixtures", "current-kernel", "vmlinux", NULL);
  g_autofree char *gdb = g_find_program_in_path ("gdb");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *commands_path = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *commands = NULL;
  const char *argv[] = { "gdb", "--interpreter=mi3", "-nx", "-q", NULL };
  int fd;

  if (gdb == NULL || !g_file_test (vmlinux, G_FILE_TEST_EXISTS))
    {
      printf ("(no test kernel in ~/.cache/kernel-workbench/fixtures or no gdb: "
              "kernel symbol tables not measured)\n");
      return NULL;
    }

  commands = g_strdup_printf ("1-file-exec-and-symbols %s\n2-symbol-info-functions\n"
                              "3-symbol-info-variables\n4-gdb-exit\n", vmlinux);
  fd = g_file_open_tmp ("kwb-mi-bench-XXXXXX.in", &commands_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (commands_path, commands, -1, &error);
  g_assert_no_error (error);
  fd = g_file_open_tmp ("kwb-mi-bench-XXXXXX.mi", &out_path, &error);
  g_assert_no_error (error);
  close (fd);

  printf ("recording the test kernel's symbol tables with gdb (not timed)…\n");
  fflush (stdout);
  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_stdin_file_path (launcher, commands_path);
  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  process = kwb_spawn (launcher, argv, "gdb", &error);
  if (process == NULL || !g_subprocess_wait_check (process, NULL, &error))
    g_error ("gdb: %s", error->message);
  g_unlink (commands_path);
  return g_steal_pointer (&out_path);
}

int
main (int    argc,
      char **argv)
{
  static const char * const mixed[] = { "userspace-symbols.mi", "userspace.mi", "kernel.mi", NULL };
  static const char * const session[] = { "userspace.mi", "kernel.mi", NULL };
  guint size_mb = argc > 1 ? (guint) atoi (argv[1]) : 64;
  guint rounds = argc > 2 ? (guint) atoi (argv[2]) : 5;
  gboolean ok = TRUE;

  g_autofree char *kernel_symbols = NULL;

  ok &= run_one ("symbols + session (-symbol-info-functions, frames, threads)", mixed, size_mb, rounds);
  ok &= run_one ("sessions only (userspace + kernel: stops, breakpoints, console lines)", session, size_mb, rounds);

  if ((kernel_symbols = record_kernel_symbols ()) != NULL)
    {
      const char * const kernel[] = { kernel_symbols, "kernel.mi", NULL };

      ok &= run_one ("test kernel's -symbol-info-functions/-variables + kernel session", kernel, size_mb, rounds);
      g_unlink (kernel_symbols);
    }
  return ok ? 0 : 1;
}
