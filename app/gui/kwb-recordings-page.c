/* kwb-recordings-page.c — the sidebar's Recordings page: the project's recorded runs, to replay or delete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A recording is worth keeping only while someone can find it again: this
 * page lists PROJECT/recordings newest first, with how long each run was,
 * how many instructions it holds and what it costs on disk, so old ones can
 * be replayed (win.replay-recording) or deleted. A recording that never
 * ended cannot be replayed; its row says so instead of failing later.
 *
 * The list follows the folder itself, because recordings are also made and
 * deleted by `kwb record` in a terminal. A recording's recording.ini is
 * written inside its own folder, which a monitor on recordings/ does not
 * see, so each recording folder has a monitor of its own. Plain writes are
 * ignored: QEMU appends to replay.bin for the whole run.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kwb-recordings-page.h"

/* A recording starting or ending touches several files at once: read the
 * folder once they are all there. */
#define RELOAD_DELAY_MS 200

struct _KwbRecordingsPage
{
  GtkWidget      parent_instance;

  KwbProject    *project;
  GListStore    *store;
  GFileMonitor  *project_monitor;     /* only while recordings/ does not exist */
  GFileMonitor  *recordings_monitor;
  GHashTable    *folder_monitors;     /* folder path → GFileMonitor */
  guint          reload_id;

  GtkStack      *stack;
  GtkListBox    *list_box;
  AdwStatusPage *empty_page;
};

G_DEFINE_FINAL_TYPE (KwbRecordingsPage, kwb_recordings_page, GTK_TYPE_WIDGET)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- texts ---- */

char *
kwb_recordings_page_dup_row_title (KwbRecording *recording)
{
  GDateTime *created;
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (KWB_IS_RECORDING (recording), NULL);

  /* A recording.ini with a date GLib cannot parse still names its folder
   * after the time it was made. */
  if ((created = kwb_recording_get_created (recording)) == NULL)
    return g_strdup (kwb_recording_get_name (recording));
  local = g_date_time_to_local (created);
  /* Translators: when a recording was made, as the title of its row in the
   * Recordings page: "5 Mar 2025, 14:03". A g_date_time_format() format:
   * %-d the day without padding, %b the abbreviated month, %Y the year,
   * %H:%M the time. */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
}

static char *
format_icount (gint64 icount)
{
  static const char * const units[] = { "k", "M", "G" };
  double value = (double) icount;
  int unit = -1;

  while (value >= 1000.0 && unit < (int) G_N_ELEMENTS (units) - 1)
    {
      value /= 1000.0;
      unit++;
    }
  if (unit < 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, icount);
  /* Translators: an instruction count shortened with a unit (k, M or G):
   * "1.53 G", with a no-break space as g_format_size() puts before its units. */
  return g_strdup_printf (_("%.2f\u00a0%s"), value, units[unit]);
}

char *
kwb_recordings_page_dup_row_subtitle (KwbRecording *recording)
{
  g_autofree char *size = NULL;
  g_autofree char *seconds = NULL;
  g_autofree char *count = NULL;
  g_autofree char *instructions = NULL;
  gint64 icount;

  g_return_val_if_fail (KWB_IS_RECORDING (recording), NULL);

  size = g_format_size (kwb_recording_get_size (recording));
  if (!kwb_recording_get_finished (recording))
    /* Translators: the subtitle of a recording that never ended properly
     * (QEMU was killed); %s is its size on disk, "12.0 MB". A no-break space
     * before each "·" keeps it off the start of a line when the text wraps. */
    return g_strdup_printf (_("Not finished: cannot be replayed\u00a0· %s"), size);

  /* Translators: how long a recording ran, in seconds: "20.3 s", with a
   * no-break space. */
  seconds = g_strdup_printf (_("%.1f\u00a0s"), kwb_recording_get_seconds (recording));
  icount = kwb_recording_get_icount (recording);
  if (icount <= 0)
    /* Translators: a recording's length and size on disk, "20.3 s · 40.1 MB",
     * when the number of instructions it holds is not known. */
    return g_strdup_printf (_("%s\u00a0· %s"), seconds, size);

  count = format_icount (icount);
  /* Translators: how many instructions the guest ran while recorded; %s is
   * the number, maybe shortened: "1.53 G instructions", "512 instructions". */
  instructions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s instruction", "%s instructions",
                                               (gulong) MIN (icount, (gint64) G_MAXULONG)),
                                  count);
  /* Translators: the subtitle of a recording:
   * "20.3 s · 1.53 G instructions · 40.1 MB". */
  return g_strdup_printf (_("%s\u00a0· %s\u00a0· %s"), seconds, instructions, size);
}

/* ---- deleting ---- */

gboolean
kwb_recordings_page_delete_recording (KwbRecordingsPage  *self,
                                      KwbRecording       *recording,
                                      GError            **error)
{
  g_return_val_if_fail (KWB_IS_RECORDINGS_PAGE (self), FALSE);
  g_return_val_if_fail (KWB_IS_RECORDING (recording), FALSE);

  if (!kwb_recording_delete (recording, error))
    return FALSE;
  kwb_recordings_page_reload (self);
  return TRUE;
}

