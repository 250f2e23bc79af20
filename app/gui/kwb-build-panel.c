/* kwb-build-panel.c — build BusyBox, the kernel, modules and the initramfs with a progress bar each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One button runs KwbBuildPipeline, which owns the order of the stages
 * (BusyBox, the kernel, modules, the initramfs) and is what `kwb build`
 * runs too; this widget only shows its signals, with the same progress
 * words as the command line. The first compiler error is a row; activating it emits
 * ::location-activated with the file and line, which the owner opens in the
 * source view (the wizard forwards it to the main window's
 * "win.open-location" action as "FILE:LINE").
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-build-panel.h"
#include "kwb-build-pipeline.h"
#include "kwb-setup.h"

typedef KwbBuildStep Stage;

#define STAGE_BUSYBOX   KWB_BUILD_STEP_BUSYBOX
#define STAGE_KERNEL    KWB_BUILD_STEP_KERNEL
#define STAGE_MODULES   KWB_BUILD_STEP_MODULES
#define STAGE_INITRAMFS KWB_BUILD_STEP_INITRAMFS
#define N_STAGES        KWB_BUILD_N_STEPS

struct _KwbBuildPanel
{
  GtkBox          parent_instance;

  KwbProject       *project;
  GCancellable     *cancellable;
  KwbBuildPipeline *pipeline;
  gboolean          running;
  gboolean          succeeded;
  gboolean          disposed;   /* results arriving after dispose touch no widget */
  guint             pulse_id;

  AdwActionRow   *rows[N_STAGES];
  GtkProgressBar *bars[N_STAGES];
  GtkButton      *build_button;
  GtkButton      *cancel_button;
  GtkLabel       *result_label;
  AdwActionRow   *problem_row;
  GtkWidget      *problem_list;
  GtkTextBuffer  *log;
  GtkTextView    *log_view;
  char           *problem_file;
  guint           problem_line;
};

G_DEFINE_FINAL_TYPE (KwbBuildPanel, kwb_build_panel, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_SUCCEEDED,
  N_PROPS
};

enum {
  FINISHED,
  LOCATION_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
append_log (KwbBuildPanel *self,
            const char    *line)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (self->log, &end);
  gtk_text_buffer_insert (self->log, &end, line, -1);
  if (!g_str_has_suffix (line, "\n"))
    {
      gtk_text_buffer_get_end_iter (self->log, &end);
      gtk_text_buffer_insert (self->log, &end, "\n", 1);
    }
  /* A kernel build logs tens of thousands of lines: keep the last ones. */
  if (gtk_text_buffer_get_line_count (self->log) > 5000)
    {
      GtkTextIter start, cut;

      gtk_text_buffer_get_start_iter (self->log, &start);
      gtk_text_buffer_get_iter_at_line (self->log, &cut, 1000);
      gtk_text_buffer_delete (self->log, &start, &cut);
    }
  gtk_text_buffer_get_end_iter (self->log, &end);
  gtk_text_view_scroll_to_iter (self->log_view, &end, 0, FALSE, 0, 1);
}

static void
set_stage_status (KwbBuildPanel *self,
                  Stage          stage,
                  const char    *status)
{
  g_autofree char *escaped = g_markup_escape_text (status, -1);

  adw_action_row_set_subtitle (self->rows[stage], escaped);
}

static void
set_running (KwbBuildPanel *self,
             gboolean       running)
{
  if (self->running == running)
    return;
  self->running = running;
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->build_button), !running);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
stop_pulse (KwbBuildPanel *self)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
}

static void
finish (KwbBuildPanel *self,
        const GError  *error)
{
  stop_pulse (self);
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
  self->succeeded = error == NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "success");
  if (error == NULL)
    {
      gtk_label_set_label (self->result_label, _("Everything is built: the kernel is ready to debug."));
      gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "success");
      gtk_button_set_label (self->build_button, _("_Build Again"));
    }
  else
    {
      gtk_label_set_label (self->result_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "error");
      gtk_button_set_label (self->build_button, _("_Try Again"));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUCCEEDED]);
  g_signal_emit (self, signals[FINISHED], 0, self->succeeded);
}

static gboolean
pulse_cb (gpointer data)
{
  GtkProgressBar *bar = data;

  gtk_progress_bar_pulse (bar);
  return G_SOURCE_CONTINUE;
}

static void
start_pulse (KwbBuildPanel *self,
             Stage          stage)
{
  stop_pulse (self);
  self->pulse_id = g_timeout_add (120, pulse_cb, self->bars[stage]);
}

static void
stage_done (KwbBuildPanel *self,
            Stage          stage,
            const char    *status)
{
  stop_pulse (self);
  gtk_progress_bar_set_fraction (self->bars[stage], 1.0);
  set_stage_status (self, stage, status);
}

