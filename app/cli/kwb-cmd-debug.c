/* kwb-cmd-debug.c — kwb debug: a scripted debug session from the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   kwb debug PROJECT [--break LOC]… [--hbreak LOC]… [--watch EXPR]…
 *             [--continue N] [--exec CMD]… [--console-send TEXT]
 *             [--show KIND[:ARG]]… [--dump FILE] [--timeout S] [--json]
 *
 * Starts the guest frozen, sets the breakpoints, continues, and prints every
 * stop as "stopped: FUNC at FILE:LINE (reason)" with the source line. After
 * each stop the --exec commands run (GDB CLI commands, e.g. lx-dmesg); then
 * the guest continues while --continue allows. --show prints a kernel view
 * at each stop from the same core model the GUI uses; `log` prints the
 * printk records new since the previous stop, read from guest memory. --console-send types TEXT
 * into the serial console once the BusyBox shell is up. --watch sets a write
 * watchpoint before the guest runs (a debug register, like --hbreak); its
 * stops print as "watchpoint: EXPR OLD → NEW at FILE:LINE". Module symbols
 * load as modules load, so --break on a module's function not loaded yet
 * waits for it. When the guest crashes (debug.stop-on-crash) the stop is at
 * the faulting line and prints as "oops: FUNC at FILE:LINE" (or "BUG:",
 * "panic:", "warning:") with the kernel's headline; after its views and
 * --exec commands kwb ends the VM and exits 0. The VM always ends
 * with the command; it never outlives kwb (process group + PDEATHSIG).
 * --dump writes the guest's memory at the first stop (kwb-cli-dump.c).
 *
 * The exit status says whether the session did what was asked: 1 when a
 * requested breakpoint or watchpoint could not be set, when no stop came before --timeout,
 * or when the session failed (QEMU or GDB died, QEMU stopped answering).
 * --json lines are written with json-glib; bytes that are not UTF-8 (the
 * guest's console) come out as \udc80–\udcff, as in `kwb mi parse`.
 *
 * The session machinery here (kwb_cli_debug_run) also runs kwb record and
 * kwb replay (kwb-cmd-record.c), which differ in when they end and in what
 * --exec means.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "kwb-cli.h"
#include "kwb-cli-debug.h"
#include "kwb-cli-dump.h"
#include "kwb-cli-show.h"
#include "kwb-cli-trust.h"
#include "kwb-core.h"


static void finish (KwbCliDebug *debug, int status);

static char *
read_source_line (const char *path,
                  int         line)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (path == NULL || line < 1 || !g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", line + 1);
  if (g_strv_length (lines) < (guint) line)
    return NULL;
  return g_strdup (lines[line - 1]);
}

static void
print_stop (KwbCliDebug      *debug,
            const KwbGdbStop *stop)
{
  g_autofree char *local = kwb_session_map_source_path (debug->session, stop->fullname);
  g_autofree char *source = read_source_line (local, stop->line);

  if (debug->json)
    {
      g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("stopped");
      g_autofree char *addr = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", stop->addr);

      kwb_cli_json_add_text (b, "reason", stop->reason ? stop->reason : "", -1);
      kwb_cli_json_add_text (b, "func", stop->func ? stop->func : "", -1);
      kwb_cli_json_add_text (b, "file", local ? local : (stop->file ? stop->file : ""), -1);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, stop->line);
      kwb_cli_json_add_text (b, "addr", addr, -1);
      kwb_cli_json_add_text (b, "source", source ? source : "", -1);
      kwb_cli_json_print (b);
    }
  else
    {
      printf ("stopped: %s at %s:%d (%s)\n", stop->func ? stop->func : "??",
              local ? local : (stop->file ? stop->file : "??"), stop->line,
              stop->reason ? stop->reason : "?");
      if (source != NULL)
        printf ("%6d\t%s\n", stop->line, source);
    }
  fflush (stdout);
}

static void
print_watchpoint (KwbCliDebug      *debug,
                  const KwbGdbStop *stop)
{
  g_autofree char *local = kwb_session_map_source_path (debug->session, stop->fullname);
  g_autofree char *source = read_source_line (local, stop->line);
  const char *file = local ? local : (stop->file ? stop->file : "??");
  const char *expression = kwb_session_get_last_watch_expression (debug->session);
  gboolean scope = g_strcmp0 (stop->reason, "watchpoint-scope") == 0;
  const char *kind = scope ? "scope" : kwb_breakpoint_kind_to_string (KWB_BREAKPOINT_KIND_WATCH_WRITE +
                                                                     kwb_gdb_stop_get_watch_kind (stop));

  if (expression == NULL)
    expression = "?";
  if (debug->json)
    {
      g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("watchpoint");
      g_autofree char *addr = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", stop->addr);

      kwb_cli_json_add_int (b, "number", stop->watch_number);
      kwb_cli_json_add_text (b, "expression", expression, -1);
      kwb_cli_json_add_text (b, "kind", kind, -1);
      if (stop->value_old != NULL)
        kwb_cli_json_add_text (b, "old", stop->value_old, -1);
      if (stop->value_new != NULL)
        kwb_cli_json_add_text (b, "new", stop->value_new, -1);
      kwb_cli_json_add_text (b, "func", stop->func ? stop->func : "", -1);
      kwb_cli_json_add_text (b, "file", file, -1);
      kwb_cli_json_add_int (b, "line", stop->line);
      kwb_cli_json_add_text (b, "addr", addr, -1);
      kwb_cli_json_add_text (b, "source", source ? source : "", -1);
      kwb_cli_json_print (b);
    }
  else
    {
      if (scope)
        printf ("watchpoint: %s went out of scope at %s:%d\n", expression, file, stop->line);
      else if (stop->value_old != NULL)
        printf ("watchpoint: %s %s → %s at %s:%d%s%s%s\n", expression, stop->value_old,
                stop->value_new ? stop->value_new : "?", file, stop->line,
                g_str_equal (kind, "write") ? "" : " (", g_str_equal (kind, "write") ? "" : kind,
                g_str_equal (kind, "write") ? "" : ")");
      else
        printf ("watchpoint: %s = %s at %s:%d (%s)\n", expression, stop->value_new ? stop->value_new : "?",
                file, stop->line, kind);
      if (source != NULL)
        printf ("%6d\t%s\n", stop->line, source);
    }
  fflush (stdout);
}

static void
add_frames_json (JsonBuilder *b,
                 GListModel  *frames)
{
  json_builder_set_member_name (b, "frames");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
    {
      g_autoptr(KwbFrame) frame = g_list_model_get_item (frames, i);
      g_autofree char *addr = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", kwb_frame_get_address (frame));

      json_builder_begin_object (b);
      kwb_cli_json_add_text (b, "func", kwb_frame_get_function (frame), -1);
      kwb_cli_json_add_text (b, "file", kwb_frame_get_fullname (frame) ? kwb_frame_get_fullname (frame) : "", -1);
      kwb_cli_json_add_int (b, "line", kwb_frame_get_line (frame));
      kwb_cli_json_add_text (b, "addr", addr, -1);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* "oops: FUNC at FILE:LINE", the kernel's headline, the source line. */
