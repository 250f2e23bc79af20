/* kwb-cli-json.h — one JSON object per line on stdout, for --json output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kwb_cli_json_begin() opens {"event":EVENT, the caller adds members,
 * kwb_cli_json_print() closes the object and prints it as one line. Text
 * that may not be UTF-8 (the guest's console, its memory) goes through
 * kwb_cli_json_add_text(), which escapes such bytes as kwb mi parse does.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonBuilder *kwb_cli_json_begin    (const char  *event);
void         kwb_cli_json_print    (JsonBuilder *builder);
void         kwb_cli_json_add_text (JsonBuilder *builder,
                                    const char  *name,
                                    const char  *text,
                                    gssize       length);
void         kwb_cli_json_add_int  (JsonBuilder *builder,
                                    const char  *name,
                                    gint64       value);
void         kwb_cli_json_add_bool (JsonBuilder *builder,
                                    const char  *name,
                                    gboolean     value);

G_END_DECLS
