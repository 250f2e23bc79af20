/* kwb-json.h — a small JSON reader for QMP replies, into GVariant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * QMP speaks JSON; the core has no JSON library (its dependencies are GLib
 * and libgit2 only), and QMP needs little: objects, arrays, strings, numbers,
 * booleans, null. Objects become a{sv}, arrays av, strings s, integers x,
 * other numbers d, booleans b, null mv (nothing).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KWB_JSON_ERROR (kwb_json_error_quark ())

typedef enum {
  KWB_JSON_ERROR_INVALID,
} KwbJsonError;

GQuark    kwb_json_error_quark  (void);
GVariant *kwb_json_parse        (const char  *text,
                                 gssize       length,
                                 GError     **error);
char     *kwb_json_quote        (const char  *text);
char     *kwb_json_dup_string   (GVariant    *object,
                                 const char  *path);

G_END_DECLS
