/* kwb-qmp.c — a QMP client: QEMU's JSON control protocol on a unix socket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KwbQemu starts QEMU with "-qmp unix:PATH" and talks to it through this
 * type; tests talk to a fake server on a socketpair (kwb_qmp_new_for_stream).
 * QMP is one JSON object per line: the server greets ({"QMP": ...}), the
 * client leaves negotiation mode with "qmp_capabilities", then commands
 * ({"execute": ..., "arguments": ...}) get replies ({"return": ...} or
 * {"error": {"desc": ...}}) in the order they were sent, and events
 * ({"event": ..., "data": ...}) may arrive between them. Replies and events
 * are parsed with JsonParser, commands built with JsonBuilder.
 *
 * connect_async keeps trying the socket until a deadline because QEMU
 * creates it some time after it starts; it finishes once the handshake is
 * done, so a KwbQmp in hand accepts commands.
 *
 * The watchdog exists because a stopped or stuck QEMU answers nothing and
 * whoever waits on it (GDB) would wait for ever. QMP is answered by QEMU's
 * main loop whether the guest runs or not, so a command unanswered for the
 * reply timeout means the server is gone for practical purposes: the
 * watchdog says so with "stopped-responding" and the owner decides what to
 * do (KwbQemu kills QEMU). When nothing is pending it asks something cheap
 * so there is a reply to wait for.
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>

#include "kwb-qmp.h"

#define CONNECT_RETRY_MS 5

struct _KwbQmp
{
  GObject           parent_instance;

  GIOStream        *stream;
  GDataInputStream *in;
  GCancellable     *cancellable;  /* the reader; cancelled on close */
  GQueue           *pending;      /* GTask, answered in order */
  GTask            *handshake;
  gboolean          greeted;
  char             *closed_reason;

  guint             watchdog_id;
  guint             watchdog_interval_ms;
  guint             reply_timeout_ms;
  gint64            watchdog_last;  /* monotonic µs of the previous tick */
};

G_DEFINE_FINAL_TYPE (KwbQmp, kwb_qmp, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-qmp-error-quark, kwb_qmp_error)

