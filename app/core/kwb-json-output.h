/* kwb-json-output.h — JSON lines through json-glib, with every byte of the input kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void   kwb_json_builder_add_bytes  (JsonBuilder *builder,
                                    const char  *data,
                                    gssize       length);
char  *kwb_json_to_line            (JsonNode    *node);

G_END_DECLS
