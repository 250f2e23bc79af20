/* test-console-diagnosis.c — the classic boot failures recognised in recorded consoles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recordings under tests/data/console/ (see its README) are fed whole,
 * byte by byte and in odd chunks: a diagnosis must not depend on how reads
 * split the console. Silence is tested with a short silence-ms; what is
 * asserted is whether the signal came, never when.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"

typedef struct {
  GArray *problems; /* KwbConsoleProblem, in order */
  char   *title;
  char   *advice;
} Seen;

static void
on_diagnosed (KwbConsoleDiagnosis *diagnosis,
              KwbConsoleProblem    problem,
              const char          *title,
              const char          *advice,
              Seen                *seen)
{
  g_array_append_val (seen->problems, problem);
  g_free (seen->title);
  g_free (seen->advice);
  seen->title = g_strdup (title);
  seen->advice = g_strdup (advice);
}

static KwbConsoleDiagnosis *
diagnosis_new (Seen *seen)
{
  KwbConsoleDiagnosis *diagnosis = kwb_console_diagnosis_new ();

  memset (seen, 0, sizeof *seen);
  seen->problems = g_array_new (FALSE, FALSE, sizeof (KwbConsoleProblem));
  g_signal_connect (diagnosis, "diagnosed", G_CALLBACK (on_diagnosed), seen);
  return diagnosis;
}

static void
seen_clear (Seen *seen)
{
  g_array_unref (seen->problems);
  g_free (seen->title);
  g_free (seen->advice);
}

static char *
load (const char *name,
      gsize      *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "console", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, len, &error);
  g_assert_no_error (error);
  return text;
}

typedef struct {
  const char *file;
  int         problem; /* -1: none */
} Recording;

static const Recording recordings[] = {
  { "6.1-boot.txt", -1 },
  { "6.1-no-initramfs.txt", KWB_CONSOLE_PROBLEM_NO_INITRAMFS },
  { "6.1-dynamic-busybox.txt", KWB_CONSOLE_PROBLEM_NO_INIT },
  { "6.1-hotplug-before-mount.txt", KWB_CONSOLE_PROBLEM_NO_HOTPLUG },
  { "vfs-unable-to-mount-root.txt", KWB_CONSOLE_PROBLEM_NO_INITRAMFS },
};

/* chunk 0: all at once */
static void
check_recording (const Recording *r,
                 gsize            chunk)
{
  Seen seen;
  g_autoptr(KwbConsoleDiagnosis) diagnosis = diagnosis_new (&seen);
  gsize len;
  g_autofree char *text = load (r->file, &len);

  for (gsize off = 0; off < len; off += chunk ? chunk : len)
    kwb_console_diagnosis_feed (diagnosis, text + off, MIN (chunk ? chunk : len, len - off));
  kwb_console_diagnosis_finish (diagnosis);

  if (r->problem < 0)
    g_assert_cmpuint (seen.problems->len, ==, 0);
  else
    {
      /* Once, although the panic's last line repeats the message. */
      g_assert_cmpuint (seen.problems->len, ==, 1);
      g_assert_cmpint (g_array_index (seen.problems, KwbConsoleProblem, 0), ==, r->problem);
      g_assert_true (kwb_console_diagnosis_has_problem (diagnosis, r->problem));
      g_assert_cmpstr (seen.title, ==, kwb_console_problem_get_title (r->problem));
      g_assert_cmpstr (seen.advice, ==, kwb_console_problem_get_advice (r->problem));
    }
  seen_clear (&seen);
}

static void
test_recordings (gconstpointer data)
{
  const Recording *r = data;
  static const gsize chunks[] = { 0, 1, 7, 4096 };

  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    check_recording (r, chunks[i]);
}

/* What each problem tells the user to do names the real remedy. */
static void
test_advice (void)
{
  g_assert_nonnull (strstr (kwb_console_problem_get_advice (KWB_CONSOLE_PROBLEM_NO_INITRAMFS), "kwb initramfs"));
  g_assert_nonnull (strstr (kwb_console_problem_get_advice (KWB_CONSOLE_PROBLEM_NO_HOTPLUG), "CONFIG_UEVENT_HELPER"));
  g_assert_nonnull (strstr (kwb_console_problem_get_advice (KWB_CONSOLE_PROBLEM_NO_HOTPLUG), "CONFIG_UEVENT_HELPER_PATH"));
  g_assert_nonnull (strstr (kwb_console_problem_get_advice (KWB_CONSOLE_PROBLEM_NO_HOTPLUG), "initramfs.rcs"));
  g_assert_nonnull (strstr (kwb_console_problem_get_advice (KWB_CONSOLE_PROBLEM_NO_INIT), "busybox-static"));
  g_assert_nonnull (strstr (kwb_console_problem_get_advice (KWB_CONSOLE_PROBLEM_SILENT), "console=ttyS0"));
  g_assert_nonnull (strstr (kwb_console_problem_get_advice (KWB_CONSOLE_PROBLEM_SILENT), "console=ttyAMA0"));
  g_assert_cmpstr (kwb_console_problem_to_string (KWB_CONSOLE_PROBLEM_NO_INITRAMFS), ==, "no-initramfs");
  g_assert_cmpstr (kwb_console_problem_to_string (KWB_CONSOLE_PROBLEM_NO_HOTPLUG), ==, "no-hotplug");
  g_assert_cmpstr (kwb_console_problem_to_string (KWB_CONSOLE_PROBLEM_NO_INIT), ==, "no-init");
  g_assert_cmpstr (kwb_console_problem_to_string (KWB_CONSOLE_PROBLEM_SILENT), ==, "silent");
}

