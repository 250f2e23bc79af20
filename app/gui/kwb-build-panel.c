/* kwb-build-panel.c — build BusyBox, the kernel, modules and the initramfs with a progress bar each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One button runs the stages in order: BusyBox (only when built from
 * source), the kernel (configured when needed; make notices when it is up to
 * date), the project's out-of-tree modules (only when it has some: each
 * is rebuilt only when its sources changed, and the kernel is never
 * relinked for them), then the initramfs, which takes the kernel's release
 * and the modules. The first compiler error is a row; activating it emits
 * ::location-activated with the file and line, which the owner opens in the
 * source view (the wizard forwards it to the main window's
 * "win.open-location" action as "FILE:LINE").
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-build-panel.h"
#include "kwb-busybox.h"
#include "kwb-initramfs.h"
#include "kwb-kernel-build.h"
#include "kwb-module-build.h"
#include "kwb-setup.h"

typedef enum {
  STAGE_BUSYBOX,
  STAGE_KERNEL,
  STAGE_MODULES,
  STAGE_INITRAMFS,
  N_STAGES
} Stage;

struct _KwbBuildPanel
{
  GtkBox          parent_instance;

  KwbProject     *project;
  GCancellable   *cancellable;
  KwbBusybox     *busybox;
  KwbKernelBuild *kernel;
  KwbModuleBuild *modules;
  KwbInitramfs   *initramfs;
  gboolean        running;
  gboolean        succeeded;
  gboolean        disposed;   /* results arriving after dispose touch no widget */
  gboolean        skip_kernel;
  guint           pulse_id;

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

static void run_stage (KwbBuildPanel *self, Stage stage);

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
      g_autoptr(GError) save_error = NULL;

      gtk_label_set_label (self->result_label, _("Everything is built: the kernel is ready to debug."));
      gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "success");
      gtk_button_set_label (self->build_button, _("_Build Again"));
      kwb_project_set_string (self->project, "project", "pending-rebuild", "none");
      if (!kwb_project_save (self->project, &save_error))
        g_warning ("Could not save %s: %s", kwb_project_get_directory (self->project), save_error->message);
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

/* BusyBox */

static void
on_busybox_progress (KwbBusybox    *busybox,
                     GParamSpec    *pspec,
                     KwbBuildPanel *self)
{
  const char *phase = kwb_busybox_get_phase (busybox);

  stop_pulse (self);
  gtk_progress_bar_set_fraction (self->bars[STAGE_BUSYBOX], kwb_busybox_get_fraction (busybox));
  if (phase)
    set_stage_status (self, STAGE_BUSYBOX, phase);
}

static void
on_busybox_built (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbBuildPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = kwb_busybox_build_finish (KWB_BUSYBOX (source), result, &error);

  if (self->disposed)
    return;
  if (binary == NULL)
    {
      stage_failed (self, STAGE_BUSYBOX, error);
      return;
    }
  {
    g_autofree char *status = g_strdup_printf (_("Built: %s"), binary);

    stage_done (self, STAGE_BUSYBOX, status);
  }
  run_stage (self, STAGE_KERNEL);
}

/* The first compiler or linker error, as a row that opens its line. */
static void
show_problem (KwbBuildPanel               *self,
              const KwbKernelBuildProblem *problem)
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

/* Kernel */

static void
on_kernel_progress (KwbKernelBuild *build,
                    GParamSpec     *pspec,
                    KwbBuildPanel  *self)
{
  KwbKernelBuildStage stage = kwb_kernel_build_get_stage (build);
  guint done = kwb_kernel_build_get_objects_done (build);
  guint expected = kwb_kernel_build_get_objects_expected (build);
  g_autofree char *status = NULL;

  if (stage == KWB_KERNEL_BUILD_STAGE_COMPILE && expected > 0)
    {
      stop_pulse (self);
      gtk_progress_bar_set_fraction (self->bars[STAGE_KERNEL], kwb_kernel_build_get_fraction (build));
      status = g_strdup_printf (_("Compiling: %u of about %u files"), done, expected);
    }
  else
    {
      if (self->pulse_id == 0 && stage != KWB_KERNEL_BUILD_STAGE_DONE)
        start_pulse (self, STAGE_KERNEL);
      status = g_strdup (kwb_kernel_build_stage_to_string (stage));
    }
  set_stage_status (self, STAGE_KERNEL, status);
}

