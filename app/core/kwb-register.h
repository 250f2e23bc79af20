/* kwb-register.h — one CPU register of the stopped guest and its value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KWB_TYPE_REGISTER (kwb_register_get_type ())
G_DECLARE_FINAL_TYPE (KwbRegister, kwb_register, KWB, REGISTER, GObject)

KwbRegister *kwb_register_new        (guint        number,
                                      const char  *name,
                                      const char  *value);
guint        kwb_register_get_number (KwbRegister *self);
const char  *kwb_register_get_name   (KwbRegister *self);
const char  *kwb_register_get_value  (KwbRegister *self);

G_END_DECLS
