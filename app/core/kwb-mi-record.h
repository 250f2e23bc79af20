/* kwb-mi-record.h — one parsed GDB/MI output record and its values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Records are plain reference-counted structs (a GBoxed type), not GObjects:
 * the parser makes one per output line, tens of thousands a second, and
 * nothing ever needs to observe a record. A record and every value, key and
 * string inside it live in ONE allocation; a KwbMiValue is borrowed from its
 * record and valid as long as the record is (keep a ref on the record).
 *
 * A value is a string (a decoded c-string: the original bytes, may hold NUL
 * bytes, always NUL-terminated), a tuple `{a=…,b=…}` or a list `[…]`.
 * Every value may carry a key: the children of a tuple and of a list of
 * results have one, the items of a list of values do not. Duplicate keys are
 * kept, in order (GDB repeats keys, e.g. `bkpt=` entries and multi-location
 * breakpoints). The results of a record form a tuple (the root value).
 *
 * Paths: "frame.fullname", "bkpt.locations.1.addr", "stack.0.line".
 * A component names a key (the first child with that key) or, if it is all
 * digits, the Nth child of a tuple or list.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  KWB_MI_RECORD_RESULT,   /* TOKEN^class,results */
  KWB_MI_RECORD_EXEC,     /* TOKEN*class,results */
  KWB_MI_RECORD_STATUS,   /* TOKEN+class,results */
  KWB_MI_RECORD_NOTIFY,   /* TOKEN=class,results */
  KWB_MI_RECORD_CONSOLE,  /* ~"text" */
  KWB_MI_RECORD_TARGET,   /* @"text" */
  KWB_MI_RECORD_LOG,      /* &"text" */
  KWB_MI_RECORD_PROMPT,   /* (gdb) */
  KWB_MI_RECORD_ERROR,    /* a line that is not MI: see get_error / get_text */
} KwbMiRecordType;

typedef enum {
  KWB_MI_VALUE_STRING,
  KWB_MI_VALUE_TUPLE,
  KWB_MI_VALUE_LIST,
} KwbMiValueKind;

typedef struct _KwbMiRecord KwbMiRecord;
typedef struct _KwbMiValue  KwbMiValue;

#define KWB_TYPE_MI_RECORD (kwb_mi_record_get_type ())

GType              kwb_mi_record_get_type       (void) G_GNUC_CONST;
KwbMiRecord       *kwb_mi_record_ref            (KwbMiRecord       *record);
void               kwb_mi_record_unref          (KwbMiRecord       *record);

KwbMiRecordType    kwb_mi_record_get_record_type (const KwbMiRecord *record);
const char        *kwb_mi_record_type_to_string (KwbMiRecordType    type);
gboolean           kwb_mi_record_has_token      (const KwbMiRecord *record);
guint64            kwb_mi_record_get_token      (const KwbMiRecord *record);
/* "done", "stopped", "breakpoint-created", …; NULL for streams, prompt, error */
const char        *kwb_mi_record_get_class      (const KwbMiRecord *record);
gboolean           kwb_mi_record_is_class       (const KwbMiRecord *record,
                                                 const char        *klass);
/* Stream records: the decoded text. Error records: the offending line,
 * truncated to KWB_MI_ERROR_TEXT_MAX bytes. NULL otherwise. */
const char        *kwb_mi_record_get_text       (const KwbMiRecord *record,
                                                 gsize             *len);
/* Error records: what is wrong and the byte column where it was seen. */
const char        *kwb_mi_record_get_error      (const KwbMiRecord *record,
                                                 guint             *column);
/* The results as a tuple; never NULL (empty for records without results). */
const KwbMiValue  *kwb_mi_record_get_results    (const KwbMiRecord *record);

/* Shorthands for kwb_mi_value_*(kwb_mi_record_get_results (record), path…) */
const KwbMiValue  *kwb_mi_record_get            (const KwbMiRecord *record,
                                                 const char        *path);
const char        *kwb_mi_record_get_string     (const KwbMiRecord *record,
                                                 const char        *path);
gint64             kwb_mi_record_get_int        (const KwbMiRecord *record,
                                                 const char        *path,
                                                 gint64             default_value);

KwbMiValueKind     kwb_mi_value_get_kind        (const KwbMiValue  *value);
const char        *kwb_mi_value_get_key         (const KwbMiValue  *value);
guint              kwb_mi_value_get_n_children  (const KwbMiValue  *value);
const KwbMiValue  *kwb_mi_value_get_nth         (const KwbMiValue  *value,
                                                 guint              n);
/* The value at PATH below VALUE (NULL or "" is VALUE itself); NULL if absent. */
const KwbMiValue  *kwb_mi_value_get             (const KwbMiValue  *value,
                                                 const char        *path);
/* The string at PATH; NULL if absent or not a string. */
const char        *kwb_mi_value_get_string      (const KwbMiValue  *value,
                                                 const char        *path);
const char        *kwb_mi_value_get_string_len  (const KwbMiValue  *value,
                                                 const char        *path,
                                                 gsize             *len);
/* The string at PATH as an integer ("12", "-3", "0x7ffe…"); DEFAULT_VALUE
 * if absent, not a string or not a whole number. */
gint64             kwb_mi_value_get_int         (const KwbMiValue  *value,
                                                 const char        *path,
                                                 gint64             default_value);
gboolean           kwb_mi_value_get_uint64      (const KwbMiValue  *value,
                                                 const char        *path,
                                                 guint64           *out);

/* The record as JSON (the format `kwb mi parse` prints, one per line):
 *   {"type":"result|exec|status|notify","token":N|null,"class":"…","results":PAIRS}
 *   {"type":"console|target|log","text":"…"}   {"type":"prompt"}
 *   {"type":"error","error":"…","column":N,"text":"…"}
 * PAIRS is an array of [key, value] pairs, in GDB's order, duplicates kept.
 * A value is a JSON string, {"tuple":PAIRS} or {"list":[…]} whose items are
 * values, or [key, value] pairs for a list of results. A key GDB left out
 * is null; so is a token above 2^63 - 1. Strings: UTF-8 as is; a byte that
 * is not UTF-8 is written as a lone surrogate \udc80–\udcff (Python's
 * "surrogateescape"), so write the tree with kwb_json_to_line(). */
JsonNode          *kwb_mi_record_to_json        (const KwbMiRecord *record);
/* kwb_mi_record_to_json() written as one line, without the newline. */
void               kwb_mi_record_append_json    (const KwbMiRecord *record,
                                                 GString           *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbMiRecord, kwb_mi_record_unref)

G_END_DECLS
