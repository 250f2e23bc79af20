/* kwb-welcome.h — recent projects and the New / Open buttons, for windows without a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KWB_TYPE_WELCOME (kwb_welcome_get_type ())
G_DECLARE_FINAL_TYPE (KwbWelcome, kwb_welcome, KWB, WELCOME, GtkBox)

GtkWidget *kwb_welcome_new             (void);
void       kwb_welcome_set_show_buttons (KwbWelcome *self,
                                         gboolean    show_buttons);

G_END_DECLS
