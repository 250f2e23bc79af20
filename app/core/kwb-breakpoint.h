/* kwb-breakpoint.h — one breakpoint as GDB reports it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "kwb-mi-record.h"

G_BEGIN_DECLS

#define KWB_TYPE_BREAKPOINT (kwb_breakpoint_get_type ())
G_DECLARE_FINAL_TYPE (KwbBreakpoint, kwb_breakpoint, KWB, BREAKPOINT, GObject)

KwbBreakpoint *kwb_breakpoint_new_from_mi     (const KwbMiValue *bkpt);
gboolean       kwb_breakpoint_update_from_mi  (KwbBreakpoint    *self,
                                               const KwbMiValue *bkpt);

const char    *kwb_breakpoint_get_number      (KwbBreakpoint    *self);
const char    *kwb_breakpoint_get_location    (KwbBreakpoint    *self);
const char    *kwb_breakpoint_get_file        (KwbBreakpoint    *self);
const char    *kwb_breakpoint_get_fullname    (KwbBreakpoint    *self);
guint          kwb_breakpoint_get_line        (KwbBreakpoint    *self);
const char    *kwb_breakpoint_get_function    (KwbBreakpoint    *self);
guint64        kwb_breakpoint_get_address     (KwbBreakpoint    *self);
gboolean       kwb_breakpoint_get_enabled     (KwbBreakpoint    *self);
void           kwb_breakpoint_set_enabled     (KwbBreakpoint    *self,
                                               gboolean          enabled);
guint          kwb_breakpoint_get_hit_count   (KwbBreakpoint    *self);
gboolean       kwb_breakpoint_get_pending     (KwbBreakpoint    *self);
gboolean       kwb_breakpoint_get_hardware    (KwbBreakpoint    *self);
const char    *kwb_breakpoint_get_condition   (KwbBreakpoint    *self);
guint          kwb_breakpoint_get_n_locations (KwbBreakpoint    *self);
char          *kwb_breakpoint_dup_display     (KwbBreakpoint    *self);

G_END_DECLS
