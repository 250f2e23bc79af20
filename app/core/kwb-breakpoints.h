/* kwb-breakpoints.h — the session's breakpoints as a GListModel, in step with GDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-breakpoint.h"
#include "kwb-mi-record.h"

G_BEGIN_DECLS

#define KWB_TYPE_BREAKPOINTS (kwb_breakpoints_get_type ())
G_DECLARE_FINAL_TYPE (KwbBreakpoints, kwb_breakpoints, KWB, BREAKPOINTS, GObject)

KwbBreakpoints *kwb_breakpoints_new             (void);
KwbBreakpoint  *kwb_breakpoints_update          (KwbBreakpoints   *self,
                                                 const KwbMiValue *bkpt);
gboolean        kwb_breakpoints_remove          (KwbBreakpoints   *self,
                                                 const char       *number);
void            kwb_breakpoints_clear           (KwbBreakpoints   *self);
KwbBreakpoint  *kwb_breakpoints_lookup          (KwbBreakpoints   *self,
                                                 const char       *number);
KwbBreakpoint  *kwb_breakpoints_find_line       (KwbBreakpoints   *self,
                                                 const char       *fullname,
                                                 guint             line);
void            kwb_breakpoints_add_internal    (KwbBreakpoints   *self,
                                                 const char       *number);
gboolean        kwb_breakpoints_is_internal     (KwbBreakpoints   *self,
                                                 const char       *number);
/* The debug registers the enabled hardware breakpoints and watchpoints
 * take (of KWB_BREAKPOINT_DEBUG_REGISTERS); "hardware-slots-used" notifies. */
guint           kwb_breakpoints_get_hardware_slots_used (KwbBreakpoints *self);

G_END_DECLS
