/* test-qmp.c — KwbQmp against a fake QMP server on a socketpair
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server side is driven by the test line by line, so each case says
 * exactly what QEMU would send: the greeting, replies, errors, events, and
 * things QEMU should never send.
 */
#include <sys/socket.h>

#include <glib/gstdio.h>

#include "kwb-qmp.h"

/* The project logs structurally, where g_test_expect_message() does not
 * apply: this writer counts the warning a malformed line gives and lets
 * every other message through (fatal as usual). */
static guint not_json_warnings;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        g_str_has_prefix (fields[i].value, "QMP sent something that is not JSON"))
      {
        not_json_warnings++;
        return G_LOG_WRITER_HANDLED;
      }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

typedef struct
{
  KwbQmp           *qmp;
  GSocketConnection *server;
  GDataInputStream *server_in;
  char             *line;       /* last line the server read */
  gboolean          line_done;
  gboolean          done;       /* an async call returned */
  GAsyncResult     *result;
  char             *event;
  JsonNode         *event_data;
  guint             stopped_responding;
} Fixture;

static GSocketConnection *
connection_for_fd (int fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, &error);

  g_assert_no_error (error);
  return g_socket_connection_factory_create_connection (socket);
}

static void
on_event (KwbQmp     *qmp,
          const char *name,
          JsonNode   *data,
          Fixture    *f)
{
  g_free (f->event);
  f->event = g_strdup (name);
  g_clear_pointer (&f->event_data, json_node_unref);
  f->event_data = data ? json_node_copy (data) : NULL;
}

static void
on_stopped_responding (KwbQmp  *qmp,
                       Fixture *f)
{
  f->stopped_responding++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSocketConnection) client = NULL;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  client = connection_for_fd (fds[0]);
  f->server = connection_for_fd (fds[1]);
  f->server_in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (f->server)));
  f->qmp = kwb_qmp_new_for_stream (G_IO_STREAM (client));
  g_signal_connect (f->qmp, "event-received", G_CALLBACK (on_event), f);
  g_signal_connect (f->qmp, "stopped-responding", G_CALLBACK (on_stopped_responding), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->qmp);
  g_clear_object (&f->server_in);
  g_clear_object (&f->server);
  g_clear_object (&f->result);
  g_free (f->line);
  g_free (f->event);
  g_clear_pointer (&f->event_data, json_node_unref);
  /* Let cancelled reads finish before the next case. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
server_send (Fixture    *f,
             const char *text)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (f->server));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, "\n", 1, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
server_line_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Fixture *f = user_data;

  g_free (f->line);
  f->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, NULL);
  f->line_done = TRUE;
}

/* The next command the client sent, as a JSON object. */
static JsonObject *
server_expect_command (Fixture    *f,
                       const char *execute)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  f->line_done = FALSE;
  g_data_input_stream_read_line_async (f->server_in, G_PRIORITY_DEFAULT, NULL, server_line_cb, f);
  while (!f->line_done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (f->line);
  json_parser_load_from_data (parser, f->line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_dup_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "execute"), ==, execute);
  return object;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  g_set_object (&f->result, result);
  f->done = TRUE;
}

static void
wait_done (Fixture *f)
{
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
  f->done = FALSE;
}

/* Sends EXECUTE without arguments, has the server answer with the lines of
 * REPLIES, and returns what the command finished with. */
static JsonNode *
request (Fixture            *f,
         const char         *execute,
         const char * const *replies,
         GError            **error)
{
  g_autoptr(JsonObject) command = NULL;

  kwb_qmp_command_async (f->qmp, execute, NULL, NULL, done_cb, f);
  command = server_expect_command (f, execute);
  g_assert_false (json_object_has_member (command, "arguments"));
  for (guint i = 0; replies[i] != NULL; i++)
    server_send (f, replies[i]);
  wait_done (f);
  return kwb_qmp_command_finish (f->qmp, f->result, error);
}