/* Colours and a terminal title inside the message, \r\n, and dash's wording. */
static void
test_escapes (void)
{
  Seen seen;
  g_autoptr(KwbConsoleDiagnosis) diagnosis = diagnosis_new (&seen);

  kwb_console_diagnosis_feed (diagnosis, "\x1b]0;guest\x07/etc/init.d/rcS: 3: \x1b[1;31mcannot", -1);
  kwb_console_diagnosis_feed (diagnosis, " create\x1b[0m /proc/sys/kernel/hot", -1);
  g_assert_cmpuint (seen.problems->len, ==, 0);
  kwb_console_diagnosis_feed (diagnosis, "plug: Directory nonexistent\r\n", -1);
  g_assert_cmpuint (seen.problems->len, ==, 1);
  g_assert_cmpint (g_array_index (seen.problems, KwbConsoleProblem, 0), ==, KWB_CONSOLE_PROBLEM_NO_HOTPLUG);
  seen_clear (&seen);
}

/* A line is only judged whole: the words split over two lines are not it,
 * and the last line counts when the console ends without a newline. */
static void
test_lines (void)
{
  Seen seen;
  g_autoptr(KwbConsoleDiagnosis) diagnosis = diagnosis_new (&seen);
  g_autofree char *noise = g_strnfill (10000, 'x');

  kwb_console_diagnosis_feed (diagnosis, "VFS: Unable to\r\nmount root fs\r\n", -1);
  g_assert_cmpuint (seen.problems->len, ==, 0);
  /* A very long line is cut, and the next line is read from its start. */
  kwb_console_diagnosis_feed (diagnosis, noise, -1);
  kwb_console_diagnosis_feed (diagnosis, "VFS: Unable to mount root fs\n", -1);
  g_assert_cmpuint (seen.problems->len, ==, 0);
  kwb_console_diagnosis_feed (diagnosis, "Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)", -1);
  g_assert_cmpuint (seen.problems->len, ==, 0);
  kwb_console_diagnosis_finish (diagnosis);
  g_assert_cmpuint (seen.problems->len, ==, 1);
  g_assert_cmpint (g_array_index (seen.problems, KwbConsoleProblem, 0), ==, KWB_CONSOLE_PROBLEM_NO_INITRAMFS);
  seen_clear (&seen);
}

/* "No working init found": an init that failed to execute is BusyBox's
 * fault; with nothing unpacked, the initramfs is missing. */
static void
test_no_init_kinds (void)
{
  Seen seen;
  g_autoptr(KwbConsoleDiagnosis) a = diagnosis_new (&seen);

  kwb_console_diagnosis_feed (a, "Unpacking initramfs...\nRun /sbin/init as init process\n"
                                 "Kernel panic - not syncing: No working init found.\n", -1);
  g_assert_cmpuint (seen.problems->len, ==, 1);
  g_assert_cmpint (g_array_index (seen.problems, KwbConsoleProblem, 0), ==, KWB_CONSOLE_PROBLEM_NO_INIT);
  g_assert_false (kwb_console_diagnosis_has_problem (a, KWB_CONSOLE_PROBLEM_NO_INITRAMFS));
  seen_clear (&seen);
}

/* Any bytes, escape sequences cut anywhere: no crash, and the messages
 * after them are still found. */