static void
print_crash (KwbCliDebug      *debug,
             const KwbGdbStop *stop,
             KwbCrash         *crash)
{
  g_autofree char *local = kwb_session_map_source_path (debug->session, stop->fullname);
  g_autofree char *source = read_source_line (local, stop->line);
  const char *file = local ? local : (stop->file ? stop->file : "??");
  const char *kind = kwb_crash_kind_to_string (kwb_crash_get_kind (crash));

  if (debug->json)
    {
      g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("crash");

      kwb_cli_json_add_text (b, "kind", kind, -1);
      kwb_cli_json_add_text (b, "title", kwb_crash_get_title (crash), -1);
      kwb_cli_json_add_text (b, "func", stop->func ? stop->func : "", -1);
      kwb_cli_json_add_text (b, "file", file, -1);
      kwb_cli_json_add_int (b, "line", stop->line);
      kwb_cli_json_add_text (b, "source", source ? source : "", -1);
      kwb_cli_json_add_text (b, "text", kwb_crash_get_text (crash), -1);
      add_frames_json (b, kwb_crash_get_frames (crash));
      kwb_cli_json_print (b);
    }
  else
    {
      printf ("%s: %s at %s:%d\n", kind, stop->func ? stop->func : "??", file, stop->line);
      printf ("  %s\n", kwb_crash_get_title (crash));
      if (source != NULL)
        printf ("%6d\t%s\n", stop->line, source);
    }
  fflush (stdout);
}

static gboolean
quit_idle (gpointer user_data)
{
  KwbCliDebug *debug = user_data;

  g_main_loop_quit (debug->loop);
  return G_SOURCE_REMOVE;
}

/* After the session's own message that the index is written (its task
 * returns before this idle runs). */
static void
on_index_writing (KwbGdbIndex *index,
                  GParamSpec  *pspec,
                  KwbCliDebug *debug)
{
  if (!kwb_gdb_index_get_writing (index))
    g_idle_add (quit_idle, debug);
}

