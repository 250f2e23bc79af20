/* kwb-log-record.h — one record of the guest kernel's printk log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An immutable item of KwbKernelLog: what printk stored (sequence number,
 * level, facility, timestamp, caller, text) plus whether the record arrived
 * since the previous stop. The text is always valid UTF-8: bytes that are
 * not come out as "\xNN", as the kernel's own dmesg escapes them.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KWB_TYPE_LOG_RECORD (kwb_log_record_get_type ())
G_DECLARE_FINAL_TYPE (KwbLogRecord, kwb_log_record, KWB, LOG_RECORD, GObject)

/* TEXT (LENGTH bytes, -1 for NUL-terminated) may hold any bytes. */
KwbLogRecord *kwb_log_record_new           (guint64       seq,
                                            guint         level,
                                            guint         facility,
                                            guint64       time_ns,
                                            guint32       caller_id,
                                            const char   *text,
                                            gssize        length,
                                            gboolean      is_new);
guint64       kwb_log_record_get_seq       (KwbLogRecord *self);
/* 0 (KERN_EMERG) … 7 (KERN_DEBUG) */
guint         kwb_log_record_get_level     (KwbLogRecord *self);
guint         kwb_log_record_get_facility  (KwbLogRecord *self);
guint64       kwb_log_record_get_time_ns   (KwbLogRecord *self);
/* printk's caller id: bit 31 set for a CPU number ("C0"), else a task id
 * ("T123"); 0 when the kernel does not record callers. */
guint32       kwb_log_record_get_caller_id (KwbLogRecord *self);
const char   *kwb_log_record_get_text      (KwbLogRecord *self);
gboolean      kwb_log_record_get_is_new    (KwbLogRecord *self);
/* "[   12.345678] <6> text", one such line per line of the text. */
char         *kwb_log_record_format        (KwbLogRecord *self);

G_END_DECLS
