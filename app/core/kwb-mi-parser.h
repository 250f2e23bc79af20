/* kwb-mi-parser.h — streaming parser of GDB/MI 3 output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feed it GDB's stdout in chunks of any size, split anywhere; it calls FUNC
 * with one KwbMiRecord per complete line, the same records whatever the
 * split. Lines end at LF, CR or CR LF; empty lines give no record. A line
 * that is not MI gives one KWB_MI_RECORD_ERROR (the offending text cut to
 * KWB_MI_ERROR_TEXT_MAX bytes) and parsing goes on at the next line.
 *
 * Cost: every byte is looked at a bounded number of times, one allocation
 * per record (see kwb-mi-record.h); the parser keeps at most one partial
 * line (up to max-line-length bytes) plus scratch space of the same order.
 */
#pragma once

#include <glib-object.h>

#include "kwb-mi-record.h"

G_BEGIN_DECLS

#define KWB_MI_ERROR_TEXT_MAX   256
#define KWB_MI_MAX_DEPTH        1024
#define KWB_MI_DEFAULT_MAX_LINE (256 * 1024 * 1024)

/* RECORD is borrowed: take a ref to keep it. */
typedef void (*KwbMiRecordFunc) (KwbMiRecord *record,
                                 gpointer     user_data);

#define KWB_TYPE_MI_PARSER (kwb_mi_parser_get_type ())

G_DECLARE_FINAL_TYPE (KwbMiParser, kwb_mi_parser, KWB, MI_PARSER, GObject)

KwbMiParser  *kwb_mi_parser_new                  (void);
/* Longer lines become an error record (default KWB_MI_DEFAULT_MAX_LINE). */
void          kwb_mi_parser_set_max_line_length  (KwbMiParser     *self,
                                                  gsize            max_line_length);
void          kwb_mi_parser_feed                 (KwbMiParser     *self,
                                                  const char      *data,
                                                  gsize            len,
                                                  KwbMiRecordFunc  func,
                                                  gpointer         user_data);
/* End of input: a last line without a newline is parsed too. */
void          kwb_mi_parser_finish               (KwbMiParser     *self,
                                                  KwbMiRecordFunc  func,
                                                  gpointer         user_data);
/* Parses exactly one line (without its newline); NULL if the line is empty.
 * Handy for tests and one-off strings. */
KwbMiRecord  *kwb_mi_parse_line                  (const char      *line,
                                                  gssize           len);

G_END_DECLS