static void
on_kernel_line (KwbKernelBuild *build,
                const char     *line,
                KwbBuildPanel  *self)
{
  append_log (self, line);
}

static void
on_kernel_built (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KwbBuildPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  KwbKernelBuild *build = KWB_KERNEL_BUILD (source);
  gboolean ok = kwb_kernel_build_build_finish (build, result, &error);

  if (self->disposed)
    return;
  if (!ok)
    {
      show_problem (self, kwb_kernel_build_get_problem (build));
      stage_failed (self, STAGE_KERNEL, error);
      return;
    }
  stage_done (self, STAGE_KERNEL,
              kwb_kernel_build_get_up_to_date (build) ? _("Up to date") : _("Built"));
  run_stage (self, STAGE_MODULES);
}

/* Modules */


static void
on_module_started (KwbModuleBuild *build,
                   const char     *source,
                   KwbBuildPanel  *self)
{
  g_autofree char *name = g_path_get_basename (source);
  g_autofree char *status = g_strdup_printf (_("Building %s"), name);

  set_stage_status (self, STAGE_MODULES, status);
}

static void
on_module_line (KwbModuleBuild *build,
                const char     *line,
                KwbBuildPanel  *self)
{
  append_log (self, line);
}

static void
on_modules_built (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbBuildPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  KwbModuleBuild *build = KWB_MODULE_BUILD (source);
  g_autofree char *status = NULL;
  GPtrArray *built;

  if (self->disposed)
    return;
  if (!kwb_module_build_build_finish (build, result, &error))
    {
      show_problem (self, kwb_module_build_get_problem (build));
      stage_failed (self, STAGE_MODULES, error);
      return;
    }
  built = kwb_module_build_get_modules (build);
  status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u module ready", "%u modules ready",
                                         built ? built->len : 0),
                            built ? built->len : 0);
  stage_done (self, STAGE_MODULES, status);
  run_stage (self, STAGE_INITRAMFS);
}

static gboolean
has_module_projects (KwbBuildPanel *self)
{
  g_auto(GStrv) projects = kwb_project_dup_string_list (self->project, "modules", "projects");

  return projects != NULL && projects[0] != NULL;
}

/* Initramfs */

static void
on_initramfs_built (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KwbBuildPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = kwb_initramfs_build_finish (KWB_INITRAMFS (source), result, &error);
  g_autofree char *status = NULL;

  if (self->disposed)
    return;
  if (output == NULL)
    {
      stage_failed (self, STAGE_INITRAMFS, error);
      return;
    }
  status = g_strdup_printf (_("Written: %s"), output);
  stage_done (self, STAGE_INITRAMFS, status);
  append_log (self, status);
  finish (self, NULL);
}

