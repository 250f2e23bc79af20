/* kwb-trust-dialog.c — asks before a project not trusted here may run its programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application's face of kwb-project-trust.c: opening a project that was
 * not created on this computer, or whose programs were changed outside the
 * application, shows why, and the list of what it would run (the same list
 * kwb prints), with "Trust and Open" and "Cancel". Cancel is the default, so
 * a stray Enter opens nothing. Trusting is recorded, so the project is asked
 * about once. Whoever opens the project connects to ::decided and opens it
 * only when told TRUE; the window and the wizard's resume both do.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-project-trust.h"
#include "kwb-trust-dialog.h"

struct _KwbTrustDialog
{
  AdwMessageDialog  parent_instance;
  KwbProject       *project;
};

G_DEFINE_FINAL_TYPE (KwbTrustDialog, kwb_trust_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  DECIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_response (KwbTrustDialog *self,
             const char     *response)
{
  gboolean trusted = g_strcmp0 (response, "trust") == 0;

  if (trusted)
    {
      g_autoptr(GError) error = NULL;

      /* Trusted for this session even when the record cannot be written;
       * the next opening then asks again, and its dialog says why. */
      if (!kwb_project_trust_grant (self->project, &error))
        g_message ("%s", error->message);
    }
  g_signal_emit (self, signals[DECIDED], 0, trusted);
}

static void
kwb_trust_dialog_dispose (GObject *object)
{
  KwbTrustDialog *self = KWB_TRUST_DIALOG (object);

  g_clear_object (&self->project);
  G_OBJECT_CLASS (kwb_trust_dialog_parent_class)->dispose (object);
}

static void
kwb_trust_dialog_class_init (KwbTrustDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_trust_dialog_dispose;

  /**
   * KwbTrustDialog::decided:
   * @trusted: TRUE when the user chose "Trust and Open" (trust is granted
   *   by then)
   */
  signals[DECIDED] =
    g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
kwb_trust_dialog_init (KwbTrustDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  adw_message_dialog_set_heading (dialog, _("Trust This Project?"));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "trust", _("_Trust and Open"),
                                    NULL);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

KwbTrustDialog *
kwb_trust_dialog_new (GtkWindow  *parent,
                      KwbProject *project)
{
  KwbTrustDialog *self;
  g_autoptr(GError) why = NULL;
  g_auto(GStrv) runs = NULL;
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *body = NULL;
  GtkWidget *label;

  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);

  self = g_object_new (KWB_TYPE_TRUST_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->project = g_object_ref (project);

  kwb_project_trust_check (project, &why);
  body = g_strdup_printf ("%s\n\n%s", why ? why->message : "",
                          _("Opening it lets it run these on this computer, as you:"));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  runs = kwb_project_trust_dup_runs (project);
  for (guint i = 0; runs[i] != NULL; i++)
    g_string_append_printf (list, "%s• %s", i ? "\n" : "", runs[i]);
  label = gtk_label_new (list->str);
  gtk_widget_set_name (label, "trust_runs");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), label);
  return self;
}

KwbProject *
kwb_trust_dialog_get_project (KwbTrustDialog *self)
{
  g_return_val_if_fail (KWB_IS_TRUST_DIALOG (self), NULL);
  return self->project;
}