static void
test_noise (void)
{
  static const char alphabet[] = "\x1b[];\x07\r\n\t\x7f\0aZ0~";
  Seen seen;
  g_autoptr(KwbConsoleDiagnosis) diagnosis = diagnosis_new (&seen);

  for (guint i = 0; i < 2000; i++)
    {
      char chunk[64];
      guint len = g_test_rand_int_range (0, sizeof chunk);

      for (guint j = 0; j < len; j++)
        chunk[j] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
      kwb_console_diagnosis_feed (diagnosis, chunk, len);
    }
  g_assert_cmpuint (seen.problems->len, ==, 0);
  kwb_console_diagnosis_feed (diagnosis, "\nFailed to execute /linuxrc (error -2)\n"
                                         "Kernel panic - not syncing: No working init found.\n", -1);
  g_assert_cmpuint (seen.problems->len, ==, 1);
  g_assert_cmpint (g_array_index (seen.problems, KwbConsoleProblem, 0), ==, KWB_CONSOLE_PROBLEM_NO_INIT);
  seen_clear (&seen);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
quit_on_diagnosed (KwbConsoleDiagnosis *diagnosis,
                   KwbConsoleProblem    problem,
                   const char          *title,
                   const char          *advice,
                   GMainLoop           *loop)
{
  g_main_loop_quit (loop);
}

/* Runs the main loop for MS of real time, or until a diagnosis. */
static void
run_for (KwbConsoleDiagnosis *diagnosis,
         guint                ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gulong handler = g_signal_connect (diagnosis, "diagnosed", G_CALLBACK (quit_on_diagnosed), loop);
  guint id = g_timeout_add (ms, quit_cb, loop);

  g_main_loop_run (loop);
  g_signal_handler_disconnect (diagnosis, handler);
  if (g_main_context_find_source_by_id (NULL, id) != NULL)
    g_source_remove (id);
}

static void
test_silence (void)
{
  Seen seen;
  g_autoptr(KwbConsoleDiagnosis) diagnosis = diagnosis_new (&seen);

  g_assert_cmpuint (kwb_console_diagnosis_get_silence_ms (diagnosis), ==,
                    KWB_CONSOLE_DIAGNOSIS_DEFAULT_SILENCE_MS);
  kwb_console_diagnosis_set_silence_ms (diagnosis, 50);
  /* Not running (frozen at start, or halted): no silence, however long. */
  run_for (diagnosis, 200);
  g_assert_cmpuint (seen.problems->len, ==, 0);

  kwb_console_diagnosis_set_running (diagnosis, TRUE);
  run_for (diagnosis, 60000);
  g_assert_cmpuint (seen.problems->len, ==, 1);
  g_assert_cmpint (g_array_index (seen.problems, KwbConsoleProblem, 0), ==, KWB_CONSOLE_PROBLEM_SILENT);
  /* Once. */
  kwb_console_diagnosis_set_running (diagnosis, FALSE);
  kwb_console_diagnosis_set_running (diagnosis, TRUE);
  run_for (diagnosis, 200);
  g_assert_cmpuint (seen.problems->len, ==, 1);
  seen_clear (&seen);
}

/* Halted time does not count, and running stretches add up: with each
 * stretch far shorter than silence-ms, only their sum can reach it, and no
 * diagnosis comes while halted. */
static void
test_silence_halted (void)
{
  Seen seen;
  g_autoptr(KwbConsoleDiagnosis) diagnosis = diagnosis_new (&seen);

  kwb_console_diagnosis_set_silence_ms (diagnosis, 300);
  for (guint i = 0; i < 1000 && seen.problems->len == 0; i++)
    {
      kwb_console_diagnosis_set_running (diagnosis, TRUE);
      run_for (diagnosis, 20);
      kwb_console_diagnosis_set_running (diagnosis, FALSE);
      if (seen.problems->len > 0)
        break;
      run_for (diagnosis, 40);
      g_assert_cmpuint (seen.problems->len, ==, 0);
    }
  g_assert_cmpuint (seen.problems->len, ==, 1);
  seen_clear (&seen);
}

/* One byte, even one without a newline, and the kernel is not silent. */
static void
test_not_silent (void)
{
  Seen seen;
  g_autoptr(KwbConsoleDiagnosis) diagnosis = diagnosis_new (&seen);

  kwb_console_diagnosis_set_silence_ms (diagnosis, 30);
  kwb_console_diagnosis_set_running (diagnosis, TRUE);
  kwb_console_diagnosis_feed (diagnosis, "\x1b", 1);
  run_for (diagnosis, 200);
  g_assert_cmpuint (seen.problems->len, ==, 0);
  seen_clear (&seen);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (recordings); i++)
    {
      g_autofree char *name = g_strdup_printf ("/console-diagnosis/recorded/%s", recordings[i].file);

      g_test_add_data_func (name, &recordings[i], test_recordings);
    }
  g_test_add_func ("/console-diagnosis/advice", test_advice);
  g_test_add_func ("/console-diagnosis/escapes", test_escapes);
  g_test_add_func ("/console-diagnosis/lines", test_lines);
  g_test_add_func ("/console-diagnosis/no-init-kinds", test_no_init_kinds);
  g_test_add_func ("/console-diagnosis/noise", test_noise);
  g_test_add_func ("/console-diagnosis/silence", test_silence);
  g_test_add_func ("/console-diagnosis/silence-halted", test_silence_halted);
  g_test_add_func ("/console-diagnosis/not-silent", test_not_silent);
  return g_test_run ();
}
