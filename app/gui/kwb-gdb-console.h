/* kwb-gdb-console.h — GDB's command line inside the window: an entry, its output, history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kwb-session.h"

G_BEGIN_DECLS

#define KWB_TYPE_GDB_CONSOLE (kwb_gdb_console_get_type ())
G_DECLARE_FINAL_TYPE (KwbGdbConsole, kwb_gdb_console, KWB, GDB_CONSOLE, GtkWidget)

void      kwb_gdb_console_set_session  (KwbGdbConsole *self,
                                        KwbSession    *session);
/* Runs COMMAND as if typed (added to the history, output appended). */
void      kwb_gdb_console_run          (KwbGdbConsole *self,
                                        const char    *command);
char     *kwb_gdb_console_dup_text     (KwbGdbConsole *self);
/* Up (-1) / Down (+1) through the history, as the keys do. */
void      kwb_gdb_console_history_move (KwbGdbConsole *self,
                                        int            direction);
GtkEntry *kwb_gdb_console_get_entry    (KwbGdbConsole *self);

G_END_DECLS