/* The session has ended, and the recording with it (KwbReplay wrote its end). */
static void
report_recording (KwbCliDebug  *debug,
                  const GError *error)
{
  KwbRecording *recording = kwb_replay_get_recording (debug->replay);
  gint64 icount = kwb_recording_get_icount (recording);
  g_autofree char *size = NULL;

  if (error != NULL)
    {
      fprintf (stderr, "kwb: %s\n", error->message);
      debug->status = KWB_EXIT_FAILED;
      return;
    }
  size = g_format_size (kwb_recording_get_size (recording));
  if (debug->json)
    {
      g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("recorded");

      kwb_cli_json_add_text (b, "dir", kwb_recording_get_dir (recording), -1);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, kwb_recording_get_seconds (recording));
      kwb_cli_json_add_int (b, "icount", icount);
      json_builder_set_member_name (b, "bytes");
      json_builder_add_int_value (b, (gint64) kwb_recording_get_size (recording));
      kwb_cli_json_print (b);
    }
  else
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, icount);

      printf (_("recorded: %.1f s, %s instructions, %s in %s\n"), kwb_recording_get_seconds (recording), count,
              size, kwb_recording_get_dir (recording));
    }
  fflush (stdout);
}

static void
session_ended (KwbCliDebug *debug)
{
  KwbGdbIndex *index = kwb_session_get_gdb_index (debug->session);

  /* A first session with this vmlinux: leaving now would throw away the
   * index that makes the next one start faster. */
  if (index != NULL && kwb_gdb_index_get_writing (index))
    {
      fprintf (stderr, "%s\n", _("kwb: finishing GDB’s index of this vmlinux for the next sessions "
                                 "(Ctrl+C leaves it for the next time)…"));
      debug->waiting_index = TRUE;
      g_signal_connect (index, "notify::writing", G_CALLBACK (on_index_writing), debug);
      return;
    }
  g_main_loop_quit (debug->loop);
}

static void
stop_session_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  KwbCliDebug *debug = user_data;

  kwb_session_stop_finish (KWB_SESSION (object), result, NULL);
  session_ended (debug);
}

static void
stop_recording_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KwbCliDebug *debug = user_data;
  g_autoptr(GError) error = NULL;

  kwb_replay_stop_finish (KWB_REPLAY (object), result, &error);
  report_recording (debug, error);
  session_ended (debug);
}

static void
finish (KwbCliDebug *debug,
        int          status)
{
  if (debug->finishing)
    return;
  debug->finishing = TRUE;
  debug->status = status;
  g_clear_handle_id (&debug->timeout_id, g_source_remove);
  if (debug->mode == KWB_CLI_DEBUG_RECORD)
    kwb_replay_stop_async (debug->replay, NULL, stop_recording_cb, debug);
  else
    kwb_session_stop_async (debug->session, NULL, stop_session_cb, debug);
}

static void
continue_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  KwbCliDebug *debug = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_exec_finish (KWB_SESSION (object), result, &error))
    {
      fprintf (stderr, "kwb: %s\n", error->message);
      finish (debug, KWB_EXIT_FAILED);
    }
}

static void
after_stop (KwbCliDebug *debug)
{
  /* A crashed kernel is looked at, not run on: the stop was the answer. */
  if (kwb_session_get_crash (debug->session) != NULL)
    finish (debug, debug->status);
  else if (debug->continues_left > 0)
    {
      debug->continues_left--;
      kwb_session_exec_async (debug->session, KWB_GDB_EXEC_CONTINUE, NULL, continue_cb, debug);
    }
  else
    finish (debug, debug->status);
}

/* What a GDB command printed (--exec). */
static void
print_exec_output (KwbCliDebug *debug,
                   const char  *out)
{
  if (debug->json)
    {
      g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("exec");

      kwb_cli_json_add_text (b, "output", out, -1);
      kwb_cli_json_print (b);
    }
  else
    fputs (out, stdout);
  fflush (stdout);
}

static void
exec_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  KwbCliDebug *debug = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, &error);

  if (out == NULL)
    {
      fprintf (stderr, "kwb: %s\n", error->message);
      debug->status = KWB_EXIT_FAILED;
    }
  else
    print_exec_output (debug, out);

  if (--debug->pending_exec == 0 && !debug->finishing)
    after_stop (debug);
}

/* The --exec commands of this stop, after the views: their output comes
 * in the order the options say, whatever each takes. */
static void run_script (KwbCliDebug *debug);