static void
on_delete_response (AdwMessageDialog  *dialog,
                    const char        *response,
                    KwbRecordingsPage *self)
{
  KwbRecording *recording = g_object_get_data (G_OBJECT (dialog), "kwb-recording");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") == 0 &&
      !kwb_recordings_page_delete_recording (self, recording, &error))
    g_signal_emit (self, signals[FAILED], 0, error->message);
  /* A response button has closed the dialog already, a response given in
   * code has not; destroying twice is harmless. */
  gtk_window_destroy (GTK_WINDOW (dialog));
}

GtkWidget *
kwb_recordings_page_ask_delete (KwbRecordingsPage *self,
                                KwbRecording      *recording)
{
  GtkRoot *root;
  GtkWidget *dialog;
  g_autofree char *size = NULL;

  g_return_val_if_fail (KWB_IS_RECORDINGS_PAGE (self), NULL);
  g_return_val_if_fail (KWB_IS_RECORDING (recording), NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  size = g_format_size (kwb_recording_get_size (recording));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete this recording?"), NULL);
  /* Translators: the question before a recording is deleted; the first %s is
   * its size ("40.1 MB"), the second its folder. */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Its %s on disk in %s are removed. This cannot be undone."),
                                  size, kwb_recording_get_dir (recording));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "kwb-recording", g_object_ref (recording), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* ---- rows ---- */

static void
on_delete_clicked (GtkButton         *button,
                   KwbRecordingsPage *self)
{
  KwbRecording *recording = g_object_get_data (G_OBJECT (button), "kwb-recording");

  if (recording != NULL)
    kwb_recordings_page_ask_delete (self, recording);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  KwbRecordingsPage *self = user_data;
  KwbRecording *recording = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *replay = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *title = kwb_recordings_page_dup_row_title (recording);
  g_autofree char *subtitle = kwb_recordings_page_dup_row_subtitle (recording);
  const char *dir = kwb_recording_get_dir (recording);

  gtk_widget_set_name (row, "recording_row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  gtk_widget_add_css_class (row, "numeric");
  gtk_widget_set_tooltip_text (row, dir);

  gtk_widget_set_name (replay, "recording_replay");
  gtk_widget_set_valign (replay, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (replay, "flat");
  gtk_widget_set_tooltip_text (replay, _("Replay This Recording"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (replay),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Replay This Recording"), -1);
  if (kwb_recording_get_finished (recording))
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (replay), "win.replay-recording");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (replay), g_variant_new_string (dir));
    }
  else
    /* No action at all: an action's state would make the button sensitive. */
    gtk_widget_set_sensitive (replay, FALSE);

  gtk_widget_set_name (remove, "recording_delete");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Delete This Recording"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Delete This Recording"), -1);
  g_object_set_data_full (G_OBJECT (remove), "kwb-recording", g_object_ref (recording), g_object_unref);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_delete_clicked), self, 0);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), replay);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

/* ---- reading the folder ---- */

static void
update_empty (KwbRecordingsPage *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0;

  if (self->project == NULL)
    adw_status_page_set_description (self->empty_page, _("Open a project to see its recordings."));
  else
    adw_status_page_set_description (self->empty_page,
                                     _("Turn on Record This Run in the run controls and start a session: "
                                       "the run is kept here, to replay forwards and backwards."));
  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static gboolean
same_recording (KwbRecording *a,
                KwbRecording *b)
{
  return g_strcmp0 (kwb_recording_get_dir (a), kwb_recording_get_dir (b)) == 0 &&
         kwb_recording_get_finished (a) == kwb_recording_get_finished (b) &&
         kwb_recording_get_seconds (a) == kwb_recording_get_seconds (b) &&
         kwb_recording_get_icount (a) == kwb_recording_get_icount (b) &&
         kwb_recording_get_size (a) == kwb_recording_get_size (b);
}

/* Rows are only rebuilt when something they show changed: a reload for an
 * unrelated event keeps the focus where it was. */
static void
show_recordings (KwbRecordingsPage *self,
                 GPtrArray         *list)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  gboolean same = n == list->len;

  for (guint i = 0; same && i < n; i++)
    {
      g_autoptr(KwbRecording) shown = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      same = same_recording (shown, g_ptr_array_index (list, i));
    }
  if (!same)
    g_list_store_splice (self->store, 0, n, list->pdata, list->len);
  update_empty (self);
}

static void schedule_reload (KwbRecordingsPage *self);

static void
on_folder_changed (GFileMonitor      *monitor,
                   GFile             *file,
                   GFile             *other,
                   GFileMonitorEvent  event,
                   KwbRecordingsPage *self)
{
  if (event == G_FILE_MONITOR_EVENT_CHANGED ||
      event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED ||
      event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT)
    return;
  schedule_reload (self);
}

static void
on_project_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other,
                    GFileMonitorEvent  event,
                    KwbRecordingsPage *self)
{
  g_autofree char *name = g_file_get_basename (file);

  if (g_strcmp0 (name, "recordings") == 0)
    on_folder_changed (monitor, file, other, event, self);
}