static void
stage_failed (KwbBuildPanel *self,
              Stage          stage,
              const GError  *error)
{
  stop_pulse (self);
  gtk_widget_add_css_class (GTK_WIDGET (self->bars[stage]), "error");
  set_stage_status (self, stage, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                 ? _("Cancelled") : _("Failed"));
  append_log (self, error->message);
  finish (self, error);
}

/* The first compiler or linker error, as a row that opens its line. */
static void
show_problem (KwbBuildPanel         *self,
              const KwbBuildProblem *problem)
{
  g_autofree char *title = NULL;
  g_autofree char *message = NULL;

  if (problem == NULL || problem->file == NULL)
    return;
  title = g_strdup_printf ("%s:%u", problem->file, problem->line);
  message = g_markup_escape_text (problem->message ? problem->message : "", -1);
  g_free (self->problem_file);
  self->problem_file = g_strdup (problem->file);
  self->problem_line = problem->line;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->problem_row), title);
  adw_action_row_set_subtitle (self->problem_row, message);
  gtk_widget_set_visible (self->problem_list, TRUE);
}

/* The pipeline's signals */

static void
on_step_started (KwbBuildPipeline *pipeline,
                 int               step,
                 KwbBuildPanel    *self)
{
  set_stage_status (self, step, _("Starting…"));
  start_pulse (self, step);
}

static void
on_step_status (KwbBuildPipeline *pipeline,
                int               step,
                const char       *status,
                KwbBuildPanel    *self)
{
  set_stage_status (self, step, status);
}

static void
on_progress (KwbBuildPipeline *pipeline,
             int               step,
             int               stage,
             guint             done,
             guint             total,
             KwbBuildPanel    *self)
{
  g_autofree char *status = NULL;

  /* A build starting over says nothing yet: "Starting…" stays. */
  if (stage == KWB_BUILD_STAGE_IDLE)
    return;
  status = kwb_build_stage_format_progress (stage, done, total);
  if (total > 0)
    {
      stop_pulse (self);
      gtk_progress_bar_set_fraction (self->bars[step], kwb_build_stage_get_percent (stage, done, total) / 100.0);
    }
  else if (self->pulse_id == 0 && stage != KWB_BUILD_STAGE_DONE)
    start_pulse (self, step);
  set_stage_status (self, step, status);
}

static void
on_line (KwbBuildPipeline *pipeline,
         const char       *line,
         KwbBuildPanel    *self)
{
  append_log (self, line);
}

static void
on_step_finished (KwbBuildPipeline *pipeline,
                  int               step,
                  const char       *status,
                  KwbBuildPanel    *self)
{
  stage_done (self, step, status);
  if (step == STAGE_INITRAMFS)
    append_log (self, status);
}

static void
on_pipeline_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbBuildPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  KwbBuildPipeline *pipeline = KWB_BUILD_PIPELINE (source);

  if (self->disposed)
    return;
  if (!kwb_build_pipeline_run_finish (pipeline, result, &error))
    {
      Stage failed = kwb_build_pipeline_get_failed_step (pipeline);

      show_problem (self, kwb_build_pipeline_get_problem (pipeline));
      stage_failed (self, failed < N_STAGES ? failed : STAGE_INITRAMFS, error);
      return;
    }
  finish (self, NULL);
}

void
kwb_build_panel_start (KwbBuildPanel *self)
{
  g_return_if_fail (KWB_IS_BUILD_PANEL (self));

  if (self->running)
    return;
  gtk_text_buffer_set_text (self->log, "", 0);
  gtk_widget_set_visible (self->problem_list, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), FALSE);
  for (guint i = 0; i < N_STAGES; i++)
    {
      gtk_progress_bar_set_fraction (self->bars[i], 0);
      gtk_widget_remove_css_class (GTK_WIDGET (self->bars[i]), "error");
      set_stage_status (self, i, _("Waiting"));
    }
  for (guint i = 0; i < N_STAGES; i++)
    gtk_widget_set_visible (GTK_WIDGET (self->rows[i]), kwb_build_pipeline_get_step_shown (self->pipeline, i));
  self->succeeded = FALSE;
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  kwb_build_pipeline_run_async (self->pipeline, self->cancellable, on_pipeline_done, g_object_ref (self));
}

void
kwb_build_panel_cancel (KwbBuildPanel *self)
{
  g_return_if_fail (KWB_IS_BUILD_PANEL (self));
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
}

static void
on_build_clicked (GtkButton     *button,
                  KwbBuildPanel *self)
{
  kwb_build_panel_start (self);
}