static void
run_exec (KwbCliDebug *debug)
{
  if (debug->mode == KWB_CLI_DEBUG_REPLAY)
    {
      run_script (debug);
      return;
    }
  for (guint i = 0; debug->exec != NULL && debug->exec[i] != NULL; i++)
    {
      debug->pending_exec++;
      kwb_session_console_async (debug->session, debug->exec[i], NULL, exec_cb, debug);
    }
  if (debug->pending_exec == 0 && !debug->finishing)
    after_stop (debug);
}

/* ---- kwb replay's --exec: a script, one command after the other ---- */

static void
script_exec_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  KwbCliDebug *debug = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_exec_finish (KWB_SESSION (object), result, &error))
    {
      fprintf (stderr, "kwb: %s: %s\n", debug->timing, error->message);
      debug->timing = NULL;
      finish (debug, KWB_EXIT_FAILED);
    }
}

static void
script_next_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  KwbCliDebug *debug = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  if (g_async_result_is_tagged (result, kwb_session_watch_async))
    {
      g_autoptr(KwbBreakpoint) bp = kwb_session_watch_finish (KWB_SESSION (object), result, &error);

      if (bp != NULL && !debug->json)
        printf ("watchpoint %s: %s\n", kwb_breakpoint_get_number (bp), kwb_breakpoint_get_location (bp));
    }
  else if ((out = kwb_session_console_finish (KWB_SESSION (object), result, &error)) != NULL)
    print_exec_output (debug, out);
  fflush (stdout);
  if (error != NULL)
    {
      fprintf (stderr, "kwb: %s\n", error->message);
      finish (debug, KWB_EXIT_FAILED);
      return;
    }
  run_script (debug);
}

/* Run-control commands (continue, reverse-next…) resume the replay: the
 * next command runs at the stop they make, printed with the time it took.
 * "watch EXPR" sets a write watchpoint; anything else is a GDB command. */
static void
run_script (KwbCliDebug *debug)
{
  const char *command;
  KwbGdbExec what;

  if (debug->finishing)
    return;
  if (debug->exec == NULL || (command = debug->exec[debug->next_script]) == NULL)
    {
      finish (debug, debug->status);
      return;
    }
  debug->next_script++;
  if (kwb_gdb_exec_from_string (command, &what) && what != KWB_GDB_EXEC_INTERRUPT && what != KWB_GDB_EXEC_RUN)
    {
      debug->timing = command;
      debug->timing_what = what;
      debug->timing_us = g_get_monotonic_time ();
      kwb_session_exec_async (debug->session, what, NULL, script_exec_cb, debug);
    }
  else if (g_str_has_prefix (command, "watch "))
    {
      g_autofree char *expression = g_strstrip (g_strdup (command + strlen ("watch ")));

      kwb_session_watch_async (debug->session, expression, KWB_GDB_WATCH_WRITE, NULL, script_next_cb, debug);
    }
  else
    kwb_session_console_async (debug->session, command, NULL, script_next_cb, debug);
}

/* A step back replays from an earlier snapshot and can take a while: say
 * where the replay is (KwbReplay asks QEMU every second), on stderr. */
static void
on_replay_progress (KwbReplay   *replay,
                    GParamSpec  *pspec,
                    KwbCliDebug *debug)
{
  gint64 progress = kwb_replay_get_progress (replay);
  g_autofree char *at = NULL;

  if (debug->timing == NULL || !kwb_gdb_exec_is_reverse (debug->timing_what) || progress < 0)
    return;
  at = g_strdup_printf ("%" G_GINT64_FORMAT, progress);
  fprintf (stderr, _("kwb: %s: replaying from a snapshot, at instruction %s\n"), debug->timing, at);
}

/* After a stop made by a script command: how long it took. */
static void
print_timing (KwbCliDebug *debug)
{
  const char *command = debug->timing;
  double seconds;

  if (command == NULL)
    return;
  debug->timing = NULL;
  seconds = (g_get_monotonic_time () - debug->timing_us) / (double) G_USEC_PER_SEC;
  if (debug->json)
    {
      g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("timing");

      kwb_cli_json_add_text (b, "command", command, -1);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, seconds);
      kwb_cli_json_print (b);
    }
  else
    printf ("%s took %.3f s\n", command, seconds);
  fflush (stdout);
}

static void show_next (KwbCliDebug *debug);

