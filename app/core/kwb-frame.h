/* kwb-frame.h — one stack frame of the stopped guest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KWB_TYPE_FRAME (kwb_frame_get_type ())
G_DECLARE_FINAL_TYPE (KwbFrame, kwb_frame, KWB, FRAME, GObject)

KwbFrame   *kwb_frame_new           (guint       level,
                                     const char *function,
                                     const char *file,
                                     const char *fullname,
                                     guint       line,
                                     guint64     address);
guint       kwb_frame_get_level     (KwbFrame *self);
const char *kwb_frame_get_function  (KwbFrame *self);
const char *kwb_frame_get_file      (KwbFrame *self);
const char *kwb_frame_get_fullname  (KwbFrame *self);
guint       kwb_frame_get_line      (KwbFrame *self);
guint64     kwb_frame_get_address   (KwbFrame *self);
gboolean    kwb_frame_has_symbol    (KwbFrame *self);
gboolean    kwb_frame_is_user_space (KwbFrame *self);
char       *kwb_frame_dup_display_name (KwbFrame *self);

gboolean    kwb_address_is_user_space (guint64 addr);

G_END_DECLS
