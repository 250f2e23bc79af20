/* kwb-variable.h — one local variable or argument of a stack frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KWB_TYPE_VARIABLE (kwb_variable_get_type ())
G_DECLARE_FINAL_TYPE (KwbVariable, kwb_variable, KWB, VARIABLE, GObject)

KwbVariable *kwb_variable_new             (const char  *name,
                                           const char  *type,
                                           const char  *value,
                                           gboolean     is_argument);
const char  *kwb_variable_get_name        (KwbVariable *self);
const char  *kwb_variable_get_type_name   (KwbVariable *self);
const char  *kwb_variable_get_value       (KwbVariable *self);
gboolean     kwb_variable_get_is_argument (KwbVariable *self);

G_END_DECLS