static void
show_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  KwbCliDebug *debug = user_data;
  KwbCliShow *show = g_ptr_array_index (debug->shows, debug->next_show);
  g_autoptr(GError) error = NULL;

  if (!kwb_cli_show_print_finish (show, result, &error))
    {
      fprintf (stderr, "kwb: --show %s: %s\n", (char *) debug->show_specs[debug->next_show], error->message);
      debug->status = KWB_EXIT_FAILED;
    }
  debug->next_show++;
  show_next (debug);
}

/* The views one after the other, so their output keeps the options' order. */
static void
show_next (KwbCliDebug *debug)
{
  if (debug->finishing)
    return;
  if (debug->next_show < debug->shows->len)
    kwb_cli_show_print_async (g_ptr_array_index (debug->shows, debug->next_show), debug->json,
                              NULL, show_cb, debug);
  else
    run_exec (debug);
}

static void
dump_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  KwbCliDebug *debug = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_cli_dump_finish (result, &error))
    {
      fprintf (stderr, "kwb: --dump: %s\n", error->message);
      debug->status = KWB_EXIT_FAILED;
    }
  show_next (debug);
}

static void
on_stopped (KwbSession  *session,
            KwbGdbStop  *stop,
            KwbCliDebug *debug)
{
  debug->n_stops++;
  if (kwb_session_get_crash (session) != NULL)
    print_crash (debug, stop, kwb_session_get_crash (session));
  else if (kwb_gdb_stop_is_watchpoint (stop))
    print_watchpoint (debug, stop);
  else
    print_stop (debug, stop);
  print_timing (debug);
  debug->next_show = 0;
  if (debug->dump_path != NULL)
    {
      g_autofree char *path = g_steal_pointer (&debug->dump_path);

      kwb_cli_dump_async (session, path, debug->json, dump_cb, debug);
      return;
    }
  show_next (debug);
}

static void
on_state_changed (KwbSession  *session,
                  int          old_state,
                  int          new_state,
                  KwbCliDebug *debug)
{
  if (new_state == KWB_SESSION_STATE_FAILED)
    {
      fprintf (stderr, "kwb: %s\n", kwb_session_get_failure_reason (session));
      debug->status = KWB_EXIT_FAILED;
      g_main_loop_quit (debug->loop);
    }
}

static void
on_log (KwbSession  *session,
        const char  *message,
        KwbCliDebug *debug)
{
  fprintf (stderr, "kwb: %s\n", message);
}

/* Types --console-send once BusyBox's shell is there: its prompt, or,
 * after askfirst's "Please press Enter" line, Enter first and then the
 * prompt. Typed before the shell has set up its terminal, the text would
 * partly go to askfirst and partly be flushed. */
static void
on_console_output (KwbQemu     *qemu,
                   GBytes      *bytes,
                   KwbCliDebug *debug)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  /* Going backwards, QEMU replays the run again from an earlier snapshot:
   * the guest prints that stretch a second time, which is no news. */
  if (debug->timing != NULL && kwb_gdb_exec_is_reverse (debug->timing_what))
    return;
  if (debug->json)
    {
      g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("console");

      kwb_cli_json_add_text (b, "text", data, (gssize) len);
      kwb_cli_json_print (b);
    }
  else
    fwrite (data, 1, len, stderr);

  if (debug->console_send == NULL || debug->console_sent)
    return;
  kwb_console_window_append (debug->console, data, len);
  if (!debug->console_entered && kwb_console_window_contains (debug->console, "Please press Enter"))
    {
      debug->console_entered = TRUE;
      kwb_console_window_clear (debug->console);
      kwb_qemu_console_write (qemu, "\r", 1, NULL);
      return;
    }
  if (kwb_console_window_contains (debug->console, "/ # "))
    {
      g_autofree char *text = g_strcompress (debug->console_send);

      debug->console_sent = TRUE;
      kwb_qemu_console_write (qemu, text, -1, NULL);
      if (!g_str_has_suffix (text, "\n"))
        kwb_qemu_console_write (qemu, "\r", 1, NULL);
    }
}