enum {
  EVENT_RECEIVED,
  STOPPED_RESPONDING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void read_next (KwbQmp *self);

static void
fail_pending (KwbQmp     *self,
              const char *why)
{
  GTask *task;

  while ((task = g_queue_pop_head (self->pending)) != NULL)
    {
      g_task_return_new_error (task, KWB_QMP_ERROR, KWB_QMP_ERROR_CLOSED, "%s", why);
      g_object_unref (task);
    }
  if (self->handshake != NULL)
    {
      g_autoptr(GTask) handshake = g_steal_pointer (&self->handshake);

      g_task_return_new_error (handshake, KWB_QMP_ERROR, KWB_QMP_ERROR_CLOSED, "%s", why);
    }
}

static void
kwb_qmp_dispose (GObject *object)
{
  KwbQmp *self = (KwbQmp *) object;

  kwb_qmp_close (self, _("QEMU session closed"));
  g_clear_object (&self->in);
  g_clear_object (&self->stream);

  G_OBJECT_CLASS (kwb_qmp_parent_class)->dispose (object);
}

static void
kwb_qmp_finalize (GObject *object)
{
  KwbQmp *self = (KwbQmp *) object;

  g_clear_object (&self->cancellable);
  g_queue_free (self->pending);
  g_free (self->closed_reason);

  G_OBJECT_CLASS (kwb_qmp_parent_class)->finalize (object);
}

static void
kwb_qmp_class_init (KwbQmpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_qmp_dispose;
  object_class->finalize = kwb_qmp_finalize;

  /**
   * KwbQmp::event-received:
   * @name: the QMP event, e.g. STOP, RESUME, SHUTDOWN
   * @data: (nullable): its "data" member, usually an object
   */
  signals[EVENT_RECEIVED] =
    g_signal_new ("event-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_NODE);

  /**
   * KwbQmp::stopped-responding:
   *
   * A command stayed unanswered for the watchdog's reply timeout. Emitted
   * once; the watchdog stops.
   */
  signals[STOPPED_RESPONDING] =
    g_signal_new ("stopped-responding", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kwb_qmp_init (KwbQmp *self)
{
  self->pending = g_queue_new ();
  self->cancellable = g_cancellable_new ();
}

/* MEMBER of OBJECT if it is a string, else NULL (QMP is outside input: a
 * member of another type must not trip json-glib's type checks). */
static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
capabilities_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  KwbQmp *self = KWB_QMP (object);
  g_autoptr(JsonNode) ret = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) handshake = NULL;

  ret = kwb_qmp_command_finish (self, result, &error);
  if (self->handshake == NULL)
    return; /* closed meanwhile: already failed */
  handshake = g_steal_pointer (&self->handshake);
  if (ret == NULL)
    g_task_return_error (handshake, g_steal_pointer (&error));
  else
    g_task_return_boolean (handshake, TRUE);
}

static void
handle_line (KwbQmp     *self,
             const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonObject *msg;
  JsonNode *ret;
  JsonNode *err;
  const char *event;

  if (!json_parser_load_from_data (parser, line, -1, &error))
    {
      g_warning ("QMP sent something that is not JSON: %s", error->message);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  msg = json_node_get_object (json_parser_get_root (parser));

  if ((event = member_string (msg, "event")) != NULL)
    {
      g_signal_emit (self, signals[EVENT_RECEIVED], 0, event, json_object_get_member (msg, "data"));
      return;
    }
  if (json_object_has_member (msg, "QMP"))
    {
      if (!self->greeted && self->handshake != NULL)
        {
          self->greeted = TRUE;
          kwb_qmp_command_async (self, "qmp_capabilities", NULL, NULL, capabilities_cb, NULL);
        }
      return;
    }

  ret = json_object_get_member (msg, "return");
  err = json_object_get_member (msg, "error");
  if (ret != NULL || err != NULL)
    {
      g_autoptr(GTask) task = g_queue_pop_head (self->pending);

      if (task == NULL)
        return;
      if (err != NULL)
        {
          const char *desc = JSON_NODE_HOLDS_OBJECT (err) ? member_string (json_node_get_object (err), "desc") : NULL;

          g_task_return_new_error (task, KWB_QMP_ERROR, KWB_QMP_ERROR_REFUSED,
                                   _("QEMU refused the command: %s"), desc ? desc : "?");
        }
      else
        g_task_return_pointer (task, json_node_copy (ret), (GDestroyNotify) json_node_unref);
    }
}

/* The read holds no reference: dispose cancels it, and a cancelled read
 * never touches SELF. */
static void
line_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  KwbQmp *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (line == NULL)
    {
      g_object_ref (self);
      kwb_qmp_close (self, _("QEMU closed its QMP connection"));
      g_object_unref (self);
      return;
    }
  g_object_ref (self);
  handle_line (self, line);
  read_next (self);
  g_object_unref (self);
}

static void
read_next (KwbQmp *self)
{
  if (self->in == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  g_data_input_stream_read_line_async (self->in, G_PRIORITY_DEFAULT, self->cancellable, line_cb, self);
}

/**
 * kwb_qmp_new_for_stream:
 * @stream: a connection to a QMP server, e.g. a #GSocketConnection
 *
 * Starts reading at once; call kwb_qmp_handshake_async() before commands.
 */
KwbQmp *
kwb_qmp_new_for_stream (GIOStream *stream)
{
  KwbQmp *self;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);

  self = g_object_new (KWB_TYPE_QMP, NULL);
  self->stream = g_object_ref (stream);
  self->in = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  g_data_input_stream_set_newline_type (self->in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  read_next (self);
  return self;
}

/* Waits for the greeting and leaves negotiation mode. */
void
kwb_qmp_handshake_async (KwbQmp              *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KWB_IS_QMP (self));
  g_return_if_fail (self->handshake == NULL && !self->greeted);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_qmp_handshake_async);
  if (self->closed_reason != NULL)
    {
      g_task_return_new_error (task, KWB_QMP_ERROR, KWB_QMP_ERROR_CLOSED, "%s", self->closed_reason);
      return;
    }
  self->handshake = g_steal_pointer (&task);
}

gboolean
kwb_qmp_handshake_finish (KwbQmp        *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- connect ---- */

typedef struct
{
  char   *path;
  gint64  deadline;
  guint   retry_id;
} Connect;

static void
connect_free (Connect *connect)
{
  g_clear_handle_id (&connect->retry_id, g_source_remove);
  g_free (connect->path);
  g_free (connect);
}

static void
connect_handshake_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KwbQmp) qmp = KWB_QMP (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_qmp_handshake_finish (qmp, result, &error))
    {
      kwb_qmp_close (qmp, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&qmp), g_object_unref);
}