static void
run_stage (KwbBuildPanel *self,
           Stage          stage)
{
  set_stage_status (self, stage, _("Starting…"));
  switch (stage)
    {
    case STAGE_BUSYBOX:
      g_clear_object (&self->busybox);
      self->busybox = kwb_busybox_new (self->project);
      g_signal_connect_object (self->busybox, "notify::fraction", G_CALLBACK (on_busybox_progress), self, 0);
      g_signal_connect_object (self->busybox, "notify::phase", G_CALLBACK (on_busybox_progress), self, 0);
      start_pulse (self, stage);
      kwb_busybox_build_async (self->busybox, self->cancellable, on_busybox_built, g_object_ref (self));
      break;

    case STAGE_KERNEL:
      if (self->skip_kernel)
        {
          stage_done (self, stage, _("Not needed: only the initramfs changed"));
          run_stage (self, STAGE_MODULES);
          return;
        }
      g_clear_object (&self->kernel);
      self->kernel = kwb_kernel_build_new (self->project);
      g_signal_connect_object (self->kernel, "notify::stage", G_CALLBACK (on_kernel_progress), self, 0);
      g_signal_connect_object (self->kernel, "notify::objects-done", G_CALLBACK (on_kernel_progress), self, 0);
      g_signal_connect_object (self->kernel, "line-logged", G_CALLBACK (on_kernel_line), self, 0);
      start_pulse (self, stage);
      kwb_kernel_build_build_async (self->kernel, self->cancellable, on_kernel_built, g_object_ref (self));
      break;

    case STAGE_MODULES:
      if (!has_module_projects (self))
        {
          stage_done (self, stage, _("No module projects"));
          run_stage (self, STAGE_INITRAMFS);
          return;
        }
      g_clear_object (&self->modules);
      self->modules = kwb_module_build_new (self->project);
      g_signal_connect_object (self->modules, "module-started", G_CALLBACK (on_module_started), self, 0);
      g_signal_connect_object (self->modules, "line", G_CALLBACK (on_module_line), self, 0);
      start_pulse (self, stage);
      kwb_module_build_build_async (self->modules, self->cancellable, on_modules_built, g_object_ref (self));
      break;

    case STAGE_INITRAMFS:
      g_clear_object (&self->initramfs);
      self->initramfs = kwb_initramfs_new (self->project);
      start_pulse (self, stage);
      kwb_initramfs_build_async (self->initramfs, self->cancellable, on_initramfs_built, g_object_ref (self));
      break;

    case N_STAGES:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
busybox_from_source (KwbBuildPanel *self)
{
  g_autofree char *source = kwb_project_dup_string (self->project, "busybox", "source");

  return g_strcmp0 (source, "tree") == 0;
}

/* Only initramfs keys changed since a kernel build that finished (it wrote
 * its manifest): the kernel stage has nothing to do. */
static gboolean
initramfs_only (KwbBuildPanel *self)
{
  g_autofree char *word = kwb_project_dup_string (self->project, "project", "pending-rebuild");
  g_autofree char *build_dir = kwb_project_dup_path (self->project, "kernel", "build-dir");
  g_autofree char *manifest = build_dir ? g_build_filename (build_dir, "kwb-manifest.ini", NULL) : NULL;

  return kwb_rebuild_from_string (word) == KWB_REBUILD_INITRAMFS &&
         manifest != NULL && g_file_test (manifest, G_FILE_TEST_IS_REGULAR);
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
  gtk_widget_set_visible (GTK_WIDGET (self->rows[STAGE_BUSYBOX]), busybox_from_source (self));
  self->skip_kernel = initramfs_only (self);
  self->succeeded = FALSE;
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  run_stage (self, busybox_from_source (self) ? STAGE_BUSYBOX : STAGE_KERNEL);
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
  if (self->busybox)
    g_signal_handlers_disconnect_by_data (self->busybox, self);
  if (self->kernel)
    g_signal_handlers_disconnect_by_data (self->kernel, self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->busybox);
  g_clear_object (&self->kernel);
  g_clear_object (&self->modules);
  g_clear_object (&self->initramfs);
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
  static const char *titles[N_STAGES] = { N_("BusyBox"), N_("Kernel"), N_("Modules"), N_("Initramfs") };
  static const char *names[N_STAGES] = { "busybox", "kernel", "modules", "initramfs" };
  GtkWidget *list, *buttons, *expander, *scrolled, *problems;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < N_STAGES; i++)
    {
      g_autofree char *row_name = g_strdup_printf ("stage_%s", names[i]);
      g_autofree char *bar_name = g_strdup_printf ("progress_%s", names[i]);

      self->rows[i] = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rows[i]), _(titles[i]));
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
  word = kwb_project_dup_string (project, "project", "pending-rebuild");
  pending = kwb_rebuild_from_string (word);
  /* The button says what changed settings need (none: a plain Build). */
  gtk_button_set_label (self->build_button, kwb_rebuild_describe (pending));
  gtk_widget_set_visible (GTK_WIDGET (self->rows[STAGE_BUSYBOX]), busybox_from_source (self));
  gtk_widget_set_visible (GTK_WIDGET (self->rows[STAGE_MODULES]), has_module_projects (self));
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
