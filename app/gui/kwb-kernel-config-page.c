/* kwb-kernel-config-page.c — the kernel configuration page: profile, debug options and the configuration check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes [kernel] profile (fast, standard or existing, with its .config),
 * and, through the rows of its .ui, the debug options and relocatable.
 * The configuration check is the doctor (kwb_kconfig_check_requests and
 * kwb_kconfig_diagnose) on BUILD/.config: run whenever the page is shown,
 * since a build may have configured since, and after "Configure Now".
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-config-option-row.h"
#include "kwb-kconfig.h"
#include "kwb-kernel-build.h"
#include "kwb-kernel-config-page.h"
#include "kwb-path-row.h"
#include "kwb-project-entry-row.h"
#include "kwb-project-page-private.h"
#include "kwb-project-switch-row.h"

enum { PROFILE_FAST, PROFILE_STANDARD, PROFILE_EXISTING };
static const char * const profiles[] = { "fast", "standard", "existing" };

struct _KwbKernelConfigPage
{
  KwbProjectPage       parent_instance;

  KwbKernelBuild      *configure_build;

  /* Template children */
  AdwComboRow         *profile_row;
  AdwEntryRow         *config_entry;
  AdwPreferencesGroup *doctor_group;
  GtkListBox          *doctor_rows;
  GtkButton           *configure_button;
  GtkSpinner          *configure_spinner;
};

G_DEFINE_FINAL_TYPE (KwbKernelConfigPage, kwb_kernel_config_page, KWB_TYPE_PROJECT_PAGE)

#define PAGE(self) KWB_PROJECT_PAGE (self)

/* --- the configuration check ------------------------------------------- */

static void
add_finding_row (KwbKernelConfigPage     *self,
                 const KwbKconfigFinding *f)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *icon;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), f->option);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (f->reason || f->advice)
    subtitle = g_strjoin (" ", f->reason ? f->reason : "", f->advice ? f->advice : "", NULL);
  else
    subtitle = g_strdup_printf (_("%s, as asked"), f->actual ? f->actual : "n");
  kwb_action_row_set_plain_subtitle (row, g_strstrip (subtitle));
  switch (f->severity)
    {
    case KWB_KCONFIG_SEVERITY_ERROR:
      icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (icon, "error");
      break;
    case KWB_KCONFIG_SEVERITY_WARNING:
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      break;
    case KWB_KCONFIG_SEVERITY_OK:
    case KWB_KCONFIG_SEVERITY_INFO:
    default:
      icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      break;
    }
  adw_action_row_add_prefix (row, icon);
  gtk_list_box_append (self->doctor_rows, GTK_WIDGET (row));
}

/* The doctor on BUILD/.config, when there is one: the requested options
 * that matter for debugging and anything the diagnosis flags. */
