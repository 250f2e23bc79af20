/* kwb-console.h — the guest's serial console in a terminal, and the GDB console tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <vte/vte.h>

#include "kwb-console-diagnosis.h"
#include "kwb-gdb-console.h"
#include "kwb-session.h"

G_BEGIN_DECLS

#define KWB_TYPE_CONSOLE (kwb_console_get_type ())
G_DECLARE_FINAL_TYPE (KwbConsole, kwb_console, KWB, CONSOLE, GtkWidget)

/* Before the session starts: the console then reads the serial PTY itself. */
void           kwb_console_set_session       (KwbConsole  *self,
                                              KwbSession  *session);
void           kwb_console_set_settings      (KwbConsole  *self,
                                              GSettings   *settings);
VteTerminal   *kwb_console_get_terminal      (KwbConsole  *self);
KwbGdbConsole *kwb_console_get_gdb_console   (KwbConsole  *self);
gboolean       kwb_console_get_attached      (KwbConsole  *self);
/* "serial" or "gdb" */
void           kwb_console_show_page         (KwbConsole  *self,
                                              const char  *name);
void           kwb_console_start_search      (KwbConsole  *self);
/* What reads the serial console for the classic boot failures (shown above
 * the terminal); NULL without a session. */
KwbConsoleDiagnosis *kwb_console_get_diagnosis (KwbConsole *self);

/* The code link (kwb-code-link.h) under the terminal point X, Y, or NULL. */
char          *kwb_console_dup_link_at       (KwbConsole  *self,
                                              double       x,
                                              double       y);
/* What clicking a link does, in the console or the kernel log: resolves
 * TEXT ("RIP: 0010:func+0x1a/0x30", "? func+0x5/0x20",
 * "[<ffffffff8100>] func+0x3", "kernel/sched/core.c:123") through GDB and
 * emits ::location-activated. FALSE when TEXT holds no code location. */
gboolean       kwb_console_activate_link     (KwbConsole  *self,
                                              const char  *text);

G_END_DECLS