static void
on_cancel_clicked (GtkButton     *button,
                   KwbBuildPanel *self)
{
  kwb_build_panel_cancel (self);
}

static void
on_problem_activated (AdwActionRow  *row,
                      KwbBuildPanel *self)
{
  if (self->problem_file)
    g_signal_emit (self, signals[LOCATION_ACTIVATED], 0, self->problem_file, self->problem_line);
}

/* Gone from its window (closed half-way): stop what runs. Pending results
 * hold a reference, so dispose would only come after they finished. */
static void
kwb_build_panel_unroot (GtkWidget *widget)
{
  KwbBuildPanel *self = KWB_BUILD_PANEL (widget);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  GTK_WIDGET_CLASS (kwb_build_panel_parent_class)->unroot (widget);
}

static void
kwb_build_panel_dispose (GObject *object)
{
  KwbBuildPanel *self = KWB_BUILD_PANEL (object);

  self->disposed = TRUE;
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  stop_pulse (self);
  /* A cancelled build still reports until it has stopped. */
  if (self->pipeline)
    g_signal_handlers_disconnect_by_data (self->pipeline, self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pipeline);
  G_OBJECT_CLASS (kwb_build_panel_parent_class)->dispose (object);
}

static void
kwb_build_panel_finalize (GObject *object)
{
  KwbBuildPanel *self = KWB_BUILD_PANEL (object);

  g_clear_object (&self->project);
  g_clear_pointer (&self->problem_file, g_free);
  G_OBJECT_CLASS (kwb_build_panel_parent_class)->finalize (object);
}

static void
kwb_build_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KwbBuildPanel *self = KWB_BUILD_PANEL (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_SUCCEEDED:
      g_value_set_boolean (value, self->succeeded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_build_panel_class_init (KwbBuildPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_build_panel_dispose;
  GTK_WIDGET_CLASS (klass)->unroot = kwb_build_panel_unroot;
  object_class->finalize = kwb_build_panel_finalize;
  object_class->get_property = kwb_build_panel_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUCCEEDED] =
    g_param_spec_boolean ("succeeded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KwbBuildPanel::finished:
   * @succeeded: whether every stage succeeded
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /**
   * KwbBuildPanel::location-activated:
   * @file: absolute path of the file with the first error
   * @line: its line (1-based)
   */
  signals[LOCATION_ACTIVATED] =
    g_signal_new ("location-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
kwb_build_panel_init (KwbBuildPanel *self)
{
  GtkWidget *list, *buttons, *expander, *scrolled, *problems;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < N_STAGES; i++)
    {
      const char *name = kwb_build_pipeline_step_to_string (i);
      g_autofree char *row_name = g_strdup_printf ("stage_%s", name);
      g_autofree char *bar_name = g_strdup_printf ("progress_%s", name);

      self->rows[i] = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rows[i]), kwb_build_pipeline_step_get_title (i));
      adw_action_row_set_subtitle (self->rows[i], _("Waiting"));
      gtk_widget_set_name (GTK_WIDGET (self->rows[i]), row_name);
      self->bars[i] = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
      gtk_widget_set_name (GTK_WIDGET (self->bars[i]), bar_name);
      gtk_widget_set_size_request (GTK_WIDGET (self->bars[i]), 220, -1);
      gtk_widget_set_valign (GTK_WIDGET (self->bars[i]), GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (self->rows[i], GTK_WIDGET (self->bars[i]));
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->rows[i]));
    }
  gtk_box_append (GTK_BOX (self), list);

  problems = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (problems), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (problems, "boxed-list");
  self->problem_row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->problem_row), "problem_row");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->problem_row), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->problem_row), _("Open this line in the source view"));
  adw_action_row_add_prefix (self->problem_row, gtk_image_new_from_icon_name ("dialog-error-symbolic"));
  adw_action_row_add_suffix (self->problem_row, gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_signal_connect_object (self->problem_row, "activated", G_CALLBACK (on_problem_activated), self, 0);
  gtk_list_box_append (GTK_LIST_BOX (problems), GTK_WIDGET (self->problem_row));
  self->problem_list = problems;
  gtk_widget_set_visible (problems, FALSE);
  gtk_box_append (GTK_BOX (self), problems);

  self->result_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->result_label), "build_result");
  gtk_label_set_wrap (self->result_label, TRUE);
  gtk_label_set_xalign (self->result_label, 0);
  gtk_label_set_selectable (self->result_label, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), FALSE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->result_label));

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  self->cancel_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  gtk_widget_set_name (GTK_WIDGET (self->cancel_button), "build_cancel_button");
  gtk_widget_add_css_class (GTK_WIDGET (self->cancel_button), "pill");
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  g_signal_connect_object (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), self, 0);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->cancel_button));
  self->build_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Build")));
  gtk_widget_set_name (GTK_WIDGET (self->build_button), "build_button");
  gtk_widget_add_css_class (GTK_WIDGET (self->build_button), "pill");
  gtk_widget_add_css_class (GTK_WIDGET (self->build_button), "suggested-action");
  g_signal_connect_object (self->build_button, "clicked", G_CALLBACK (on_build_clicked), self, 0);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->build_button));
  gtk_box_append (GTK_BOX (self), buttons);

  expander = gtk_expander_new_with_mnemonic (_("Build _Log"));
  gtk_widget_set_name (expander, "log_expander");
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_size_request (scrolled, -1, 200);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_widget_set_overflow (scrolled, GTK_OVERFLOW_HIDDEN);
  self->log_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_widget_set_name (GTK_WIDGET (self->log_view), "build_log");
  gtk_text_view_set_editable (self->log_view, FALSE);
  gtk_text_view_set_monospace (self->log_view, TRUE);
  gtk_text_view_set_left_margin (self->log_view, 6);
  gtk_text_view_set_top_margin (self->log_view, 6);
  self->log = gtk_text_view_get_buffer (self->log_view);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->log_view));
  gtk_widget_set_margin_top (scrolled, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), scrolled);
  gtk_box_append (GTK_BOX (self), expander);
}

