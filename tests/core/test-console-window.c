/* test-console-window.c — a guest's console output kept in a bounded window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds far more than the bound, the way a chatty guest would, and checks
 * after every read that the window never grew past it and that a prompt at
 * the end is found wherever the reads split it.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"

#define BOUND KWB_CONSOLE_WINDOW_DEFAULT_BYTES
#define STREAM_BYTES (4 * 1024 * 1024)

/* Guest-like output: kernel messages, a NUL now and then (a serial line
 * carries any byte), no prompt anywhere. */
static GByteArray *
make_stream (void)
{
  GByteArray *stream = g_byte_array_sized_new (STREAM_BYTES + 128);
  guint i = 0;

  while (stream->len < STREAM_BYTES)
    {
      g_autofree char *line = g_strdup_printf ("[%6u.%06u] kwb: message %u, nothing to see here\r\n",
                                               i / 1000, i % 1000 * 997, i);

      g_byte_array_append (stream, (const guint8 *) line, (guint) strlen (line));
      if (i % 101 == 0)
        g_byte_array_append (stream, (const guint8 *) "\0", 1);
      i++;
    }
  return stream;
}

/* Reads of CHUNK bytes, except that the first is FIRST bytes long: this
 * moves where the reads split the prompt at the end. */
static void
feed (KwbConsoleWindow *window,
      const guint8     *data,
      gsize             len,
      gsize             first,
      gsize             chunk,
      const char       *prompt,
      gboolean         *found_early)
{
  gsize bound = kwb_console_window_get_max_bytes (window);
  gsize pos = 0;

  while (pos < len)
    {
      gsize n = MIN (pos == 0 ? first : chunk, len - pos);

      kwb_console_window_append (window, data + pos, n);
      pos += n;
      g_assert_cmpuint (kwb_console_window_get_length (window), <=, bound);
      if (pos < len && kwb_console_window_contains (window, prompt))
        *found_early = TRUE;
    }
}

static void
test_bounded_and_prompt_found (void)
{
  g_autoptr(GByteArray) stream = make_stream ();
  const char *prompt = "Please press Enter to activate this console.";
  gsize prompt_len = strlen (prompt);
  /* The reads a PTY gives (4096), odd ones, and ones larger than the
   * window; byte by byte with a small window, which is as strict and
   * keeps the test quick. */
  const struct { gsize bound, chunk, tail; } cases[] = {
    { BOUND, 4096, 0 },
    { BOUND, 4093, 0 },
    { BOUND, 65536, 0 },
    { BOUND, 300000, 0 },
    { 256, 1, 2000 },
    { 256, 7, 2000 },
  };

  g_byte_array_append (stream, (const guint8 *) prompt, (guint) prompt_len);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gsize chunk = cases[c].chunk;
      gsize start = cases[c].tail > 0 ? stream->len - cases[c].tail : 0;
      gsize len = stream->len - start;

      /* Every split of the prompt across two reads (a few for big reads). */
      for (gsize split = 0; split <= prompt_len; split++)
        {
          g_autoptr(KwbConsoleWindow) window = kwb_console_window_new (cases[c].bound);
          /* The first read's length puts a boundary SPLIT bytes before
           * the prompt's end. */
          gsize first = (len - split) % chunk;
          gboolean found_early = FALSE;

          if (chunk >= 4096 && split != 1 && split != prompt_len / 2 && split != prompt_len - 1)
            continue;
          if (first == 0)
            first = chunk;
          feed (window, stream->data + start, len, first, chunk, prompt, &found_early);
          g_assert_false (found_early);
          g_assert_true (kwb_console_window_contains (window, prompt));
          g_assert_cmpuint (kwb_console_window_get_length (window), ==, MIN (cases[c].bound, len));
        }
    }
}

/* A read larger than the window keeps its end. */
static void
test_large_read (void)
{
  g_autoptr(KwbConsoleWindow) window = kwb_console_window_new (16);
  const guint8 *data;
  gsize len;

  kwb_console_window_append (window, "0123456789", 10);
  kwb_console_window_append (window, "abcdefghijklmnopqrstuvwxyz", 26);
  data = kwb_console_window_peek (window, &len);
  g_assert_cmpuint (len, ==, 16);
  g_assert_cmpmem (data, len, "klmnopqrstuvwxyz", 16);
  kwb_console_window_append (window, "01", 2);
  data = kwb_console_window_peek (window, &len);
  g_assert_cmpmem (data, len, "mnopqrstuvwxyz01", 16);
  g_assert_true (kwb_console_window_contains (window, "z01"));
  g_assert_false (kwb_console_window_contains (window, "klm"));
  kwb_console_window_clear (window);
  g_assert_cmpuint (kwb_console_window_get_length (window), ==, 0);
  g_assert_false (kwb_console_window_contains (window, "z"));
}

/* A NUL before the prompt does not hide it. */
static void
test_nul_bytes (void)
{
  g_autoptr(KwbConsoleWindow) window = kwb_console_window_new (BOUND);

  kwb_console_window_append (window, "boot\0junk\r\n", 11);
  kwb_console_window_append (window, "/ ", 2);
  kwb_console_window_append (window, "# ", 2);
  g_assert_true (kwb_console_window_contains (window, "/ # "));
}

static void
test_last_lines (void)
{
  static const char text[] = "one\r\ntwo\r\nthr\xff" "ee\r\n\r\n  \n";
  g_autoptr(KwbConsoleWindow) window = kwb_console_window_new (64);
  g_autofree char *all = NULL;
  g_autofree char *two = NULL;
  g_autofree char *bounded = NULL;

  kwb_console_window_append (window, text, sizeof text - 1);
  all = kwb_console_window_dup_last_lines (window, 10);
  g_assert_cmpstr (all, ==, "one\ntwo\nthr\xef\xbf\xbd" "ee");
  two = kwb_console_window_dup_last_lines (window, 2);
  g_assert_cmpstr (two, ==, "two\nthr\xef\xbf\xbd" "ee");

  /* Only the window's worth is left after a flood. */
  for (guint i = 0; i < 1000; i++)
    kwb_console_window_append (window, "line of output\n", 15);
  kwb_console_window_append (window, "last\n", 5);
  bounded = kwb_console_window_dup_last_lines (window, 100);
  g_assert_cmpuint (strlen (bounded), <=, 64);
  g_assert_true (g_str_has_suffix (bounded, "\nlast"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/console-window/bounded-and-prompt-found", test_bounded_and_prompt_found);
  g_test_add_func ("/console-window/large-read", test_large_read);
  g_test_add_func ("/console-window/nul-bytes", test_nul_bytes);
  g_test_add_func ("/console-window/last-lines", test_last_lines);
  return g_test_run ();
}
