/* test-gdb.c — KwbGdb driving the real GDB on a program compiled here
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs gcc and gdb (skips, saying so, when either is missing). Every wait
 * runs the main loop under a guard timeout that fails the test instead of
 * hanging; no assertion is about time.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

#define GUARD_SECONDS 120

static const char program_source[] =
  "/* test program */\n"
  "static int\n"
  "compute (int a)\n"
  "{\n"
  "  int local = a * 3; /* LINE_LOCAL */\n"
  "  local += 1; /* LINE_NEXT */\n"
  "  return local;\n"
  "}\n"
  "\n"
  "int\n"
  "main (void)\n"
  "{\n"
  "  int r = compute (14); /* LINE_MAIN */\n"
  "  return r == 43 ? 0 : 1;\n"
  "}\n";

typedef struct {
  KwbGdb       *gdb;
  char         *dir;
  char         *source;
  char         *program;
  GAsyncResult *result;
  GAsyncResult *second;      /* a second pending command */
  GPtrArray    *stops;       /* KwbGdbStop */
  GPtrArray    *created;     /* KwbMiRecord */
  GString      *console;
  GString      *other;       /* stdout lines that are not MI */
  int           exit_status;
  gboolean      exited;
  guint         n_running;
} Fixture;

static int
line_of (const char *marker)
{
  const char *at = strstr (program_source, marker);
  int line = 1;

  g_assert_nonnull (at);
  for (const char *p = program_source; p < at; p++)
    if (*p == '\n')
      line++;
  return line;
}

static gboolean
guard_cb (gpointer user_data)
{
  g_error ("%s: nothing happened within %d s: the GDB driver hangs", (const char *) user_data, GUARD_SECONDS);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *DONE, or fails the test. */
static void
run_until (gboolean   *done,
           const char *what)
{
  guint guard = g_timeout_add_seconds (GUARD_SECONDS, guard_cb, (gpointer) what);

  while (!*done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
}

static void
second_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->second);
  f->second = g_object_ref (result);
}

