/* kwb-wizard.c — the new-project assistant: welcome, five choice pages, summary and build
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pages: welcome, source, busybox, initramfs, kernel, machine, summary. The
 * choice pages are KwbProjectPage, the same widgets Project Settings shows;
 * they save the project on every change. The page shown is saved too, as
 * [project] wizard-page, so a wizard closed half-way reopens where it was
 * (KwbApplication opens a project with a wizard-page in the wizard). Start
 * Debugging clears it, emits "finished" and closes the wizard; a build
 * error row emits "location-activated". The wizard opens no other window:
 * whoever made it (KwbApplication) opens the main window on the project for
 * those, so the wizard needs to know nothing of the application.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-project-page.h"
#include "kwb-project-trust.h"
#include "kwb-recent-projects.h"
#include "kwb-summary-page.h"
#include "kwb-welcome.h"
#include "kwb-wizard.h"

static const char * const page_order[] = {
  "welcome", "source", "busybox", "initramfs", "kernel", "machine", "summary",
};

struct _KwbWizard
{
  AdwApplicationWindow  parent_instance;

  KwbProject           *project;
  KwbProjectPage       *pages[KWB_N_PROJECT_PAGES];
  KwbSummaryPage       *summary;

  /* Template children */
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  GtkButton            *back_button;
  GtkButton            *next_button;
  AdwEntryRow          *folder_entry;
  GtkLabel             *welcome_error;
  GtkImage             *welcome_icon;
};

G_DEFINE_FINAL_TYPE (KwbWizard, kwb_wizard, ADW_TYPE_APPLICATION_WINDOW)

enum {
  FINISHED,
  LOCATION_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
page_index (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_order); i++)
    if (g_strcmp0 (page_order[i], id) == 0)
      return i;
  return 0;
}

static KwbProjectPage *
current_choice_page (KwbWizard *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  return KWB_IS_PROJECT_PAGE (child) ? KWB_PROJECT_PAGE (child) : NULL;
}

static void
update_buttons (KwbWizard *self)
{
  const char *id = gtk_stack_get_visible_child_name (self->stack);
  guint i = page_index (id);
  KwbProjectPage *page = current_choice_page (self);
  gboolean building = self->summary != NULL && kwb_summary_page_get_building (self->summary);
  g_autofree char *subtitle = NULL;
  const char *title;

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), i > 1);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), i > 0 && i < G_N_ELEMENTS (page_order) - 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                 page != NULL && kwb_project_page_get_complete (page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", i > 1 && !building);

  if (page != NULL)
    title = adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (page));
  else if (i == 0)
    title = _("New Kernel Project");
  else
    title = _("Summary and Build");
  adw_window_title_set_title (self->window_title, title);
  if (i > 0)
    /* Translators: the wizard's progress, “Step 2 of 7”. */
    subtitle = g_strdup_printf (_("Step %u of %u"), i + 1, (guint) G_N_ELEMENTS (page_order));
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

void
kwb_wizard_set_page (KwbWizard  *self,
                     const char *page)
{
  g_return_if_fail (KWB_IS_WIZARD (self));

  if (gtk_stack_get_child_by_name (self->stack, page) == NULL)
    page = self->project ? "source" : "welcome";
  if (g_str_equal (page, "summary"))
    kwb_summary_page_fill (self->summary, self->pages, G_N_ELEMENTS (self->pages));
  gtk_stack_set_visible_child_name (self->stack, page);
  if (self->project != NULL && !g_str_equal (page, "welcome"))
    {
      g_autoptr(GError) error = NULL;

      kwb_project_set_string (self->project, "project", "wizard-page", page);
      if (!kwb_project_save (self->project, &error))
        g_warning ("Could not save the project: %s", error->message);
    }
  update_buttons (self);
}