static gboolean
on_timeout (gpointer user_data)
{
  KwbCliDebug *debug = user_data;

  debug->timeout_id = 0;
  if (debug->mode == KWB_CLI_DEBUG_RECORD)
    {
      finish (debug, debug->status);
      return G_SOURCE_REMOVE;
    }
  if (debug->n_stops == 0)
    {
      GListModel *breakpoints = G_LIST_MODEL (kwb_session_get_breakpoints (debug->session));

      for (guint i = 0; i < g_list_model_get_n_items (breakpoints); i++)
        {
          g_autoptr(KwbBreakpoint) bp = g_list_model_get_item (breakpoints, i);

          if (kwb_breakpoint_get_pending (bp))
            fprintf (stderr, _("kwb: the breakpoint at %s is still pending: no module loaded so far defines it\n"),
                     kwb_breakpoint_get_location (bp));
        }
      /* Nothing was debugged: a breakpoint that is never hit usually means
       * a vmlinux that is not this kernel's. */
      fprintf (stderr, _("kwb: no stop within %d s: no breakpoint was hit (is the vmlinux the one "
                         "this kernel image was built from?)\n"), debug->timeout);
      finish (debug, KWB_EXIT_FAILED);
      return G_SOURCE_REMOVE;
    }
  fprintf (stderr, "%s\n", _("kwb: --timeout reached; stopping the guest"));
  finish (debug, debug->status);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer user_data)
{
  KwbCliDebug *debug = user_data;

  /* The debugging is over: only the index's writer goes (with the session). */
  if (debug->waiting_index)
    g_main_loop_quit (debug->loop);
  else
    finish (debug, KWB_EXIT_FAILED);
  return G_SOURCE_CONTINUE;
}

static void
start_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  KwbCliDebug *debug = user_data;
  g_autoptr(GError) error = NULL;
  guint n_set;

  if (!kwb_session_start_finish (KWB_SESSION (object), result, &error))
    {
      if (kwb_session_get_state (debug->session) != KWB_SESSION_STATE_FAILED)
        {
          fprintf (stderr, "kwb: %s\n", error->message);
          debug->status = KWB_EXIT_FAILED;
          g_main_loop_quit (debug->loop);
        }
      return;
    }
  /* Each breakpoint that could not be set was logged with GDB's reason; the
   * session goes on with the others, but kwb debug did not do what was asked.
   * (The module loader's breakpoints are not listed: every one here is a
   * requested one; a pending one counts as set.) */
  n_set = g_list_model_get_n_items (G_LIST_MODEL (kwb_session_get_breakpoints (debug->session)));
  if (n_set < debug->n_requested_breaks)
    {
      fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                    "kwb: %u requested breakpoint or watchpoint could not be set (see above); "
                                    "the exit status will be 1\n",
                                    "kwb: %u requested breakpoints or watchpoints could not be set (see above); "
                                    "the exit status will be 1\n",
                                    debug->n_requested_breaks - n_set),
               debug->n_requested_breaks - n_set);
      debug->status = KWB_EXIT_FAILED;
    }
  g_signal_connect (kwb_session_get_qemu (debug->session), "console-output",
                    G_CALLBACK (on_console_output), debug);
  /* A recording runs from the first instruction: the guest, frozen for
   * GDB to attach, is let go at once. */
  if (debug->mode == KWB_CLI_DEBUG_RECORD)
    {
      if (kwb_session_get_state (debug->session) == KWB_SESSION_STATE_STOPPED)
        kwb_session_exec_async (debug->session, KWB_GDB_EXEC_CONTINUE, NULL, continue_cb, debug);
      debug->timeout_id = g_timeout_add_seconds (debug->timeout, on_timeout, debug);
    }
  if (kwb_qemu_get_tcp_port (kwb_session_get_qemu (debug->session)) != 0)
    fprintf (stderr, _("kwb: GDB stub also on 127.0.0.1:%u (loopback only): target remote 127.0.0.1:%u\n"),
             kwb_qemu_get_tcp_port (kwb_session_get_qemu (debug->session)),
             kwb_qemu_get_tcp_port (kwb_session_get_qemu (debug->session)));
}

/* The classic boot failures (as kwb boot says them), with what to do. */
static void
on_diagnosed (KwbConsoleDiagnosis *diagnosis,
              KwbConsoleProblem    problem,
              const char          *title,
              const char          *advice,
              KwbCliDebug         *debug)
{
  if (debug->json)
    {
      g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("diagnosis");

      kwb_cli_json_add_text (b, "problem", kwb_console_problem_to_string (problem), -1);
      kwb_cli_json_add_text (b, "title", title, -1);
      kwb_cli_json_add_text (b, "advice", advice, -1);
      kwb_cli_json_print (b);
    }
  else
    fprintf (stderr, "\nkwb: diagnosis: %s — %s\n", title, advice);
}

static void
watch_diagnosis (KwbCliDebug *debug)
{
  KwbConsoleDiagnosis *diagnosis = kwb_console_diagnosis_new ();

  g_object_set_data_full (G_OBJECT (debug->session), "kwb-console-diagnosis", diagnosis, g_object_unref);
  g_signal_connect (diagnosis, "diagnosed", G_CALLBACK (on_diagnosed), debug);
  kwb_console_diagnosis_follow_session (diagnosis, debug->session);
}