static void
show_doctor (KwbKernelConfigPage *self)
{
  KwbProject *project = kwb_project_page_get_project (PAGE (self));
  g_autofree char *build_dir = kwb_project_dup_path (project, "kernel", "build-dir");
  g_autofree char *config_path = build_dir ? g_build_filename (build_dir, ".config", NULL) : NULL;
  g_autoptr(KwbKconfig) config = NULL;
  g_autoptr(GPtrArray) diagnosis = NULL;
  g_autofree char *description = NULL;
  GtkWidget *child;
  guint shown = 0;
  guint n_stuck = 0;
  guint n_requests = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->doctor_rows))) != NULL)
    gtk_list_box_remove (self->doctor_rows, child);

  if (config_path == NULL || !g_file_test (config_path, G_FILE_TEST_IS_REGULAR))
    {
      adw_preferences_group_set_description (self->doctor_group,
        _("Not configured yet. Configure now to see whether every debug option sticks, "
          "or go on: the build configures first."));
      gtk_widget_set_visible (GTK_WIDGET (self->doctor_rows), FALSE);
      return;
    }
  if ((config = kwb_kconfig_new_from_file (config_path, NULL)) == NULL)
    return;

  /* What we asked for and did not stick, then the debugging diagnosis. */
  {
    g_autofree char *profile = kwb_project_dup_string (project, "kernel", "profile");
    g_autofree char *mode = kwb_project_dup_string (project, "kernel", "initramfs");
    g_autofree char *builtin = g_strcmp0 (mode, "builtin") == 0
                               ? kwb_project_dup_path (project, "initramfs", "output") : NULL;
    g_auto(GStrv) extra = kwb_project_dup_string_list (project, "kernel", "extra-config");
    g_autoptr(GPtrArray) requests = kwb_kconfig_build_requests (kwb_arch_for_project (project), profile,
                                                                kwb_project_get_boolean (project, "kernel", "relocatable"),
                                                                builtin, (const char * const *) extra, NULL);

    if (requests != NULL)
      {
        g_autoptr(GPtrArray) findings = kwb_kconfig_check_requests (config, requests, NULL);

        for (guint i = 0; i < findings->len; i++)
          {
            const KwbKconfigFinding *f = findings->pdata[i];

            if (f->stuck)
              n_stuck++;
            else
              {
                add_finding_row (self, f);
                shown++;
              }
          }
        n_requests = findings->len;
      }
  }
  diagnosis = kwb_kconfig_diagnose (config);
  for (guint i = 0; i < diagnosis->len; i++)
    {
      add_finding_row (self, diagnosis->pdata[i]);
      shown++;
    }
  description = g_strdup_printf (kwb_kconfig_findings_ok (diagnosis) && n_stuck == n_requests
                                 ? _("%s: %u of %u requested options set; ready for debugging under QEMU.")
                                 : _("%s: %u of %u requested options set; see below what stands in the way."),
                                 config_path, n_stuck, n_requests);
  adw_preferences_group_set_description (self->doctor_group, description);
  gtk_widget_set_visible (GTK_WIDGET (self->doctor_rows), shown > 0);
}

/* The build may have configured since: look again whenever shown. */
static void
on_map (KwbKernelConfigPage *self)
{
  show_doctor (self);
}

static void
on_configured (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KwbKernelConfigPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (kwb_project_page_is_disposed (PAGE (self)))
    return;
  gtk_spinner_stop (self->configure_spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->configure_button), TRUE);
  if (!kwb_kernel_build_configure_finish (KWB_KERNEL_BUILD (source), result, &error))
    kwb_project_page_show_error (PAGE (self), error->message);
  else
    kwb_project_page_show_error (PAGE (self), NULL);
  g_clear_object (&self->configure_build);
  show_doctor (self);
}

static void
on_configure_clicked (KwbKernelConfigPage *self)
{
  GCancellable *cancellable = kwb_project_page_renew_cancellable (PAGE (self));

  g_clear_object (&self->configure_build);
  self->configure_build = kwb_kernel_build_new (kwb_project_page_get_project (PAGE (self)));
  gtk_widget_set_sensitive (GTK_WIDGET (self->configure_button), FALSE);
  gtk_spinner_start (self->configure_spinner);
  adw_preferences_group_set_description (self->doctor_group,
    _("Configuring… A Debian source tarball is extracted first, which takes a few minutes once."));
  kwb_kernel_build_configure_async (self->configure_build, cancellable, on_configured, g_object_ref (self));
}

/* --- the profile ------------------------------------------------------- */

static void
on_profile_selected (KwbKernelConfigPage *self)
{
  guint i = adw_combo_row_get_selected (self->profile_row);

  gtk_widget_set_visible (GTK_WIDGET (self->config_entry), i == PROFILE_EXISTING);
  if (kwb_project_page_is_loading (PAGE (self)))
    return;
  kwb_project_page_set_value (PAGE (self), "kernel", "profile", profiles[i]);
  if (i == PROFILE_EXISTING && !kwb_project_is_set (kwb_project_page_get_project (PAGE (self)), "kernel", "config"))
    {
      kwb_project_page_show_error (PAGE (self),
                                   _("The existing profile needs a .config file: choose one (it is copied, never edited)."));
      kwb_project_page_set_complete (PAGE (self), FALSE);
      return;
    }
  kwb_project_page_show_error (PAGE (self), NULL);
  kwb_project_page_set_complete (PAGE (self), TRUE);
}