const char *
kwb_wizard_get_page (KwbWizard *self)
{
  g_return_val_if_fail (KWB_IS_WIZARD (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
kwb_wizard_get_page_widget (KwbWizard  *self,
                            const char *page)
{
  g_return_val_if_fail (KWB_IS_WIZARD (self), NULL);
  return gtk_stack_get_child_by_name (self->stack, page);
}

KwbProject *
kwb_wizard_get_project (KwbWizard *self)
{
  g_return_val_if_fail (KWB_IS_WIZARD (self), NULL);
  return self->project;
}

static void
on_page_complete (KwbProjectPage *page,
                  GParamSpec     *pspec,
                  KwbWizard      *self)
{
  update_buttons (self);
}

static void
on_building (KwbWizard *self)
{
  update_buttons (self);
}

static void
on_location_activated (KwbSummaryPage *summary,
                       const char     *file,
                       guint           line,
                       KwbWizard      *self)
{
  g_signal_emit (self, signals[LOCATION_ACTIVATED], 0, file, line);
}

static void
on_start_requested (KwbWizard *self)
{
  g_autoptr(GError) error = NULL;

  kwb_project_set_string (self->project, "project", "wizard-page", "");
  if (!kwb_project_save (self->project, &error))
    g_warning ("Could not save the project: %s", error->message);
  g_signal_emit (self, signals[FINISHED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
kwb_wizard_set_project (KwbWizard  *self,
                        KwbProject *project)
{
  g_autofree char *name = NULL;

  g_return_if_fail (self->project == NULL);
  self->project = g_object_ref (project);
  for (guint i = 0; i < G_N_ELEMENTS (self->pages); i++)
    {
      self->pages[i] = kwb_project_page_new (project, i);
      g_signal_connect_object (self->pages[i], "notify::complete", G_CALLBACK (on_page_complete), self, 0);
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->pages[i]), kwb_project_page_get_id (self->pages[i]));
    }
  self->summary = kwb_summary_page_new (project);
  g_signal_connect_object (self->summary, "notify::building", G_CALLBACK (on_building), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->summary, "start-requested", G_CALLBACK (on_start_requested), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->summary, "location-activated", G_CALLBACK (on_location_activated), self, 0);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->summary), "summary");
  name = kwb_project_dup_name (project);
  gtk_window_set_title (GTK_WINDOW (self), name);
  kwb_recent_projects_add (kwb_project_get_directory (project));
}

/**
 * kwb_wizard_create_project:
 * @directory: created if missing; a folder that is a project already is
 *   opened and its setup continued
 */
gboolean
kwb_wizard_create_project (KwbWizard   *self,
                           const char  *directory,
                           GError     **error)
{
  g_autoptr(KwbProject) project = NULL;
  g_autofree char *file = NULL;

  g_return_val_if_fail (KWB_IS_WIZARD (self), FALSE);
  g_return_val_if_fail (self->project == NULL, FALSE);

  file = g_build_filename (directory, KWB_PROJECT_FILE_NAME, NULL);
  if (g_file_test (file, G_FILE_TEST_EXISTS))
    {
      /* The wizard builds and boots: a project from elsewhere is opened
       * the way that asks whether to trust it first. */
      g_autoptr(GError) untrusted = NULL;

      project = kwb_project_load (directory, error);
      if (project != NULL && !kwb_project_trust_check (project, &untrusted))
        {
          g_set_error (error, KWB_PROJECT_TRUST_ERROR, untrusted->code,
                       _("%s Open it with “Open Project” to see what it runs and trust it."),
                       untrusted->message);
          return FALSE;
        }
    }
  else if (g_mkdir_with_parents (directory, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder %s: %s. Choose another one"), directory, g_strerror (saved));
      return FALSE;
    }
  else
    {
      project = kwb_project_init_directory (directory, error);
      /* A Debian tarball is extracted once for all projects (1.3 GB each
       * otherwise); the source page may change the source later. */
      if (project != NULL)
        kwb_project_set_string (project, "kernel", "source-dir", "");
    }
  if (project == NULL)
    return FALSE;

  kwb_wizard_set_project (self, project);
  {
    g_autofree char *page = kwb_project_dup_string (project, "project", "wizard-page");

    kwb_wizard_set_page (self, page && *page ? page : "source");
  }
  return TRUE;
}

static void
on_create_clicked (KwbWizard *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->folder_entry));
  g_autofree char *expanded = NULL;
  g_autofree char *directory = NULL;

  if (text[0] == '~')
    expanded = g_build_filename (g_get_home_dir (), text + 1, NULL);
  else
    expanded = g_strdup (text);
  if (*expanded == '\0')
    {
      gtk_label_set_label (self->welcome_error, _("Type the folder the project goes in."));
      gtk_widget_set_visible (GTK_WIDGET (self->welcome_error), TRUE);
      return;
    }
  directory = g_canonicalize_filename (expanded, NULL);
  if (!kwb_wizard_create_project (self, directory, &error))
    {
      gtk_label_set_label (self->welcome_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->welcome_error), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->welcome_error), FALSE);
}

