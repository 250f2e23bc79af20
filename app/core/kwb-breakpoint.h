/* kwb-breakpoint.h — one breakpoint as GDB reports it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "kwb-mi-record.h"

G_BEGIN_DECLS

/* x86's debug registers DR0–DR3: what hardware breakpoints and watchpoints
 * share. QEMU's TCG stub would take more, KVM and real machines cannot. */
#define KWB_BREAKPOINT_DEBUG_REGISTERS 4

typedef enum {
  KWB_BREAKPOINT_KIND_BREAKPOINT,     /* software: an int3 in the guest's code */
  KWB_BREAKPOINT_KIND_HARDWARE,       /* hbreak: one debug register */
  KWB_BREAKPOINT_KIND_WATCH_WRITE,    /* hardware watchpoints: debug registers */
  KWB_BREAKPOINT_KIND_WATCH_READ,
  KWB_BREAKPOINT_KIND_WATCH_ACCESS,
  KWB_BREAKPOINT_KIND_WATCH_SOFTWARE, /* GDB single-steps the guest and compares */
  KWB_BREAKPOINT_KIND_OTHER,          /* dprintf, catchpoints typed in the console */
} KwbBreakpointKind;

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
void           kwb_breakpoint_discount_hit    (KwbBreakpoint    *self);
gboolean       kwb_breakpoint_get_pending     (KwbBreakpoint    *self);
gboolean       kwb_breakpoint_get_hardware    (KwbBreakpoint    *self);
const char    *kwb_breakpoint_get_condition   (KwbBreakpoint    *self);
guint          kwb_breakpoint_get_n_locations (KwbBreakpoint    *self);
char          *kwb_breakpoint_dup_display     (KwbBreakpoint    *self);

KwbBreakpointKind kwb_breakpoint_get_kind     (KwbBreakpoint    *self);
gboolean       kwb_breakpoint_is_watchpoint   (KwbBreakpoint    *self);
/* A watchpoint's expression as GDB has it ("jiffies"); NULL for others. */
const char    *kwb_breakpoint_get_expression  (KwbBreakpoint    *self);
/* How many debug registers it takes while enabled: one per location of a
 * hardware breakpoint, what the watched bytes need for a watchpoint (see
 * kwb_breakpoint_count_debug_registers; 1 until the session says), 0 for
 * software ones. */
guint          kwb_breakpoint_get_hardware_slots (KwbBreakpoint *self);
void           kwb_breakpoint_set_hardware_slots (KwbBreakpoint *self,
                                                  guint          slots);
/* What a watchpoint saw at its last stop (GDB's new value, or the value
 * read); NULL before. The session sets it: GDB's records do not carry it. */
const char    *kwb_breakpoint_get_value       (KwbBreakpoint    *self);
void           kwb_breakpoint_set_value       (KwbBreakpoint    *self,
                                               const char       *value);
/* "breakpoint", "hw-breakpoint", "write", "read", "access", "software-watch",
 * "other": stable names for JSON and tests. */
const char    *kwb_breakpoint_kind_to_string  (KwbBreakpointKind kind);

/* The debug registers that watching LENGTH bytes at ADDRESS takes: each
 * covers 1, 2, 4 or 8 naturally aligned bytes (as GDB splits it). */
guint          kwb_breakpoint_count_debug_registers (guint64     address,
                                                     guint64     length);

G_END_DECLS