int
kwb_cmd_debug (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbSessionConfig) config = NULL;
  g_autoptr(KwbSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) breaks = NULL;
  g_auto(GStrv) hbreaks = NULL;
  g_auto(GStrv) watches = NULL;
  g_auto(GStrv) exec = NULL;
  g_auto(GStrv) show = NULL;
  g_autoptr(GPtrArray) shows = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_cli_show_free);
  g_autofree char *show_help = NULL;
  g_autofree char *kinds = kwb_cli_show_dup_kinds ();
  g_auto(GStrv) project_breaks = NULL;
  g_autofree char *start_function = NULL;
  g_autofree char *console_send = NULL;
  int continues = 0;
  int timeout = 0;
  gboolean json = FALSE;
  gboolean tcp = FALSE;
  gboolean trust = FALSE;
  g_autofree char *dump = NULL;
  KwbCliDebug debug = { 0 };
  int status;
  GOptionEntry entries[] = {
    { "break", 'b', 0, G_OPTION_ARG_STRING_ARRAY, &breaks,
      N_("Set a breakpoint (function, FILE:LINE, *ADDRESS); repeatable. Default: the project's start function"), N_("LOCATION") },
    { "hbreak", 0, 0, G_OPTION_ARG_STRING_ARRAY, &hbreaks,
      N_("Set a hardware breakpoint (one of the 4 debug registers); repeatable"), N_("LOCATION") },
    { "watch", 'w', 0, G_OPTION_ARG_STRING_ARRAY, &watches,
      N_("Stop when EXPRESSION (a variable, a member, *POINTER) is written; repeatable. "
         "Set before the kernel runs: the first old value may be <unreadable>"), N_("EXPRESSION") },
    { "continue", 'c', 0, G_OPTION_ARG_INT, &continues,
      N_("Continue N times after the first stop (default 0: quit at the first stop)"), "N" },
    { "exec", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &exec,
      N_("Run a GDB command at each stop and print its output; repeatable"), N_("COMMAND") },
    { "console-send", 's', 0, G_OPTION_ARG_STRING, &console_send,
      N_("Type TEXT into the serial console once the shell is up (\\n for Enter)"), N_("TEXT") },
    { "show", 0, 0, G_OPTION_ARG_STRING_ARRAY, &show,
      NULL /* set below: it names the kinds */, N_("KIND[:ARG]") },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout,
      N_("End the session after S seconds whatever happens (default 300)"), "S" },
    { "dump", 0, 0, G_OPTION_ARG_FILENAME, &dump,
      N_("At the first stop, write the guest's memory to FILE as an ELF core (for crash and drgn) "
         "and vmlinux's build-id to FILE.build-id, before --show and --exec"), N_("FILE") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print stops and output as JSON lines"), NULL },
    { "expose-tcp", 0, 0, G_OPTION_ARG_NONE, &tcp,
      N_("Also offer the GDB stub on 127.0.0.1 (a free port) for an external GDB"), NULL },
    { NULL }
  };

  show_help = g_strdup_printf (_("Print a kernel view at each stop; repeatable. KIND: %s"), kinds);
  for (GOptionEntry *e = entries; e->long_name != NULL; e++)
    if (g_str_equal (e->long_name, "show"))
      e->description = show_help;
  context = g_option_context_new (_("PROJECT — debug the project's kernel"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  kwb_cli_add_trust_option (context, &trust);
  g_option_context_set_summary (context,
    _("Boots the kernel frozen under QEMU, attaches GDB (stub on a private unix socket),\n"
      "sets the breakpoints, continues and prints each stop with its source line.\n"
      "Module symbols load as modules load; a crash stops at the faulting line.\n"
      "With no options: break at start_kernel, print the stop, end the VM."));
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("debug takes one project folder"));
  if (dump != NULL && dump[0] == '\0')
    return kwb_cli_usage_error (context, _("--dump takes a file name, e.g. --dump vmcore"));
  if (continues < 0 || timeout < 0)
    return kwb_cli_usage_error (context, _("--continue and --timeout take numbers ≥ 0"));
  for (guint i = 0; watches != NULL && watches[i] != NULL; i++)
    if (g_strstrip (watches[i])[0] == '\0')
      return kwb_cli_usage_error (context, _("--watch takes an expression, e.g. --watch jiffies"));
  for (guint i = 0; hbreaks != NULL && hbreaks[i] != NULL; i++)
    if (g_strstrip (hbreaks[i])[0] == '\0')
      return kwb_cli_usage_error (context, _("--hbreak takes a location, e.g. --hbreak start_kernel"));
  for (guint i = 0; show != NULL && show[i] != NULL; i++)
    {
      KwbCliShow *one = kwb_cli_show_new (show[i], &error);

      if (one == NULL)
        return kwb_cli_usage_error (context, "%s", error->message);
      g_ptr_array_add (shows, one);
    }

  if ((project = kwb_project_load (argv[1], &error)) == NULL)
    return kwb_cli_fail (error);
  if ((status = kwb_cli_check_trust (project, trust)) != KWB_EXIT_OK)
    return status;
  if (tcp)
    kwb_project_set_boolean (project, "qemu", "expose-tcp", TRUE);
  if (breaks != NULL || hbreaks != NULL || watches != NULL)
    kwb_project_set_boolean (project, "debug", "break-at-start", FALSE);
  if ((config = kwb_session_config_new_for_project (project, &error)) == NULL)
    return kwb_cli_fail (error);

  /* What the session will try to set: the start function (unless --break),
   * the project's saved breakpoints, then --break. */
  project_breaks = kwb_project_dup_string_list (project, "debug", "breakpoints");
  start_function = kwb_project_dup_string (project, "debug", "start-function");
  debug.n_requested_breaks = g_strv_length (project_breaks) + (breaks ? g_strv_length (breaks) : 0) +
                             (hbreaks ? g_strv_length (hbreaks) : 0) + (watches ? g_strv_length (watches) : 0);
  if (kwb_project_get_boolean (project, "debug", "break-at-start") && start_function && *start_function)
    debug.n_requested_breaks++;

  session = kwb_session_new (config);
  debug.modules = kwb_modules_new (session);
  for (guint i = 0; breaks != NULL && breaks[i] != NULL; i++)
    kwb_session_add_initial_breakpoint (session, breaks[i]);
  for (guint i = 0; hbreaks != NULL && hbreaks[i] != NULL; i++)
    kwb_session_add_initial_hardware_breakpoint (session, hbreaks[i]);
  for (guint i = 0; watches != NULL && watches[i] != NULL; i++)
    kwb_session_add_initial_watchpoint (session, watches[i], KWB_GDB_WATCH_WRITE);

  debug.mode = KWB_CLI_DEBUG_LIVE;
  debug.exec = exec;
  debug.shows = shows;
  debug.show_specs = show;
  debug.json = json;
  debug.continues_left = continues;
  debug.console_send = console_send;
  debug.timeout = timeout;
  if (dump != NULL)
    debug.dump_path = g_canonicalize_filename (dump, NULL);
  return kwb_cli_debug_run (&debug, session);
}

