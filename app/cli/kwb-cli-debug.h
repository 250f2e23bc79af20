/* kwb-cli-debug.h — the scripted session behind kwb debug, kwb record and kwb replay
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-core.h"

G_BEGIN_DECLS

typedef enum {
  KWB_CLI_DEBUG_LIVE,    /* kwb debug: --exec runs at every stop, --continue N */
  KWB_CLI_DEBUG_RECORD,  /* kwb record: no stops; ends after the timeout, the recording finished */
  KWB_CLI_DEBUG_REPLAY,  /* kwb replay: --exec is a script, one command after the other */
} KwbCliDebugMode;

/* Filled by the command from its options; kwb_cli_debug_run() owns the rest. */
typedef struct {
  KwbCliDebugMode mode;
  GMainLoop   *loop;
  KwbSession  *session;
  KwbModules  *modules;
  char       **exec;
  GPtrArray   *shows;      /* KwbCliShow, in the order given */
  guint        next_show;
  char       **show_specs; /* the --show values, same order */
  char        *console_send;
  gboolean     json;
  int          continues_left;
  int          status;
  guint        timeout_id;
  KwbConsoleWindow *console; /* the newest output, where the prompt is looked for */
  gboolean     console_sent;
  gboolean     console_entered;   /* Enter pressed at askfirst's prompt */
  gboolean     finishing;
  gboolean     waiting_index; /* the session ended; GDB's index is still being written */
  guint        pending_exec;
  guint        n_stops;
  guint        n_requested_breaks;
  int          timeout;
  char        *dump_path;  /* --dump, absolute; cleared once written */

  /* record and replay */
  KwbRecording *recording;
  KwbReplay   *replay;       /* made by kwb_cli_debug_run() for a recording */
  guint        next_script;  /* replay: the next --exec to run */
  const char  *timing;       /* replay: the run-control command whose stop is awaited (in exec) */
  KwbGdbExec   timing_what;  /* what it runs */
  gint64       timing_us;    /* and when it was sent */
} KwbCliDebug;

/* Starts SESSION and runs it as the fields say, to its end; the exit status. */
int   kwb_cli_debug_run   (KwbCliDebug *debug,
                           KwbSession  *session);

G_END_DECLS
