/* kwb-timeline.h — a replay's recorded span, how far it has got, and its stops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KWB_TYPE_TIMELINE (kwb_timeline_get_type ())
G_DECLARE_FINAL_TYPE (KwbTimeline, kwb_timeline, KWB, TIMELINE, GtkWidget)

GtkWidget  *kwb_timeline_new             (void);
/* The recorded span in instructions; 0 = not known: the span is then the
 * largest position, mark or snapshot seen. */
void        kwb_timeline_set_span        (KwbTimeline *self,
                                          gint64       total);
/* The effective span drawn. */
gint64      kwb_timeline_get_span        (KwbTimeline *self);
/* Where the replay is now; -1 = not known (the guest is running). */
void        kwb_timeline_set_position    (KwbTimeline *self,
                                          gint64       icount);
gint64      kwb_timeline_get_position    (KwbTimeline *self);
/* A stop at a breakpoint; LABEL e.g. "kwb_test_mod.c:18". A second mark at
 * the same icount replaces the first's label. Marks are kept sorted by icount. */
void        kwb_timeline_add_mark        (KwbTimeline *self,
                                          gint64       icount,
                                          const char  *label);
guint       kwb_timeline_get_n_marks     (KwbTimeline *self);
gint64      kwb_timeline_get_mark        (KwbTimeline *self,
                                          guint        index);
const char *kwb_timeline_get_mark_label  (KwbTimeline *self,
                                          guint        index);
void        kwb_timeline_add_snapshot    (KwbTimeline *self,
                                          gint64       icount);
guint       kwb_timeline_get_n_snapshots (KwbTimeline *self);
/* Forgets marks, snapshots, span and position (a new replay). */
void        kwb_timeline_clear           (KwbTimeline *self);
/* What a click on mark INDEX does: emits ::mark-activated. */
void        kwb_timeline_activate_mark   (KwbTimeline *self,
                                          guint        index);
/* The mark nearest to X (widget coordinates) within a few pixels, or -1. */
int         kwb_timeline_mark_at         (KwbTimeline *self,
                                          double       x);

G_END_DECLS
