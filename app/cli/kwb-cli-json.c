/* kwb-cli-json.c — one JSON object per line on stdout, for --json output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See kwb-cli-json.h.
 */
#include "config.h"

#include <stdio.h>

#include "kwb-cli-json.h"
#include "kwb-core.h"

JsonBuilder *
kwb_cli_json_begin (const char *event)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, event);
  return b;
}

void
kwb_cli_json_print (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  line = kwb_json_to_line (root);
  printf ("%s\n", line);
}

void
kwb_cli_json_add_text (JsonBuilder *b,
                       const char  *name,
                       const char  *text,
                       gssize       length)
{
  json_builder_set_member_name (b, name);
  kwb_json_builder_add_bytes (b, text, length);
}

void
kwb_cli_json_add_int (JsonBuilder *b,
                      const char  *name,
                      gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

void
kwb_cli_json_add_bool (JsonBuilder *b,
                       const char  *name,
                       gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}