int
kwb_cli_debug_run (KwbCliDebug *debug,
                   KwbSession  *session)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint sigint, sigterm;

  debug->loop = loop;
  debug->session = session;
  if (debug->recording != NULL)
    {
      debug->replay = kwb_replay_new (session, debug->recording);
      g_signal_connect (debug->replay, "notify::progress", G_CALLBACK (on_replay_progress), debug);
    }
  for (guint i = 0; debug->shows != NULL && i < debug->shows->len; i++)
    kwb_cli_show_attach (g_ptr_array_index (debug->shows, i), session);
  debug->console = kwb_console_window_new (KWB_CONSOLE_WINDOW_DEFAULT_BYTES);
  debug->status = KWB_EXIT_OK;
  if (debug->timeout <= 0)
    debug->timeout = 300;

  g_signal_connect (session, "stopped", G_CALLBACK (on_stopped), debug);
  g_signal_connect (session, "state-changed", G_CALLBACK (on_state_changed), debug);
  g_signal_connect (session, "log", G_CALLBACK (on_log), debug);
  watch_diagnosis (debug);
  sigint = g_unix_signal_add (SIGINT, on_signal, debug);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, debug);
  /* A recording's length counts from the guest's start (in start_cb):
   * attaching GDB can take long on a loaded machine. */
  if (debug->mode != KWB_CLI_DEBUG_RECORD)
    debug->timeout_id = g_timeout_add_seconds (debug->timeout, on_timeout, debug);

  kwb_session_start_async (session, NULL, start_cb, debug);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_clear_handle_id (&debug->timeout_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (session, debug);
  g_clear_pointer (&debug->dump_path, g_free);
  kwb_console_window_free (debug->console);
  g_clear_object (&debug->modules);
  g_clear_object (&debug->replay);
  return debug->status;
}