static void
handshake (Fixture *f)
{
  g_autoptr(JsonObject) command = NULL;
  g_autoptr(GError) error = NULL;

  server_send (f, "{\"QMP\": {\"version\": {\"qemu\": {\"major\": 7}}, \"capabilities\": [\"oob\"]}}");
  kwb_qmp_handshake_async (f->qmp, NULL, done_cb, f);
  command = server_expect_command (f, "qmp_capabilities");
  g_assert_false (f->done);
  server_send (f, "{\"return\": {}}");
  wait_done (f);
  g_assert_true (kwb_qmp_handshake_finish (f->qmp, f->result, &error));
  g_assert_no_error (error);
}

static void
test_handshake (Fixture       *f,
                gconstpointer  data)
{
  handshake (f);
}

/* Capabilities refused: the handshake fails with the server's words. */
static void
test_handshake_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) command = NULL;
  g_autoptr(GError) error = NULL;

  server_send (f, "{\"QMP\": {}}");
  kwb_qmp_handshake_async (f->qmp, NULL, done_cb, f);
  command = server_expect_command (f, "qmp_capabilities");
  server_send (f, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"no such thing\"}}");
  wait_done (f);
  g_assert_false (kwb_qmp_handshake_finish (f->qmp, f->result, &error));
  g_assert_error (error, KWB_QMP_ERROR, KWB_QMP_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "no such thing"));
}

static void
test_reply (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonObject) arguments = json_object_new ();
  g_autoptr(JsonObject) command = NULL;
  g_autoptr(JsonNode) ret = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *sent;

  handshake (f);
  json_object_set_string_member (arguments, "val", "0x1000");
  kwb_qmp_command_async (f->qmp, "memsave", arguments, NULL, done_cb, f);
  command = server_expect_command (f, "memsave");
  sent = json_object_get_object_member (command, "arguments");
  g_assert_cmpstr (json_object_get_string_member (sent, "val"), ==, "0x1000");
  server_send (f, "{\"return\": {\"status\": \"running\", \"running\": true}}");
  wait_done (f);
  ret = kwb_qmp_command_finish (f->qmp, f->result, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (ret));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ret), "status"), ==, "running");
}

/* Replies come in the order commands were sent. */
static void
in_order_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GPtrArray *replies = user_data;

  g_ptr_array_add (replies, kwb_qmp_command_finish (KWB_QMP (object), result, NULL));
}

static void
test_replies_in_order (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) replies = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;

  handshake (f);
  kwb_qmp_command_async (f->qmp, "stop", NULL, NULL, in_order_cb, replies);
  kwb_qmp_command_async (f->qmp, "cont", NULL, NULL, in_order_cb, replies);
  first = server_expect_command (f, "stop");
  second = server_expect_command (f, "cont");
  server_send (f, "{\"return\": 1}");
  server_send (f, "{\"return\": 2}");
  while (replies->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (json_node_get_int (g_ptr_array_index (replies, 0)), ==, 1);
  g_assert_cmpint (json_node_get_int (g_ptr_array_index (replies, 1)), ==, 2);
}

static void
test_error_reply (Fixture       *f,
                  gconstpointer  data)
{
  const char *replies[] = {
    "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command no-such-command has not been found\"}}",
    NULL
  };
  g_autoptr(JsonNode) ret = NULL;
  g_autoptr(GError) error = NULL;

  handshake (f);
  ret = request (f, "no-such-command", replies, &error);
  g_assert_null (ret);
  g_assert_error (error, KWB_QMP_ERROR, KWB_QMP_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "has not been found"));
}

/* An event between a command and its reply is an event, not the reply. */
static void
test_event (Fixture       *f,
            gconstpointer  data)
{
  const char *replies[] = {
    "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\", \"data\": {\"reason\": \"pause\"}}",
    "{\"return\": {}}",
    NULL
  };
  g_autoptr(JsonNode) ret = NULL;
  g_autoptr(GError) error = NULL;

  handshake (f);
  ret = request (f, "stop", replies, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (ret));
  g_assert_cmpstr (f->event, ==, "STOP");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (f->event_data));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (f->event_data), "reason"), ==, "pause");
}

