/* kwb-project-switch-row.c — a row that edits one project key with a switch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For a boolean key, saved as the user flips it (see KwbProjectRow). The
 * switch is named KEY_switch (dashes as underscores).
 */
#include "config.h"

#include "kwb-project-switch-row.h"

struct _KwbProjectSwitchRow
{
  KwbProjectRow  parent_instance;

  GtkSwitch     *toggle;
};

G_DEFINE_FINAL_TYPE (KwbProjectSwitchRow, kwb_project_switch_row, KWB_TYPE_PROJECT_ROW)

static void
on_active (KwbProjectSwitchRow *self)
{
  kwb_project_row_save (KWB_PROJECT_ROW (self), gtk_switch_get_active (self->toggle) ? "true" : "false");
}

static void
kwb_project_switch_row_load (KwbProjectRow *row)
{
  KwbProjectSwitchRow *self = KWB_PROJECT_SWITCH_ROW (row);
  g_autofree char *name = kwb_project_row_dup_control_name (row, "switch");

  gtk_widget_set_name (GTK_WIDGET (self->toggle), name);
  gtk_switch_set_active (self->toggle, kwb_project_get_boolean (kwb_project_row_get_project (row),
                                                                kwb_project_row_get_group (row),
                                                                kwb_project_row_get_key (row)));
}

static void
kwb_project_switch_row_class_init (KwbProjectSwitchRowClass *klass)
{
  KWB_PROJECT_ROW_CLASS (klass)->load = kwb_project_switch_row_load;
}

static void
kwb_project_switch_row_init (KwbProjectSwitchRow *self)
{
  self->toggle = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->toggle), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->toggle));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->toggle));
  g_signal_connect_object (self->toggle, "notify::active", G_CALLBACK (on_active), self, G_CONNECT_SWAPPED);
}
