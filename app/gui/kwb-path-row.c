/* kwb-path-row.c — an entry row for a path, with a Choose… button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For a path that is checked before it is saved (a kernel tree, a BusyBox
 * binary, a .config): the page listens to "apply", which comes from Enter,
 * the apply button or a file chosen with the button at the end. The
 * chooser is a native one, folder or file by "action" (GtkFileDialog is
 * GTK 4.10; Debian 12 has 4.8).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-path-row.h"

struct _KwbPathRow
{
  AdwEntryRow           parent_instance;

  GtkFileChooserAction  action;
};

G_DEFINE_FINAL_TYPE (KwbPathRow, kwb_path_row, ADW_TYPE_ENTRY_ROW)

enum {
  PROP_0,
  PROP_ACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     KwbPathRow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          gtk_editable_set_text (GTK_EDITABLE (self), path);
          g_signal_emit_by_name (self, "apply");
        }
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
on_choose_clicked (KwbPathRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        self->action, _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
kwb_path_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KwbPathRow *self = KWB_PATH_ROW (object);

  switch (prop_id)
    {
    case PROP_ACTION:
      g_value_set_enum (value, self->action);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_path_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  KwbPathRow *self = KWB_PATH_ROW (object);

  switch (prop_id)
    {
    case PROP_ACTION:
      self->action = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_path_row_class_init (KwbPathRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = kwb_path_row_get_property;
  object_class->set_property = kwb_path_row_set_property;

  properties[PROP_ACTION] =
    g_param_spec_enum ("action", NULL, NULL, GTK_TYPE_FILE_CHOOSER_ACTION, GTK_FILE_CHOOSER_ACTION_OPEN,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_path_row_init (KwbPathRow *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("document-open-symbolic");

  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self), TRUE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Choose…"));
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_choose_clicked), self, G_CONNECT_SWAPPED);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self), button);
}