static void
on_config_apply (KwbKernelConfigPage *self)
{
  g_autofree char *path = kwb_project_page_absolute_path (PAGE (self),
                                                          gtk_editable_get_text (GTK_EDITABLE (self->config_entry)));
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbKconfig) config = path ? kwb_kconfig_new_from_file (path, &error) : NULL;

  if (config == NULL)
    {
      kwb_project_page_show_error (PAGE (self), error ? error->message : _("Type or choose a .config file."));
      kwb_project_page_set_complete (PAGE (self), FALSE);
      return;
    }
  kwb_project_page_set_value (PAGE (self), "kernel", "config", path);
  kwb_project_page_show_error (PAGE (self), NULL);
  kwb_project_page_set_complete (PAGE (self), TRUE);
}

/* --- object ------------------------------------------------------------ */

static void
kwb_kernel_config_page_load (KwbProjectPage *page)
{
  KwbKernelConfigPage *self = KWB_KERNEL_CONFIG_PAGE (page);
  KwbProject *project = kwb_project_page_get_project (page);
  g_autofree char *profile = kwb_project_dup_string (project, "kernel", "profile");
  g_autofree char *config = kwb_project_dup_path (project, "kernel", "config");
  guint selected = PROFILE_FAST;

  gtk_editable_set_text (GTK_EDITABLE (self->config_entry), config ? config : "");
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (g_strcmp0 (profile, profiles[i]) == 0)
      selected = i;
  adw_combo_row_set_selected (self->profile_row, selected);
  gtk_widget_set_visible (GTK_WIDGET (self->config_entry), selected == PROFILE_EXISTING);
  kwb_project_page_set_complete (page, selected != PROFILE_EXISTING || config != NULL);
  show_doctor (self);
}

static char *
kwb_kernel_config_page_dup_summary (KwbProjectPage *page)
{
  KwbProject *p = kwb_project_page_get_project (page);
  g_autofree char *profile = kwb_project_dup_string (p, "kernel", "profile");
  g_auto(GStrv) extra = kwb_project_dup_string_list (p, "kernel", "extra-config");

  return g_strdup_printf (_("%s profile with the debug options, %u extra lines"),
                          profile, extra ? g_strv_length (extra) : 0);
}

static void
kwb_kernel_config_page_dispose (GObject *object)
{
  KwbKernelConfigPage *self = KWB_KERNEL_CONFIG_PAGE (object);

  g_clear_object (&self->configure_build);
  gtk_widget_dispose_template (GTK_WIDGET (object), KWB_TYPE_KERNEL_CONFIG_PAGE);
  G_OBJECT_CLASS (kwb_kernel_config_page_parent_class)->dispose (object);
}

static void
kwb_kernel_config_page_class_init (KwbKernelConfigPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KwbProjectPageClass *page_class = KWB_PROJECT_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kwb_kernel_config_page_dispose;
  page_class->load = kwb_kernel_config_page_load;
  page_class->dup_summary = kwb_kernel_config_page_dup_summary;

  g_type_ensure (KWB_TYPE_CONFIG_OPTION_ROW);
  g_type_ensure (KWB_TYPE_PATH_ROW);
  g_type_ensure (KWB_TYPE_PROJECT_ENTRY_ROW);
  g_type_ensure (KWB_TYPE_PROJECT_SWITCH_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kwb/KernelWorkbench/kwb-kernel-config-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbKernelConfigPage, profile_row);
  gtk_widget_class_bind_template_child (widget_class, KwbKernelConfigPage, config_entry);
  gtk_widget_class_bind_template_child (widget_class, KwbKernelConfigPage, doctor_group);
  gtk_widget_class_bind_template_child (widget_class, KwbKernelConfigPage, doctor_rows);
  gtk_widget_class_bind_template_child (widget_class, KwbKernelConfigPage, configure_button);
  gtk_widget_class_bind_template_child (widget_class, KwbKernelConfigPage, configure_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_map);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_config_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_configure_clicked);
}

static void
kwb_kernel_config_page_init (KwbKernelConfigPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its id, by which the wizard's stack and the tests find the page. */
  gtk_widget_set_name (GTK_WIDGET (self), "kernel");
}