KwbBuildPanel *
kwb_build_panel_new (KwbProject *project)
{
  KwbBuildPanel *self;
  KwbRebuild pending;
  g_autofree char *word = NULL;

  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);

  self = g_object_new (KWB_TYPE_BUILD_PANEL, NULL);
  self->project = g_object_ref (project);
  self->pipeline = kwb_build_pipeline_new (project);
  g_signal_connect_object (self->pipeline, "step-started", G_CALLBACK (on_step_started), self, 0);
  g_signal_connect_object (self->pipeline, "step-status", G_CALLBACK (on_step_status), self, 0);
  g_signal_connect_object (self->pipeline, "step-finished", G_CALLBACK (on_step_finished), self, 0);
  g_signal_connect_object (self->pipeline, "progress-changed", G_CALLBACK (on_progress), self, 0);
  g_signal_connect_object (self->pipeline, "line-logged", G_CALLBACK (on_line), self, 0);
  word = kwb_project_dup_string (project, "project", "pending-rebuild");
  pending = kwb_rebuild_from_string (word);
  /* The button says what changed settings need (none: a plain Build). */
  gtk_button_set_label (self->build_button, kwb_rebuild_describe (pending));
  for (guint i = 0; i < N_STAGES; i++)
    gtk_widget_set_visible (GTK_WIDGET (self->rows[i]), kwb_build_pipeline_get_step_shown (self->pipeline, i));
  return self;
}

KwbProject *
kwb_build_panel_get_project (KwbBuildPanel *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_PANEL (self), NULL);
  return self->project;
}

gboolean
kwb_build_panel_get_running (KwbBuildPanel *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_PANEL (self), FALSE);
  return self->running;
}

gboolean
kwb_build_panel_get_succeeded (KwbBuildPanel *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_PANEL (self), FALSE);
  return self->succeeded;
}

static void
on_window_location (KwbBuildPanel *panel,
                    const char    *file,
                    guint          line,
                    GtkWindow     *window)
{
  GtkWindow *parent = gtk_window_get_transient_for (window);
  g_autofree char *location = g_strdup_printf ("%s:%u", file, line);

  /* The main window shows it (win.open-location, see kwb-application.c). */
  if (parent == NULL || !gtk_widget_activate_action (GTK_WIDGET (parent), "win.open-location", "s", location))
    g_message ("No window can show %s", location);
}

/**
 * kwb_build_panel_present_window:
 *
 * A window of its own with a panel for @project, building at once: what
 * the main window's Build and Rebuild buttons open.
 */
GtkWindow *
kwb_build_panel_present_window (KwbProject *project,
                                GtkWindow  *parent)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  KwbBuildPanel *panel = kwb_build_panel_new (project);
  g_autofree char *name = kwb_project_dup_name (project);
  g_autofree char *title = g_strdup_printf (_("Build %s"), name);

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 560);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (parent)
    gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_name (GTK_WIDGET (panel), "build_panel");
  gtk_widget_set_margin_top (GTK_WIDGET (panel), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (panel), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (panel), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (panel), 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (panel));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);
  g_signal_connect_object (panel, "location-activated", G_CALLBACK (on_window_location), window, 0);
  gtk_window_present (GTK_WINDOW (window));
  kwb_build_panel_start (panel);
  return GTK_WINDOW (window);
}
