/* kwb-qmp.h — a QMP client: QEMU's JSON control protocol on a unix socket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KWB_QMP_ERROR (kwb_qmp_error_quark ())

typedef enum {
  KWB_QMP_ERROR_CONNECT,  /* the socket did not accept a connection by the deadline */
  KWB_QMP_ERROR_REFUSED,  /* the server answered a command with an error */
  KWB_QMP_ERROR_CLOSED,   /* the connection is gone */
} KwbQmpError;

#define KWB_TYPE_QMP (kwb_qmp_get_type ())
G_DECLARE_FINAL_TYPE (KwbQmp, kwb_qmp, KWB, QMP, GObject)

GQuark       kwb_qmp_error_quark          (void);

void         kwb_qmp_connect_async        (const char          *socket_path,
                                           gint64               deadline,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
KwbQmp      *kwb_qmp_connect_finish       (GAsyncResult        *result,
                                           GError             **error);
KwbQmp      *kwb_qmp_new_for_stream       (GIOStream           *stream);
void         kwb_qmp_handshake_async      (KwbQmp              *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean     kwb_qmp_handshake_finish     (KwbQmp              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
void         kwb_qmp_command_async        (KwbQmp              *self,
                                           const char          *command,
                                           JsonObject          *arguments,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
JsonNode    *kwb_qmp_command_finish       (KwbQmp              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
void         kwb_qmp_start_watchdog       (KwbQmp              *self,
                                           guint                interval_ms,
                                           guint                reply_timeout_ms);
void         kwb_qmp_stop_watchdog        (KwbQmp              *self);
void         kwb_qmp_close                (KwbQmp              *self,
                                           const char          *reason);

G_END_DECLS
