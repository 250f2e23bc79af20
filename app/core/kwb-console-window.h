/* kwb-console-window.h — the last bytes of a guest's console output, bounded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The default bound: a screenful of boot messages many times over, and
 * far more than any prompt or marker searched for in it. */
#define KWB_CONSOLE_WINDOW_DEFAULT_BYTES (64 * 1024)

typedef struct _KwbConsoleWindow KwbConsoleWindow;

/* MAX_BYTES: the most the window ever holds (at least 1). */
KwbConsoleWindow *kwb_console_window_new             (gsize              max_bytes);
void              kwb_console_window_free            (KwbConsoleWindow  *self);
/* Appends DATA and drops the oldest bytes beyond the bound. */
void              kwb_console_window_append          (KwbConsoleWindow  *self,
                                                      const void        *data,
                                                      gsize              len);
void              kwb_console_window_clear           (KwbConsoleWindow  *self);
gsize             kwb_console_window_get_length      (KwbConsoleWindow  *self);
gsize             kwb_console_window_get_max_bytes   (KwbConsoleWindow  *self);
/* The held bytes (not NUL-terminated: guest output may contain NULs). */
const guint8     *kwb_console_window_peek            (KwbConsoleWindow  *self,
                                                      gsize             *len);
/* Whether NEEDLE occurs in what the window holds, NUL bytes and all, so a
 * needle split across two appends is found once both are in. NEEDLE must
 * be shorter than the bound. */
gboolean          kwb_console_window_contains        (KwbConsoleWindow  *self,
                                                      const char        *needle);
/* The last MAX_LINES lines, trailing blank lines dropped and each line's
 * end trimmed, as valid UTF-8: the tail an error message quotes. */
char             *kwb_console_window_dup_last_lines  (KwbConsoleWindow  *self,
                                                      guint              max_lines);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbConsoleWindow, kwb_console_window_free)

G_END_DECLS