static gboolean
connect_try (gpointer user_data)
{
  GTask *task = user_data;
  Connect *connect = g_task_get_task_data (task);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (connect->path);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  KwbQmp *qmp;

  connect->retry_id = 0;
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  /* A local socket answers at once: a blocking connect is fine here. */
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  if (connection == NULL)
    {
      if (g_get_monotonic_time () < connect->deadline)
        {
          connect->retry_id = g_timeout_add (CONNECT_RETRY_MS, connect_try, task);
          return G_SOURCE_REMOVE;
        }
      g_task_return_new_error (task, KWB_QMP_ERROR, KWB_QMP_ERROR_CONNECT, "%s", error->message);
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  qmp = kwb_qmp_new_for_stream (G_IO_STREAM (connection));
  kwb_qmp_handshake_async (qmp, g_task_get_cancellable (task), connect_handshake_cb, task);
  return G_SOURCE_REMOVE;
}

/**
 * kwb_qmp_connect_async:
 * @socket_path: the server's unix socket
 * @deadline: monotonic time (µs) until which a refused connection is tried again
 *
 * Connects and does the handshake.
 */
void
kwb_qmp_connect_async (const char          *socket_path,
                       gint64               deadline,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  Connect *connect;

  g_return_if_fail (socket_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_qmp_connect_async);
  connect = g_new0 (Connect, 1);
  connect->path = g_strdup (socket_path);
  connect->deadline = deadline;
  g_task_set_task_data (task, connect, (GDestroyNotify) connect_free);
  connect_try (task);
}

KwbQmp *
kwb_qmp_connect_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- commands ---- */

/**
 * kwb_qmp_command_async:
 * @command: a QMP command, e.g. "query-status"
 * @arguments: (nullable): its "arguments" object
 *
 * Sends one command; replies come in the order commands were sent.
 */
void
kwb_qmp_command_async (KwbQmp              *self,
                       const char          *command,
                       JsonObject          *arguments,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *text = NULL;
  gint64 *sent;
  GOutputStream *out;
  gsize len;

  g_return_if_fail (KWB_IS_QMP (self));
  g_return_if_fail (command != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_qmp_command_async);
  if (self->closed_reason != NULL)
    {
      g_task_return_new_error (task, KWB_QMP_ERROR, KWB_QMP_ERROR_CLOSED, "%s", self->closed_reason);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "execute");
  json_builder_add_string_value (builder, command);
  if (arguments != NULL)
    {
      JsonNode *node = json_node_init_object (json_node_alloc (), arguments);

      json_builder_set_member_name (builder, "arguments");
      json_builder_add_value (builder, node);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  /* QMP commands are tiny; a blocking write to a local socket is fine and
   * keeps requests in the order they were made. */
  out = g_io_stream_get_output_stream (self->stream);
  if (!g_output_stream_write_all (out, text, len, NULL, NULL, &error) ||
      !g_output_stream_write_all (out, "\n", 1, NULL, NULL, &error))
    {
      g_task_return_new_error (task, KWB_QMP_ERROR, KWB_QMP_ERROR_CLOSED,
                               _("Cannot talk to QEMU: %s"), error->message);
      return;
    }
  /* When it was sent, for the watchdog. */
  sent = g_new (gint64, 1);
  *sent = g_get_monotonic_time ();
  g_task_set_task_data (task, sent, g_free);
  g_queue_push_tail (self->pending, g_steal_pointer (&task));
}

/* The reply's "return" member (an object for most commands). */
JsonNode *
kwb_qmp_command_finish (KwbQmp        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- watchdog ---- */

static void
ping_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(JsonNode) ret = kwb_qmp_command_finish (KWB_QMP (object), result, NULL);
}

static gboolean
watchdog_tick (gpointer user_data)
{
  KwbQmp *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 last = self->watchdog_last;
  gint64 *sent;
  GTask *oldest;

  if (self->closed_reason != NULL)
    {
      self->watchdog_id = 0;
      return G_SOURCE_REMOVE;
    }
  self->watchdog_last = now;
  if ((oldest = g_queue_peek_head (self->pending)) == NULL)
    {
      kwb_qmp_command_async (self, "query-status", NULL, NULL, ping_cb, NULL);
      return G_SOURCE_CONTINUE;
    }
  /* A late tick means we did not run (stopped ourselves, or starved): the
   * answer may be waiting unread, so the server gets a fresh delay. */
  sent = g_task_get_task_data (oldest);
  if (last != 0 && now - last > 2 * (gint64) self->watchdog_interval_ms * G_TIME_SPAN_MILLISECOND)
    *sent = now;
  if (now - *sent < (gint64) self->reply_timeout_ms * G_TIME_SPAN_MILLISECOND)
    return G_SOURCE_CONTINUE;

  self->watchdog_id = 0;
  g_signal_emit (self, signals[STOPPED_RESPONDING], 0);
  return G_SOURCE_REMOVE;
}

/* Checks every INTERVAL_MS that no command waits longer than REPLY_TIMEOUT_MS;
 * commands already waiting get the whole delay from now. */
void
kwb_qmp_start_watchdog (KwbQmp *self,
                        guint   interval_ms,
                        guint   reply_timeout_ms)
{
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (KWB_IS_QMP (self));
  g_return_if_fail (interval_ms > 0);

  kwb_qmp_stop_watchdog (self);
  for (GList *l = self->pending->head; l != NULL; l = l->next)
    *(gint64 *) g_task_get_task_data (l->data) = now;
  self->watchdog_interval_ms = interval_ms;
  self->reply_timeout_ms = reply_timeout_ms;
  self->watchdog_last = 0;
  self->watchdog_id = g_timeout_add (interval_ms, watchdog_tick, self);
}

void
kwb_qmp_stop_watchdog (KwbQmp *self)
{
  g_return_if_fail (KWB_IS_QMP (self));

  g_clear_handle_id (&self->watchdog_id, g_source_remove);
}

/**
 * kwb_qmp_close:
 * @reason: what waiting commands fail with, for the user
 *
 * Stops reading and the watchdog; every command waiting for a reply, and
 * every later one, fails with %KWB_QMP_ERROR_CLOSED. Closing twice keeps
 * the first reason.
 */
void
kwb_qmp_close (KwbQmp     *self,
               const char *reason)
{
  g_return_if_fail (KWB_IS_QMP (self));
  g_return_if_fail (reason != NULL);

  kwb_qmp_stop_watchdog (self);
  if (self->closed_reason != NULL)
    return;
  self->closed_reason = g_strdup (reason);
  g_cancellable_cancel (self->cancellable);
  fail_pending (self, reason);
}