static GFileMonitor *
monitor_folder (KwbRecordingsPage *self,
                const char        *path,
                GCallback          callback)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GFileMonitor *monitor = g_file_monitor_directory (file, G_FILE_MONITOR_NONE, NULL, &error);

  /* Without a monitor the page is still right after each reload. */
  if (monitor == NULL)
    {
      g_debug ("Not following %s: %s", path, error->message);
      return NULL;
    }
  g_signal_connect_object (monitor, "changed", callback, self, 0);
  return monitor;
}

static void
drop_monitor (gpointer data)
{
  GFileMonitor *monitor = data;

  if (monitor == NULL)
    return;
  g_file_monitor_cancel (monitor);
  g_object_unref (monitor);
}

static void
clear_monitors (KwbRecordingsPage *self)
{
  g_clear_pointer (&self->project_monitor, drop_monitor);
  g_clear_pointer (&self->recordings_monitor, drop_monitor);
  g_hash_table_remove_all (self->folder_monitors);
}

/* Called before each listing, so a file written after the monitors are in
 * place is seen by them, and one written before by the listing. */
static void
follow_folders (KwbRecordingsPage *self,
                const char        *root)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) dir = NULL;
  GHashTableIter iter;
  gpointer key;
  const char *name;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_clear_pointer (&self->recordings_monitor, drop_monitor);
      g_hash_table_remove_all (self->folder_monitors);
      /* Until the first recording, wait for the folder to appear. */
      if (self->project_monitor == NULL)
        self->project_monitor = monitor_folder (self, kwb_project_get_directory (self->project),
                                                G_CALLBACK (on_project_changed));
      return;
    }
  g_clear_pointer (&self->project_monitor, drop_monitor);
  if (self->recordings_monitor == NULL)
    self->recordings_monitor = monitor_folder (self, root, G_CALLBACK (on_folder_changed));

  dir = g_dir_open (root, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      if (!g_hash_table_contains (self->folder_monitors, path))
        g_hash_table_insert (self->folder_monitors, g_strdup (path),
                             monitor_folder (self, path, G_CALLBACK (on_folder_changed)));
      g_hash_table_add (seen, g_steal_pointer (&path));
    }
  g_hash_table_iter_init (&iter, self->folder_monitors);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (seen, key))
      g_hash_table_iter_remove (&iter);
}

void
kwb_recordings_page_reload (KwbRecordingsPage *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *root = NULL;

  g_return_if_fail (KWB_IS_RECORDINGS_PAGE (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->project == NULL)
    {
      list = g_ptr_array_new ();
      show_recordings (self, list);
      return;
    }
  root = g_build_filename (kwb_project_get_directory (self->project), "recordings", NULL);
  follow_folders (self, root);
  list = kwb_recording_list (self->project);
  show_recordings (self, list);
}

static gboolean
reload_cb (gpointer data)
{
  KwbRecordingsPage *self = data;

  self->reload_id = 0;
  kwb_recordings_page_reload (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reload (KwbRecordingsPage *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_cb, self);
}

void
kwb_recordings_page_set_project (KwbRecordingsPage *self,
                                 KwbProject        *project)
{
  g_return_if_fail (KWB_IS_RECORDINGS_PAGE (self));
  g_return_if_fail (project == NULL || KWB_IS_PROJECT (project));

  if (!g_set_object (&self->project, project))
    return;
  clear_monitors (self);
  kwb_recordings_page_reload (self);
}

GListModel *
kwb_recordings_page_get_model (KwbRecordingsPage *self)
{
  g_return_val_if_fail (KWB_IS_RECORDINGS_PAGE (self), NULL);
  return G_LIST_MODEL (self->store);
}

GtkWidget *
kwb_recordings_page_new (void)
{
  return g_object_new (KWB_TYPE_RECORDINGS_PAGE, NULL);
}

/* ---- GObject ---- */

static void
kwb_recordings_page_dispose (GObject *object)
{
  KwbRecordingsPage *self = KWB_RECORDINGS_PAGE (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->folder_monitors != NULL)
    clear_monitors (self);
  g_clear_object (&self->project);
  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_RECORDINGS_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (kwb_recordings_page_parent_class)->dispose (object);
}

static void
kwb_recordings_page_finalize (GObject *object)
{
  KwbRecordingsPage *self = KWB_RECORDINGS_PAGE (object);

  g_clear_pointer (&self->folder_monitors, g_hash_table_unref);
  G_OBJECT_CLASS (kwb_recordings_page_parent_class)->finalize (object);
}

static void
kwb_recordings_page_class_init (KwbRecordingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_recordings_page_dispose;
  object_class->finalize = kwb_recordings_page_finalize;

  /**
   * KwbRecordingsPage::failed:
   * @message: why a recording could not be deleted (for a toast)
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-recordings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbRecordingsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KwbRecordingsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, KwbRecordingsPage, empty_page);
}

static void
kwb_recordings_page_init (KwbRecordingsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (KWB_TYPE_RECORDING);
  self->folder_monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, drop_monitor);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->store), create_row, self, NULL);
  update_empty (self);
}
