/* kwb-mi-record-private.h — the layout of a record, shared by the parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parser builds records directly in this layout: one refcounted block
 * holding the KwbMiRecord, then every KwbMiValue (the children of each
 * tuple or list contiguous, so that kwb_mi_value_get_nth is O(1)), then every
 * string byte.
 */
#pragma once

#include "kwb-mi-record.h"

G_BEGIN_DECLS

struct _KwbMiValue {
  const char *key;                 /* NULL: an item of a list of values */
  union {
    const char       *string;      /* KWB_MI_VALUE_STRING, NUL-terminated */
    const KwbMiValue *children;    /* tuples and lists */
  } u;
  guint32     len;                 /* string bytes, or number of children */
  guint32     kind;                /* KwbMiValueKind */
};

struct _KwbMiRecord {
  KwbMiRecordType  type;
  guint            column;         /* error records */
  gboolean         has_token;
  guint64          token;
  const char      *klass;
  const char      *text;           /* stream text, or error line */
  gsize            text_len;
  const char      *error;          /* error records: a static message */
  KwbMiValue       results;        /* a tuple */
};

G_END_DECLS