/* A recent project chosen on the welcome page opens on its own (main window,
 * or a wizard of its own if unfinished): this empty wizard has done its job. */
static void
on_recent_project_activated (KwbWizard  *self,
                             const char *directory)
{
  if (self->project == NULL)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
kwb_wizard_step (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KwbWizard *self = KWB_WIZARD (widget);
  guint i = page_index (gtk_stack_get_visible_child_name (self->stack));

  if (g_str_equal (action_name, "wizard.next") && i + 1 < G_N_ELEMENTS (page_order))
    kwb_wizard_set_page (self, page_order[i + 1]);
  else if (g_str_equal (action_name, "wizard.back") && i > 1)
    kwb_wizard_set_page (self, page_order[i - 1]);
}

static char *
default_folder (void)
{
  g_autofree char *base = g_build_filename (g_get_home_dir (), "KernelWorkbench", "linux-debug", NULL);
  char *candidate = g_strdup (base);

  for (guint n = 2; g_file_test (candidate, G_FILE_TEST_EXISTS) && n < 100; n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s-%u", base, n);
    }
  return candidate;
}

static void
kwb_wizard_dispose (GObject *object)
{
  KwbWizard *self = KWB_WIZARD (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_WIZARD);
  G_OBJECT_CLASS (kwb_wizard_parent_class)->dispose (object);
}

static void
kwb_wizard_finalize (GObject *object)
{
  KwbWizard *self = KWB_WIZARD (object);

  g_clear_object (&self->project);
  G_OBJECT_CLASS (kwb_wizard_parent_class)->finalize (object);
}

static void
kwb_wizard_class_init (KwbWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_wizard_dispose;
  object_class->finalize = kwb_wizard_finalize;

  /**
   * KwbWizard::finished:
   *
   * Start Debugging was pressed: the project is set up and built. The
   * wizard closes itself after this.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * KwbWizard::location-activated:
   * @file: a source file a build error is in
   * @line: its line
   */
  signals[LOCATION_ACTIVATED] =
    g_signal_new ("location-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  g_type_ensure (KWB_TYPE_WELCOME);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kwb/KernelWorkbench/kwb-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, KwbWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, KwbWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, KwbWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, KwbWizard, folder_entry);
  gtk_widget_class_bind_template_child (widget_class, KwbWizard, welcome_error);
  gtk_widget_class_bind_template_child (widget_class, KwbWizard, welcome_icon);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_project_activated);
  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, kwb_wizard_step);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, kwb_wizard_step);
}

static void
kwb_wizard_init (KwbWizard *self)
{
  g_autofree char *folder = default_folder ();

  gtk_widget_init_template (GTK_WIDGET (self));
#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
  gtk_image_set_from_icon_name (self->welcome_icon, APP_ID);
  gtk_editable_set_text (GTK_EDITABLE (self->folder_entry), folder);
  update_buttons (self);
}

/**
 * kwb_wizard_new:
 * @project: (nullable): a project whose setup to continue, or %NULL to
 *   start at the welcome page
 */
KwbWizard *
kwb_wizard_new (GtkApplication *application,
                KwbProject     *project)
{
  KwbWizard *self = g_object_new (KWB_TYPE_WIZARD, "application", application, NULL);

  if (project != NULL)
    {
      g_autofree char *page = kwb_project_dup_string (project, "project", "wizard-page");

      kwb_wizard_set_project (self, project);
      kwb_wizard_set_page (self, page && *page ? page : "source");
    }
  return self;
}
