/* kwb-summary-page.c — the wizard's last page: the choices, the build and Start Debugging
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per choice page (its dup_summary), then a KwbBuildPanel on the
 * project, then Start Debugging, which a successful build makes
 * sensitive. The page opens nothing itself: "start-requested" and
 * "location-activated" (a build error's FILE:LINE) go to the wizard, which
 * passes them on to whoever opens windows.
 */
#include "config.h"

#include "kwb-build-panel.h"
#include "kwb-summary-page.h"

struct _KwbSummaryPage
{
  AdwBin          parent_instance;

  KwbProject     *project;
  KwbBuildPanel  *build_panel;

  /* Template children */
  GtkBox         *box;
  GtkListBox     *summary_rows;
  GtkButton      *start_button;
};

G_DEFINE_FINAL_TYPE (KwbSummaryPage, kwb_summary_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_BUILDING,
  N_PROPS
};

enum {
  START_REQUESTED,
  LOCATION_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
kwb_summary_page_fill (KwbSummaryPage  *self,
                       KwbProjectPage **pages,
                       guint            n_pages)
{
  GtkWidget *child;

  g_return_if_fail (KWB_IS_SUMMARY_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary_rows))) != NULL)
    gtk_list_box_remove (self->summary_rows, child);
  for (guint i = 0; i < n_pages; i++)
    {
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *summary = kwb_project_page_dup_summary (pages[i]);
      g_autofree char *escaped = g_markup_escape_text (summary ? summary : "", -1);
      g_autofree char *name = g_strdup_printf ("summary_%s", kwb_project_page_get_id (pages[i]));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (pages[i])));
      adw_action_row_set_subtitle (row, escaped);
      gtk_widget_set_name (GTK_WIDGET (row), name);
      gtk_list_box_append (self->summary_rows, GTK_WIDGET (row));
    }
}

gboolean
kwb_summary_page_get_building (KwbSummaryPage *self)
{
  g_return_val_if_fail (KWB_IS_SUMMARY_PAGE (self), FALSE);
  return self->build_panel != NULL && kwb_build_panel_get_running (self->build_panel);
}

static void
on_build_running (KwbSummaryPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING]);
}

static void
on_build_finished (KwbBuildPanel  *panel,
                   gboolean        succeeded,
                   KwbSummaryPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), succeeded);
}

static void
on_location_activated (KwbBuildPanel  *panel,
                       const char     *file,
                       guint           line,
                       KwbSummaryPage *self)
{
  g_signal_emit (self, signals[LOCATION_ACTIVATED], 0, file, line);
}

static void
on_start_clicked (KwbSummaryPage *self)
{
  g_signal_emit (self, signals[START_REQUESTED], 0);
}

static void
kwb_summary_page_constructed (GObject *object)
{
  KwbSummaryPage *self = KWB_SUMMARY_PAGE (object);

  G_OBJECT_CLASS (kwb_summary_page_parent_class)->constructed (object);

  g_return_if_fail (KWB_IS_PROJECT (self->project));
  self->build_panel = kwb_build_panel_new (self->project);
  gtk_widget_set_name (GTK_WIDGET (self->build_panel), "build_panel");
  g_signal_connect_object (self->build_panel, "notify::running", G_CALLBACK (on_build_running), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->build_panel, "finished", G_CALLBACK (on_build_finished), self, 0);
  g_signal_connect_object (self->build_panel, "location-activated", G_CALLBACK (on_location_activated), self, 0);
  gtk_box_insert_child_after (self->box, GTK_WIDGET (self->build_panel), GTK_WIDGET (self->summary_rows));
}

static void
kwb_summary_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KWB_TYPE_SUMMARY_PAGE);
  G_OBJECT_CLASS (kwb_summary_page_parent_class)->dispose (object);
}

static void
kwb_summary_page_finalize (GObject *object)
{
  KwbSummaryPage *self = KWB_SUMMARY_PAGE (object);

  g_clear_object (&self->project);
  G_OBJECT_CLASS (kwb_summary_page_parent_class)->finalize (object);
}

static void
kwb_summary_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KwbSummaryPage *self = KWB_SUMMARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_BUILDING:
      g_value_set_boolean (value, kwb_summary_page_get_building (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_summary_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KwbSummaryPage *self = KWB_SUMMARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      self->project = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_summary_page_class_init (KwbSummaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kwb_summary_page_constructed;
  object_class->dispose = kwb_summary_page_dispose;
  object_class->finalize = kwb_summary_page_finalize;
  object_class->get_property = kwb_summary_page_get_property;
  object_class->set_property = kwb_summary_page_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, KWB_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUILDING] =
    g_param_spec_boolean ("building", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KwbSummaryPage::start-requested:
   *
   * Start Debugging was pressed (the project is built).
   */
  signals[START_REQUESTED] =
    g_signal_new ("start-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * KwbSummaryPage::location-activated:
   * @file: a source file a build error is in
   * @line: its line
   */
  signals[LOCATION_ACTIVATED] =
    g_signal_new ("location-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kwb/KernelWorkbench/kwb-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbSummaryPage, box);
  gtk_widget_class_bind_template_child (widget_class, KwbSummaryPage, summary_rows);
  gtk_widget_class_bind_template_child (widget_class, KwbSummaryPage, start_button);
  gtk_widget_class_bind_template_callback (widget_class, on_start_clicked);
}

static void
kwb_summary_page_init (KwbSummaryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its id, by which the wizard's stack and the tests find the page. */
  gtk_widget_set_name (GTK_WIDGET (self), "summary");
}

KwbSummaryPage *
kwb_summary_page_new (KwbProject *project)
{
  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);
  return g_object_new (KWB_TYPE_SUMMARY_PAGE, "project", project, NULL);
}