/* A line that is not JSON is reported and skipped; the next reply still
 * answers the waiting command. */
static void
test_malformed_line (Fixture       *f,
                     gconstpointer  data)
{
  const char *replies[] = {
    "{\"return\": {\"status\": ",
    "[\"not\", \"an\", \"object\"]",
    "{\"event\": 42}",
    "{\"return\": {\"status\": \"paused\"}}",
    NULL
  };
  g_autoptr(JsonNode) ret = NULL;
  g_autoptr(GError) error = NULL;

  handshake (f);
  not_json_warnings = 0;
  ret = request (f, "query-status", replies, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (not_json_warnings, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ret), "status"), ==, "paused");
  g_assert_null (f->event);
}

/* Closing fails the waiting command and every later one; BY_SERVER: the
 * server hangs up, else the owner closes with a reason of its own. */
static void
check_close (Fixture  *f,
             gboolean  by_server)
{
  g_autoptr(JsonObject) command = NULL;

  handshake (f);
  kwb_qmp_command_async (f->qmp, "query-status", NULL, NULL, done_cb, f);
  command = server_expect_command (f, "query-status");
  if (by_server)
    g_io_stream_close (G_IO_STREAM (f->server), NULL, NULL);
  else
    kwb_qmp_close (f->qmp, "QEMU exited with status 1");

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) ret = NULL;
      g_autoptr(GError) error = NULL;

      if (i == 1)
        kwb_qmp_command_async (f->qmp, "query-status", NULL, NULL, done_cb, f);
      wait_done (f);
      ret = kwb_qmp_command_finish (f->qmp, f->result, &error);
      g_assert_null (ret);
      g_assert_error (error, KWB_QMP_ERROR, KWB_QMP_ERROR_CLOSED);
      if (!by_server)
        g_assert_cmpstr (error->message, ==, "QEMU exited with status 1");
    }
}

static void
test_closed (Fixture       *f,
             gconstpointer  data)
{
  check_close (f, TRUE);
}

static void
test_close_reason (Fixture       *f,
                   gconstpointer  data)
{
  check_close (f, FALSE);
}

/* A server that reads commands but never answers: the watchdog asks
 * something cheap, and says so once nothing came back. */
static void
test_watchdog (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) command = NULL;

  handshake (f);
  kwb_qmp_start_watchdog (f->qmp, 10, 50);
  command = server_expect_command (f, "query-status");
  while (f->stopped_responding == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (f->stopped_responding, ==, 1);
}

/* Nobody listening by the deadline: a connect error, not a hang. */
static void
test_connect_deadline (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kwb-qmp-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "qmp.sock", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KwbQmp) qmp = NULL;
  Fixture f = { 0 };

  kwb_qmp_connect_async (path, g_get_monotonic_time (), NULL, done_cb, &f);
  wait_done (&f);
  result = g_steal_pointer (&f.result);
  qmp = kwb_qmp_connect_finish (result, &error);
  g_assert_null (qmp);
  g_assert_error (error, KWB_QMP_ERROR, KWB_QMP_ERROR_CONNECT);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/qmp/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("handshake", test_handshake);
  ADD ("handshake-refused", test_handshake_refused);
  ADD ("reply", test_reply);
  ADD ("replies-in-order", test_replies_in_order);
  ADD ("error-reply", test_error_reply);
  ADD ("event", test_event);
  ADD ("malformed-line", test_malformed_line);
  ADD ("closed", test_closed);
  ADD ("close-reason", test_close_reason);
  ADD ("watchdog", test_watchdog);
#undef ADD
  g_test_add_func ("/qmp/connect-deadline", test_connect_deadline);

  return g_test_run ();
}