static GAsyncResult *
wait_result (Fixture    *f,
             const char *what)
{
  GAsyncResult *result;
  guint guard = g_timeout_add_seconds (GUARD_SECONDS, guard_cb, (gpointer) what);

  while (f->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
  result = f->result;
  f->result = NULL;
  return result;
}

static KwbMiRecord *
finish_ok (Fixture    *f,
           const char *what)
{
  g_autoptr(GAsyncResult) result = wait_result (f, what);
  g_autoptr(GError) error = NULL;
  KwbMiRecord *record = kwb_gdb_command_finish (f->gdb, result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static KwbGdbStop *
wait_stop (Fixture    *f,
           guint       n_stops,
           const char *what)
{
  gboolean done = FALSE;
  guint guard = g_timeout_add_seconds (GUARD_SECONDS, guard_cb, (gpointer) what);

  while (!done)
    {
      g_main_context_iteration (NULL, TRUE);
      done = f->stops->len >= n_stops;
    }
  g_source_remove (guard);
  return g_ptr_array_index (f->stops, n_stops - 1);
}

static void
stopped_cb (KwbGdb     *gdb,
            KwbGdbStop *stop,
            Fixture    *f)
{
  g_ptr_array_add (f->stops, kwb_gdb_stop_copy (stop));
}

static void
running_cb (KwbGdb     *gdb,
            const char *thread_id,
            Fixture    *f)
{
  g_assert_nonnull (thread_id);
  f->n_running++;
}

static void
created_cb (KwbGdb      *gdb,
            KwbMiRecord *record,
            Fixture     *f)
{
  g_ptr_array_add (f->created, kwb_mi_record_ref (record));
}

static void
stream_cb (KwbGdb     *gdb,
           guint       kind,
           const char *text,
           Fixture    *f)
{
  if (kind == KWB_GDB_STREAM_CONSOLE)
    g_string_append (f->console, text);
  else if (kind == KWB_GDB_STREAM_OTHER)
    g_string_append (f->other, text);
}

static void
exited_cb (KwbGdb  *gdb,
           int      status,
           Fixture *f)
{
  g_assert_false (f->exited);
  f->exited = TRUE;
  f->exit_status = status;
}

static gboolean
have_tools (void)
{
  g_autofree char *gcc = g_find_program_in_path ("gcc");
  g_autofree char *gdb = g_find_program_in_path ("gdb");

  if (gcc == NULL || gdb == NULL)
    {
      g_test_skip (gcc == NULL ? "gcc is not installed (apt-get install gcc)"
                               : "gdb is not installed (apt-get install gdb)");
      return FALSE;
    }
  return TRUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char * const extra[] = { "-iex", "set confirm off", NULL };
  int status = -1;

  memset (f, 0, sizeof *f);
  if (!have_tools ())
    return;

  tmp = g_dir_make_tmp ("kwb-gdb-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder name that needs every kind of MI quoting. */
  f->dir = g_build_filename (tmp, "with space, \"quote\", back\\slash, ünïcødé", NULL);
  g_assert_cmpint (g_mkdir (f->dir, 0700), ==, 0);
  f->source = g_build_filename (f->dir, "test prog.c", NULL);
  f->program = g_build_filename (f->dir, "test prog", NULL);
  g_file_set_contents (f->source, program_source, -1, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { "gcc", "-g", "-O0", "-o", f->program, f->source, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("gcc failed: %s", err);
  }

  f->stops = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_gdb_stop_free);
  f->created = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_mi_record_unref);
  f->console = g_string_new (NULL);
  f->other = g_string_new (NULL);
  f->gdb = kwb_gdb_new (NULL, extra);
  g_signal_connect (f->gdb, "stopped", G_CALLBACK (stopped_cb), f);
  g_signal_connect (f->gdb, "running", G_CALLBACK (running_cb), f);
  g_signal_connect (f->gdb, "breakpoint-created", G_CALLBACK (created_cb), f);
  g_signal_connect (f->gdb, "stream", G_CALLBACK (stream_cb), f);
  g_signal_connect (f->gdb, "exited", G_CALLBACK (exited_cb), f);
  kwb_gdb_start (f->gdb, &error);
  g_assert_no_error (error);
  g_assert_true (kwb_gdb_get_running (f->gdb));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->gdb != NULL)
    {
      gboolean was_running = kwb_gdb_get_running (f->gdb);

      kwb_gdb_kill (f->gdb);
      if (was_running)
        run_until (&f->exited, "exit after kill");
      g_clear_object (&f->gdb);
    }
  if (f->dir != NULL)
    {
      g_autofree char *tmp = g_path_get_dirname (f->dir);

      remove_tree (tmp);
    }
  g_free (f->dir);
  g_free (f->source);
  g_free (f->program);
  g_clear_pointer (&f->stops, g_ptr_array_unref);
  g_clear_pointer (&f->created, g_ptr_array_unref);
  if (f->console != NULL)
    g_string_free (f->console, TRUE);
  if (f->other != NULL)
    g_string_free (f->other, TRUE);
}

static void
test_debug_session (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KwbMiRecord) loaded = NULL;
  g_autoptr(KwbMiRecord) bkpt = NULL;
  g_autoptr(KwbMiRecord) by_path = NULL;
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GPtrArray) registers = NULL;
  g_autoptr(GPtrArray) instructions = NULL;
  guint64 rip = 0;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *console = NULL;
  g_autofree char *value = NULL;
  KwbGdbStop *stop;
  gboolean found_local = FALSE;
  gboolean found_argument = FALSE;

  if (f->gdb == NULL)
    return;

  /* A path needing quotes, backslashes and UTF-8 survives MI quoting. */
  kwb_gdb_file_load_async (f->gdb, f->program, NULL, result_cb, f);
  loaded = finish_ok (f, "file load");
  g_assert_true (kwb_mi_record_is_class (loaded, "done"));

  kwb_gdb_break_insert_async (f->gdb, "compute", KWB_GDB_BREAK_NONE, NULL, NULL, result_cb, f);
  bkpt = finish_ok (f, "break compute");
  g_assert_cmpstr (kwb_mi_record_get_string (bkpt, "bkpt.func"), ==, "compute");
  g_assert_cmpint (kwb_mi_record_get_int (bkpt, "bkpt.line", -1), ==, line_of ("LINE_LOCAL"));
  g_assert_cmpstr (kwb_mi_record_get_string (bkpt, "bkpt.fullname"), ==, f->source);

  /* A full path (spaces, comma, quotes, backslash, UTF-8) and a line. */
  kwb_gdb_break_insert_line_async (f->gdb, f->source, (guint) line_of ("LINE_MAIN"),
                                   KWB_GDB_BREAK_TEMPORARY, NULL, NULL, result_cb, f);
  by_path = finish_ok (f, "break at a path");
  g_assert_cmpint (kwb_mi_record_get_int (by_path, "bkpt.line", -1), ==, line_of ("LINE_MAIN"));
  g_assert_cmpstr (kwb_mi_record_get_string (by_path, "bkpt.disp"), ==, "del");

  /* A CLI command: its console text comes back, and the breakpoint it
   * made is announced with =breakpoint-created. */
  kwb_gdb_console_async (f->gdb, "break main", NULL, result_cb, f);
  result = wait_result (f, "console break main");
  console = kwb_gdb_console_finish (f->gdb, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (console, "Breakpoint 3 at "));
  g_assert_cmpuint (f->created->len, ==, 1);
  g_assert_cmpstr (kwb_mi_record_get_string (f->created->pdata[0], "bkpt.number"), ==, "3");
  g_assert_cmpstr (kwb_mi_record_get_string (f->created->pdata[0], "bkpt.func"), ==, "main");
  g_clear_object (&result);

  /* Run: the temporary breakpoint in main is hit first. */
  kwb_gdb_command_async (f->gdb, NULL, result_cb, f, "-gdb-set startup-with-shell off");
  g_clear_pointer (&loaded, kwb_mi_record_unref);
  loaded = finish_ok (f, "startup-with-shell");
  kwb_gdb_exec_async (f->gdb, KWB_GDB_EXEC_RUN, NULL, result_cb, f);
  g_clear_pointer (&loaded, kwb_mi_record_unref);
  loaded = finish_ok (f, "run");
  g_assert_true (kwb_mi_record_is_class (loaded, "running"));
  stop = wait_stop (f, 1, "stop in main");
  g_assert_cmpstr (stop->reason, ==, "breakpoint-hit");
  g_assert_cmpstr (stop->func, ==, "main");
  g_assert_cmpint (stop->line, ==, line_of ("LINE_MAIN"));
  g_assert_cmpuint (f->n_running, >, 0);

  /* Continue: the stop in compute() has the right file and line. */
  kwb_gdb_exec_async (f->gdb, KWB_GDB_EXEC_CONTINUE, NULL, result_cb, f);
  g_clear_pointer (&loaded, kwb_mi_record_unref);
  loaded = finish_ok (f, "continue");
  stop = wait_stop (f, 2, "stop in compute");
  g_assert_cmpstr (stop->reason, ==, "breakpoint-hit");
  g_assert_cmpint (stop->bkptno, ==, 1);
  g_assert_cmpstr (stop->func, ==, "compute");
  g_assert_cmpstr (stop->file, ==, f->source);
  g_assert_cmpstr (stop->fullname, ==, f->source);
  g_assert_cmpint (stop->line, ==, line_of ("LINE_LOCAL"));
  g_assert_cmpuint (stop->addr, !=, 0);
  g_assert_cmpstr (stop->thread_id, ==, "1");

  /* The backtrace as typed frames. */
  kwb_gdb_list_frames_async (f->gdb, NULL, result_cb, f);
  g_clear_object (&result);
  result = wait_result (f, "frames");
  frames = kwb_gdb_list_frames_finish (f->gdb, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frames->len, ==, 2);
  g_assert_cmpuint (kwb_frame_get_level (frames->pdata[0]), ==, 0);
  g_assert_cmpstr (kwb_frame_get_function (frames->pdata[0]), ==, "compute");
  g_assert_cmpstr (kwb_frame_get_fullname (frames->pdata[0]), ==, f->source);
  g_assert_cmpuint (kwb_frame_get_line (frames->pdata[0]), ==, line_of ("LINE_LOCAL"));
  g_assert_cmphex (kwb_frame_get_address (frames->pdata[0]), ==, stop->addr);
  g_assert_cmpuint (kwb_frame_get_level (frames->pdata[1]), ==, 1);
  g_assert_cmpstr (kwb_frame_get_function (frames->pdata[1]), ==, "main");
  g_assert_cmpuint (kwb_frame_get_line (frames->pdata[1]), ==, line_of ("LINE_MAIN"));

  /* Registers by name, in the order asked; a name the architecture does
   * not have is left out. The program counter is where we stopped. */
  {
    const char * const names[] = { "rip", "no_such_register", "rsp", "rax", NULL };

    kwb_gdb_list_registers_async (f->gdb, names, NULL, result_cb, f);
    g_clear_object (&result);
    result = wait_result (f, "registers");
    registers = kwb_gdb_list_registers_finish (f->gdb, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (registers->len, ==, 3);
    g_assert_cmpstr (kwb_register_get_name (registers->pdata[0]), ==, "rip");
    g_assert_cmpstr (kwb_register_get_name (registers->pdata[1]), ==, "rsp");
    g_assert_cmpstr (kwb_register_get_name (registers->pdata[2]), ==, "rax");
    g_assert_true (g_str_has_prefix (kwb_register_get_value (registers->pdata[0]), "0x"));
    rip = g_ascii_strtoull (kwb_register_get_value (registers->pdata[0]), NULL, 16);
    g_assert_cmphex (rip, ==, stop->addr);
  }

  /* The whole function around the stop, and a range from it. */
  kwb_gdb_disassemble_function_async (f->gdb, stop->addr, NULL, result_cb, f);
  g_clear_object (&result);
  result = wait_result (f, "disassemble function");
  instructions = kwb_gdb_disassemble_finish (f->gdb, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (instructions->len, >, 2);
  g_assert_cmpstr (kwb_instruction_get_function (instructions->pdata[0]), ==, "compute");
  g_assert_cmpuint (kwb_instruction_get_offset (instructions->pdata[0]), ==, 0);
  {
    gboolean found_pc = FALSE;

    for (guint i = 0; i < instructions->len; i++)
      {
        g_assert_nonnull (kwb_instruction_get_text (instructions->pdata[i]));
        if (kwb_instruction_get_address (instructions->pdata[i]) == stop->addr)
          {
            g_assert_cmpuint (kwb_instruction_get_offset (instructions->pdata[i]), >, 0);
            found_pc = TRUE;
          }
      }
    g_assert_true (found_pc);
  }
  g_clear_pointer (&instructions, g_ptr_array_unref);
  kwb_gdb_disassemble_async (f->gdb, stop->addr, stop->addr + 8, NULL, result_cb, f);
  g_clear_object (&result);
  result = wait_result (f, "disassemble range");
  instructions = kwb_gdb_disassemble_finish (f->gdb, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (instructions->len, >=, 1);
  g_assert_cmphex (kwb_instruction_get_address (instructions->pdata[0]), ==, stop->addr);
  for (guint i = 0; i < instructions->len; i++)
    g_assert_cmphex (kwb_instruction_get_address (instructions->pdata[i]), <, stop->addr + 8);

  /* Step over one line, then read the local. */
  kwb_gdb_exec_async (f->gdb, KWB_GDB_EXEC_NEXT, NULL, result_cb, f);
  g_clear_pointer (&loaded, kwb_mi_record_unref);
  loaded = finish_ok (f, "next");
  stop = wait_stop (f, 3, "stop after next");
  g_assert_cmpstr (stop->reason, ==, "end-stepping-range");
  g_assert_cmpint (stop->line, ==, line_of ("LINE_NEXT"));

  kwb_gdb_evaluate_async (f->gdb, "local", NULL, result_cb, f);
  g_clear_object (&result);
  result = wait_result (f, "evaluate");
  value = kwb_gdb_evaluate_finish (f->gdb, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "42");

  kwb_gdb_list_variables_async (f->gdb, NULL, result_cb, f);
  g_clear_object (&result);
  result = wait_result (f, "variables");
  variables = kwb_gdb_list_variables_finish (f->gdb, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < variables->len; i++)
    {
      KwbVariable *var = variables->pdata[i];

      g_assert_cmpstr (kwb_variable_get_type_name (var), ==, "int");
      if (g_strcmp0 (kwb_variable_get_name (var), "local") == 0)
        {
          g_assert_cmpstr (kwb_variable_get_value (var), ==, "42");
          g_assert_false (kwb_variable_get_is_argument (var));
          found_local = TRUE;
        }
      else if (g_strcmp0 (kwb_variable_get_name (var), "a") == 0)
        {
          g_assert_cmpstr (kwb_variable_get_value (var), ==, "14");
          g_assert_true (kwb_variable_get_is_argument (var));
          found_argument = TRUE;
        }
    }
  g_assert_true (found_local);
  g_assert_true (found_argument);

  /* The caller's frame: its variables, not compute()'s. */
  kwb_gdb_select_frame_async (f->gdb, 1, NULL, result_cb, f);
  g_clear_pointer (&loaded, kwb_mi_record_unref);
  loaded = finish_ok (f, "select frame");
  kwb_gdb_list_variables_async (f->gdb, NULL, result_cb, f);
  g_clear_object (&result);
  result = wait_result (f, "caller's variables");
  g_clear_pointer (&variables, g_ptr_array_unref);
  variables = kwb_gdb_list_variables_finish (f->gdb, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (variables->len, ==, 1);
  g_assert_cmpstr (kwb_variable_get_name (variables->pdata[0]), ==, "r");
  kwb_gdb_select_frame_async (f->gdb, 0, NULL, result_cb, f);
  g_clear_pointer (&loaded, kwb_mi_record_unref);
  loaded = finish_ok (f, "select frame 0");

  /* GDB's ^error becomes a GError with its message. */
  kwb_gdb_evaluate_async (f->gdb, "no_such_variable", NULL, result_cb, f);
  g_clear_object (&result);
  result = wait_result (f, "evaluate error");
  g_clear_pointer (&value, g_free);
  value = kwb_gdb_evaluate_finish (f->gdb, result, &error);
  g_assert_error (error, KWB_GDB_ERROR, KWB_GDB_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "No symbol \"no_such_variable\" in current context.");
  g_assert_null (value);
  g_clear_error (&error);

  kwb_gdb_command_async (f->gdb, NULL, result_cb, f, "-no-such-command");
  g_clear_object (&result);
  result = wait_result (f, "undefined command");
  g_assert_null (kwb_gdb_command_finish (f->gdb, result, &error));
  g_assert_error (error, KWB_GDB_ERROR, KWB_GDB_ERROR_UNDEFINED_COMMAND);
  g_clear_error (&error);

  /* Finish to main: the stop carries the caller's line. */
  kwb_gdb_exec_async (f->gdb, KWB_GDB_EXEC_FINISH, NULL, result_cb, f);
  g_clear_pointer (&loaded, kwb_mi_record_unref);
  loaded = finish_ok (f, "finish");
  stop = wait_stop (f, 4, "stop after finish");
  g_assert_cmpstr (stop->reason, ==, "function-finished");
  g_assert_cmpstr (stop->func, ==, "main");
  g_assert_cmpstr (kwb_mi_record_get_string (stop->record, "return-value"), ==, "43");

  /* Run to the end. */
  kwb_gdb_exec_async (f->gdb, KWB_GDB_EXEC_CONTINUE, NULL, result_cb, f);
  g_clear_pointer (&loaded, kwb_mi_record_unref);
  loaded = finish_ok (f, "continue to exit");
  stop = wait_stop (f, 5, "exit");
  g_assert_cmpstr (stop->reason, ==, "exited-normally");

  /* The whole console stream saw the CLI's output too. */
  g_assert_nonnull (strstr (f->console->str, "Breakpoint 3 at "));
}

/* target remote: the socket path reaches GDB intact (spaces, quotes,
 * UTF-8); with nothing listening there GDB's error names it exactly. */
static void
test_target_remote_path (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *socket = NULL;
  g_autofree char *expected = NULL;

  if (f->gdb == NULL)
    return;

  socket = g_build_filename (f->dir, "no qemu here.sock", NULL);
  kwb_gdb_target_remote_async (f->gdb, socket, NULL, result_cb, f);
  result = wait_result (f, "target remote");
  g_assert_null (kwb_gdb_command_finish (f->gdb, result, &error));
  g_assert_error (error, KWB_GDB_ERROR, KWB_GDB_ERROR_FAILED);
  expected = g_strdup_printf ("%s: No such file or directory.", socket);
  g_assert_cmpstr (error->message, ==, expected);

  /* The transcript has the command as sent and GDB's error record. */
  {
    g_autofree char *transcript = kwb_gdb_dup_transcript (f->gdb);

    g_assert_nonnull (strstr (transcript, "> "));
    g_assert_nonnull (strstr (transcript, "-target-select remote"));
    g_assert_nonnull (strstr (transcript, "^error,msg="));
  }
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbMiRecord) record = NULL;
  g_autofree char *value = NULL;

  if (f->gdb == NULL)
    return;

  /* Cancelled while pending: completes at once with CANCELLED; GDB's late
   * reply to it is dropped and does not answer the next command. */
  kwb_gdb_evaluate_async (f->gdb, "1 + 1", cancellable, result_cb, f);
  g_cancellable_cancel (cancellable);
  result = wait_result (f, "cancelled evaluate");
  g_assert_null (kwb_gdb_evaluate_finish (f->gdb, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  kwb_gdb_evaluate_async (f->gdb, "2 + 3", NULL, result_cb, f);
  result = wait_result (f, "evaluate after cancel");
  value = kwb_gdb_evaluate_finish (f->gdb, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "5");
  g_clear_object (&result);

  /* Already cancelled: never sent. */
  kwb_gdb_evaluate_async (f->gdb, "1", cancellable, result_cb, f);
  result = wait_result (f, "pre-cancelled evaluate");
  g_assert_null (kwb_gdb_evaluate_finish (f->gdb, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A line break would desynchronise tokens: refused. */
  kwb_gdb_command_async (f->gdb, NULL, result_cb, f, "-data-evaluate-expression 1\n-gdb-exit");
  result = wait_result (f, "newline");
  g_assert_null (kwb_gdb_command_finish (f->gdb, result, &error));
  g_assert_error (error, KWB_GDB_ERROR, KWB_GDB_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);
  kwb_gdb_command_async (f->gdb, NULL, result_cb, f, "-data-evaluate-expression 7");
  record = finish_ok (f, "evaluate after refusal");
  g_assert_cmpstr (kwb_mi_record_get_string (record, "value"), ==, "7");
}

/* GDB SIGKILLed while it runs a command (a shell that sleeps): the command
 * fails with KWB_GDB_ERROR_EXITED and `exited` comes, even though the
 * stopped inferior and the sleep still hold GDB's stdout open (no EOF). */
static void
test_killed_mid_command (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbMiRecord) record = NULL;
  g_autofree char *console = NULL;
  GPid pid;

  if (f->gdb == NULL)
    return;

  kwb_gdb_file_load_async (f->gdb, f->program, NULL, result_cb, f);
  record = finish_ok (f, "file load");
  g_clear_pointer (&record, kwb_mi_record_unref);
  kwb_gdb_command_async (f->gdb, NULL, result_cb, f, "-break-insert main");
  record = finish_ok (f, "break main");
  g_clear_pointer (&record, kwb_mi_record_unref);
  kwb_gdb_exec_async (f->gdb, KWB_GDB_EXEC_RUN, NULL, result_cb, f);
  record = finish_ok (f, "run");
  wait_stop (f, 1, "stop in main");

  kwb_gdb_console_async (f->gdb, "shell echo sleeping; exec sleep 1000", NULL, result_cb, f);
  /* Queued behind it: must fail too. */
  kwb_gdb_evaluate_async (f->gdb, "1 + 1", NULL, second_cb, f);
  /* Kill once GDB is inside the command: the shell's echo (written
   * straight to GDB's stdout, so not MI) is our sign. */
  while (strstr (f->other->str, "sleeping") == NULL && !f->exited)
    {
      guint guard = g_timeout_add_seconds (GUARD_SECONDS, guard_cb, (gpointer) "shell echo");

      g_main_context_iteration (NULL, TRUE);
      g_source_remove (guard);
      if (f->result != NULL)
        break;
    }
  g_assert_nonnull (strstr (f->other->str, "sleeping"));
  g_assert_null (f->result);
  pid = kwb_gdb_get_pid (f->gdb);
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0); /* GDB alone, as a crash would */

  result = wait_result (f, "pending command after kill");
  console = kwb_gdb_console_finish (f->gdb, result, &error);
  g_assert_error (error, KWB_GDB_ERROR, KWB_GDB_ERROR_EXITED);
  g_assert_nonnull (strstr (error->message, "GDB exited (status 137) before answering"));
  g_assert_null (console);
  g_clear_error (&error);

  {
    guint guard = g_timeout_add_seconds (GUARD_SECONDS, guard_cb, (gpointer) "second pending command");

    while (f->second == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (guard);
  }
  g_assert_null (kwb_gdb_evaluate_finish (f->gdb, f->second, &error));
  g_assert_error (error, KWB_GDB_ERROR, KWB_GDB_ERROR_EXITED);
  g_assert_nonnull (strstr (error->message, "“-data-evaluate-expression \"1 + 1\"”"));
  g_clear_error (&error);
  g_clear_object (&f->second);

  run_until (&f->exited, "exited signal");
  g_assert_cmpint (f->exit_status, ==, 128 + SIGKILL);
  g_assert_false (kwb_gdb_get_running (f->gdb));

  /* Later commands fail at once. */
  g_clear_object (&result);
  kwb_gdb_evaluate_async (f->gdb, "1", NULL, result_cb, f);
  result = wait_result (f, "command after exit");
  g_assert_null (kwb_gdb_evaluate_finish (f->gdb, result, &error));
  g_assert_error (error, KWB_GDB_ERROR, KWB_GDB_ERROR_NOT_RUNNING);
}

static void
test_quote (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "plain", "\"plain\"" },
    { "/a b/c", "\"/a b/c\"" },
    { "say \"hi\"", "\"say \\\"hi\\\"\"" },
    { "C:\\dir", "\"C:\\\\dir\"" },
    { "d\xc3\xafr \xc3\xbc", "\"d\xc3\xafr \xc3\xbc\"" },
    { "a\nb\tc\001", "\"a\\nb\\tc\\001\"" },
    { "", "\"\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *quoted = kwb_gdb_quote (cases[i].in);
      g_autofree char *line = g_strdup_printf ("~%s", quoted);
      g_autoptr(KwbMiRecord) back = kwb_mi_parse_line (line, -1);

      g_assert_cmpstr (quoted, ==, cases[i].out);
      /* GDB's c-strings and MI's input quoting agree: our parser reads it back. */
      g_assert_cmpstr (kwb_mi_record_get_text (back, NULL), ==, cases[i].in);
    }
}

static void
test_quote_cli_argument (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "/plain/linux-6.1_x+y/a.ko", "/plain/linux-6.1_x+y/a.ko" },
    { "/a b", "\"/a b\"" },
    { "/a'b", "\"/a'b\"" },
    { "/a\"b", "\"/a\\\"b\"" },
    { "/a\\b", "\"/a\\\\b\"" },
    { "/a,b", "\"/a,b\"" },
    { "/d\xc3\xa9j\xc3\xa0", "\"/d\xc3\xa9j\xc3\xa0\"" },
    { "/a\tb\nc", "\"/a\tb\nc\"" },
    { "", "\"\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *quoted = kwb_gdb_quote_cli_argument (cases[i].in);

      g_assert_cmpstr (quoted, ==, cases[i].out);
    }
  {
    g_autofree char *command = kwb_gdb_dup_substitute_path_command ("/from a", "/to\\b");

    g_assert_cmpstr (command, ==, "set substitute-path \"/from a\" \"/to\\\\b\"");
  }
}

static char *
console_ok (Fixture    *f,
            const char *command)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *out;

  kwb_gdb_console_async (f->gdb, command, NULL, result_cb, f);
  result = wait_result (f, command);
  out = kwb_gdb_console_finish (f->gdb, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

/* The real GDB reads each path back byte for byte from the CLI commands
 * that take one: set substitute-path, add-symbol-file, file, directory. */
static void
test_cli_path_arguments (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const names[] = {
    "a b", "a'b", "a\"b", "a\\b", "a,b", "d\xc3\xa9j\xc3\xa0",
    "dir a'b\"c\\d,\xc3\xa9",
  };

  if (f->gdb == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *dir = g_build_filename (f->dir, names[i], NULL);
      g_autofree char *program = g_build_filename (dir, "prog", NULL);
      g_autofree char *to = g_build_filename (dir, "to", names[i], NULL);
      g_autofree char *quoted = kwb_gdb_quote_cli_argument (program);
      g_autofree char *quoted_dir = kwb_gdb_quote_cli_argument (dir);
      g_autofree char *set = kwb_gdb_dup_substitute_path_command (dir, to);
      g_autofree char *rule = g_strdup_printf ("`%s' -> `%s'.", dir, to);
      g_autofree char *reading = g_strdup_printf ("Reading symbols from %s...", program);
      g_autofree char *add = g_strdup_printf ("add-symbol-file %s 0x1000", quoted);
      g_autofree char *file = g_strdup_printf ("file %s", quoted);
      g_autofree char *directory = g_strdup_printf ("directory %s", quoted_dir);
      g_autofree char *out = NULL;

      g_test_message ("path %s", dir);
      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      g_assert_cmpint (symlink (f->program, program), ==, 0);

      g_free (console_ok (f, set));
      out = console_ok (f, "show substitute-path");
      g_assert_nonnull (strstr (out, rule));
      g_clear_pointer (&out, g_free);
      g_free (console_ok (f, "unset substitute-path"));

      out = console_ok (f, add);
      g_assert_nonnull (strstr (out, reading));
      g_clear_pointer (&out, g_free);

      out = console_ok (f, file);
      g_assert_nonnull (strstr (out, reading));
      g_clear_pointer (&out, g_free);

      g_free (console_ok (f, directory));
      out = console_ok (f, "show directories");
      g_assert_nonnull (strstr (out, dir));
      g_clear_pointer (&out, g_free);
      g_free (console_ok (f, "directory"));
    }
}

static void
test_missing_gdb (void)
{
  g_autoptr(KwbGdb) gdb = kwb_gdb_new ("/nonexistent/gdb", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (kwb_gdb_start (gdb, &error));
  g_assert_error (error, KWB_SPAWN_ERROR, KWB_SPAWN_ERROR_NOT_INSTALLED);
  g_assert_false (kwb_gdb_get_running (gdb));
}

/* The enums are GTypes: properties and signals carry them, and their
 * values have names. */
static void
test_enum_types (void)
{
  g_autoptr(GEnumClass) exec = g_type_class_ref (KWB_TYPE_GDB_EXEC);
  g_autoptr(GFlagsClass) flags = g_type_class_ref (KWB_TYPE_GDB_BREAK_FLAGS);
  g_autoptr(GEnumClass) states = g_type_class_ref (KWB_TYPE_SESSION_STATE);
  g_autoptr(GTypeClass) session_class = g_type_class_ref (KWB_TYPE_SESSION);
  GParamSpec *state = g_object_class_find_property (G_OBJECT_CLASS (session_class), "state");
  GSignalQuery query;

  g_assert_true (G_TYPE_IS_ENUM (KWB_TYPE_GDB_EXEC));
  g_assert_cmpstr (g_enum_get_value (exec, KWB_GDB_EXEC_STEP_INSTRUCTION)->value_nick, ==, "step-instruction");
  g_assert_true (G_TYPE_IS_FLAGS (KWB_TYPE_GDB_BREAK_FLAGS));
  g_assert_cmpuint (g_flags_get_first_value (flags, KWB_GDB_BREAK_HARDWARE)->value, ==, KWB_GDB_BREAK_HARDWARE);
  g_assert_cmpstr (g_enum_get_value (states, KWB_SESSION_STATE_STOPPED)->value_nick, ==, "stopped");
  g_assert_cmpstr (kwb_session_state_to_string (KWB_SESSION_STATE_STARTING), ==, "starting");
  g_assert_cmpstr (kwb_session_state_to_string (KWB_SESSION_STATE_FAILED), ==, "failed");

  g_assert_nonnull (state);
  g_assert_true (G_IS_PARAM_SPEC_ENUM (state));
  g_assert_true (state->value_type == KWB_TYPE_SESSION_STATE);
  g_signal_query (g_signal_lookup ("state-changed", KWB_TYPE_SESSION), &query);
  g_assert_cmpuint (query.n_params, ==, 2);
  g_assert_true (query.param_types[0] == KWB_TYPE_SESSION_STATE);
  g_assert_true (query.param_types[1] == KWB_TYPE_SESSION_STATE);
}

/* The names kwb replay's --exec takes, both ways, and which go backwards. */
static void
test_exec_names (void)
{
  KwbGdbExec what = KWB_GDB_EXEC_RUN;

  g_assert_true (kwb_gdb_exec_from_string ("reverse-next", &what));
  g_assert_cmpint (what, ==, KWB_GDB_EXEC_REVERSE_NEXT);
  g_assert_true (kwb_gdb_exec_is_reverse (what));
  g_assert_true (kwb_gdb_exec_from_string ("stepi", &what));
  g_assert_cmpint (what, ==, KWB_GDB_EXEC_STEP_INSTRUCTION);
  g_assert_false (kwb_gdb_exec_is_reverse (what));
  g_assert_false (kwb_gdb_exec_from_string ("print jiffies", &what));
  g_assert_false (kwb_gdb_exec_from_string (NULL, &what));
  for (KwbGdbExec e = KWB_GDB_EXEC_CONTINUE; e <= KWB_GDB_EXEC_REVERSE_STEP_INSTRUCTION; e++)
    {
      KwbGdbExec back;

      g_assert_true (kwb_gdb_exec_from_string (kwb_gdb_exec_to_string (e), &back));
      g_assert_cmpint (back, ==, e);
      g_assert_cmpint (kwb_gdb_exec_is_reverse (e), ==, g_str_has_prefix (kwb_gdb_exec_to_string (e), "reverse-"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gdb/quote", test_quote);
  g_test_add_func ("/gdb/exec-names", test_exec_names);
  g_test_add_func ("/gdb/quote-cli-argument", test_quote_cli_argument);
  g_test_add_func ("/gdb/enum-types", test_enum_types);
  g_test_add_func ("/gdb/missing-gdb", test_missing_gdb);
  g_test_add ("/gdb/debug-session", Fixture, NULL, fixture_set_up, test_debug_session, fixture_tear_down);
  g_test_add ("/gdb/cli-path-arguments", Fixture, NULL, fixture_set_up, test_cli_path_arguments, fixture_tear_down);
  g_test_add ("/gdb/target-remote-path", Fixture, NULL, fixture_set_up, test_target_remote_path, fixture_tear_down);
  g_test_add ("/gdb/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/gdb/killed-mid-command", Fixture, NULL, fixture_set_up, test_killed_mid_command, fixture_tear_down);

  return g_test_run ();
}
