/* kwb-crash.h — what the guest kernel crashed with: an oops, a BUG, a warning or a panic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session stops at the kernel's own crash paths (see kwb-session-crash.c)
 * and describes the crash with one KwbCrash: its kind, the headline and
 * the whole text the kernel printed for it, and the frames from the one
 * that faulted outwards. The GUI and `kwb debug` show it; nothing in it
 * changes once made.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  KWB_CRASH_OOPS,     /* a fault in kernel code (page fault, general protection, …) */
  KWB_CRASH_BUG,      /* BUG() / BUG_ON() */
  KWB_CRASH_WARNING,  /* WARN() / WARN_ON(): the kernel carries on */
  KWB_CRASH_PANIC,    /* panic() */
} KwbCrashKind;

#define KWB_TYPE_CRASH (kwb_crash_get_type ())
G_DECLARE_FINAL_TYPE (KwbCrash, kwb_crash, KWB, CRASH, GObject)

/* FRAMES: KwbFrame items, the faulting frame first. */
KwbCrash     *kwb_crash_new               (KwbCrashKind  kind,
                                           const char   *title,
                                           const char   *text,
                                           GListModel   *frames);
KwbCrashKind  kwb_crash_get_kind          (KwbCrash     *self);
/* "oops", "BUG", "warning", "panic": the word `kwb debug` starts its line with. */
const char   *kwb_crash_kind_to_string    (KwbCrashKind  kind);
/* The kernel's headline, e.g. "BUG: kernel NULL pointer dereference, address: 0000000000000000". */
const char   *kwb_crash_get_title         (KwbCrash     *self);
/* Everything the kernel printed for it so far, one record a line. */
const char   *kwb_crash_get_text          (KwbCrash     *self);
GListModel   *kwb_crash_get_frames        (KwbCrash     *self);

/* Where in LINES (the kernel log, oldest first) the last oops report
 * begins, or -1 when there is none: the "…: 0002 [#1] …" line die() prints
 * and the lines that lead up to it ("BUG: …", "#PF: …", "kernel BUG at …").
 * KIND says whether it was a BUG() or another oops; TITLE its headline. */
gint          kwb_crash_find_report       (const char * const *lines,
                                           KwbCrashKind       *kind,
                                           char              **title);
/* A GDB `printf` command that formats FORMAT (the kernel's printf format of
 * a panic) with ARGS (GDB expressions, e.g. "$rsi"), casting each to what
 * its conversion takes; NULL when FORMAT uses what GDB cannot print (the
 * kernel's %p extensions, * widths) or more arguments than ARGS has. */
char         *kwb_crash_dup_printf_command (const char         *format,
                                            const char * const *args);

G_END_DECLS
