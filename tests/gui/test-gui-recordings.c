/* test-gui-recordings.c — the Recordings page on recordings written in the test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page alone in a window, on a temporary project whose recordings are
 * written here as a recording leaves them (recording.ini, replay.bin,
 * snapshots.qcow2 with real sizes); making real ones needs QEMU and is
 * tests/gui/test-gui-replay's work. What the rows say, where their buttons
 * lead, how the list follows the folder, and deleting with its question.
 * The screenshot goes to $KWB_BUILD_ROOT/tests/gui/screenshots/recordings.png.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kwb-core.h"
#include "kwb-recordings-page.h"
#include "kwb-test-gtk-utils.h"

typedef struct {
  char       *dir;
  KwbProject *project;
  GtkWidget  *window;
  GtkWidget  *page;
} Fixture;

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
write_bytes (const char *dir,
             const char *name,
             gsize       size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = g_malloc0 (size);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
}

typedef struct {
  const char *name;      /* the folder, YYYYMMDD-HHMMSS */
  int         year, month, day, hour, minute;
  gboolean    finished;
  double      seconds;
  gint64      icount;
  gsize       log_size;
  gsize       image_size;
} Spec;

static const Spec oldest = { "20250301-101500", 2025, 3, 1, 10, 15, TRUE, 20.3, G_GINT64_CONSTANT (1530000000),
                             1 << 20, 200 * 1024 };
static const Spec killed = { "20250302-093000", 2025, 3, 2, 9, 30, FALSE, 0, 0, 12000, 0 };
static const Spec newest = { "20250313-141200", 2025, 3, 13, 14, 12, TRUE, 4.0, 2500000, 3000000, 0 };

/* What KwbRecording writes, written by hand: the keys its loader requires. */
static char *
write_recording (Fixture    *f,
                 const Spec *spec)
{
  g_autofree char *dir = g_build_filename (f->dir, "recordings", spec->name, NULL);
  g_autofree char *meta = g_build_filename (dir, "recording.ini", NULL);
  g_autoptr(GDateTime) created = g_date_time_new_local (spec->year, spec->month, spec->day,
                                                        spec->hour, spec->minute, 0);
  g_autofree char *iso = g_date_time_format_iso8601 (created);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  if (spec->log_size > 0)
    write_bytes (dir, "replay.bin", spec->log_size);
  if (spec->image_size > 0)
    write_bytes (dir, "snapshots.qcow2", spec->image_size);
  g_key_file_set_string (key_file, "recording", "created", iso);
  g_key_file_set_string (key_file, "recording", "project", f->dir);
  g_key_file_set_string (key_file, "recording", "arch", "x86_64");
  g_key_file_set_string (key_file, "recording", "kernel", "/nonexistent/bzImage");
  g_key_file_set_string (key_file, "recording", "kernel-sha256",
                         "0000000000000000000000000000000000000000000000000000000000000000");
  g_key_file_set_string (key_file, "recording", "cmdline", "console=ttyS0");
  g_key_file_set_integer (key_file, "recording", "memory", 256);
  g_key_file_set_boolean (key_file, "recording", "finished", spec->finished);
  if (spec->finished)
    g_key_file_set_double (key_file, "recording", "seconds", spec->seconds);
  if (spec->icount > 0)
    g_key_file_set_int64 (key_file, "recording", "icount", spec->icount);
  g_key_file_save_to_file (key_file, meta, &error);
  g_assert_no_error (error);
  return g_canonicalize_filename (dir, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *template = g_build_filename (g_get_tmp_dir (), "kwb-test-recordings-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;

  f->dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (f->dir);
  f->project = kwb_project_init_directory (f->dir, &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  f->page = kwb_recordings_page_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 320, 400);
  gtk_window_set_child (GTK_WINDOW (f->window), f->page);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->project);
  rm_rf (f->dir);
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
  g_free (f->dir);
}

static GtkStack *
page_stack (Fixture *f)
{
  return GTK_STACK (kwb_test_find_by_type (f->page, GTK_TYPE_STACK));
}

static const char *
empty_description (Fixture *f)
{
  return adw_status_page_get_description (ADW_STATUS_PAGE (kwb_test_require_widget (f->page,
                                                                                     "recordings_page_empty")));
}

static KwbRecording *
shown (Fixture *f,
       guint    position)
{
  GListModel *model = kwb_recordings_page_get_model (KWB_RECORDINGS_PAGE (f->page));
  g_autoptr(KwbRecording) recording = g_list_model_get_item (model, position);

  g_assert_nonnull (recording);
  /* The model keeps it alive while it is shown. */
  return recording;
}

static guint
n_shown (Fixture *f)
{
  return g_list_model_get_n_items (kwb_recordings_page_get_model (KWB_RECORDINGS_PAGE (f->page)));
}

/* ---- no project, no recordings ---- */

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  KwbRecordingsPage *page = KWB_RECORDINGS_PAGE (f->page);

  kwb_test_wait_for_draw (f->window);
  g_assert_cmpuint (n_shown (f), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack (f)), ==, "empty");
  g_assert_cmpstr (empty_description (f), ==, "Open a project to see its recordings.");
  g_assert_nonnull (kwb_test_find_by_label (f->page, "No Recordings"));

  /* A project without a recordings folder: how a run gets recorded. */
  kwb_recordings_page_set_project (page, f->project);
  g_assert_cmpuint (n_shown (f), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack (f)), ==, "empty");
  g_assert_nonnull (strstr (empty_description (f), "Record This Run"));

  kwb_recordings_page_set_project (page, NULL);
  g_assert_cmpstr (empty_description (f), ==, "Open a project to see its recordings.");
}

/* ---- the rows ---- */

static void
on_replay (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  char **replayed = user_data;

  g_free (*replayed);
  *replayed = g_variant_dup_string (parameter, NULL);
}

static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  KwbRecordingsPage *page = KWB_RECORDINGS_PAGE (f->page);
  g_autofree char *oldest_dir = write_recording (f, &oldest);
  g_autofree char *killed_dir = write_recording (f, &killed);
  g_autofree char *newest_dir = write_recording (f, &newest);
  g_autoptr(GSimpleActionGroup) win = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) replay = g_simple_action_new ("replay-recording", G_VARIANT_TYPE_STRING);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) buttons = NULL;
  g_autofree char *replayed = NULL;
  static const char * const titles[] = { "13 Mar 2025, 14:12", "2 Mar 2025, 09:30", "1 Mar 2025, 10:15" };
  static const char * const subtitles[] = {
    "4.0\u00a0s\u00a0· 2.50\u00a0M instructions\u00a0· 3.0\u00a0MB",
    "Not finished: cannot be replayed\u00a0· 12.0\u00a0kB",
    "20.3\u00a0s\u00a0· 1.53\u00a0G instructions\u00a0· 1.3\u00a0MB",
  };
  const char *dirs[] = { newest_dir, killed_dir, oldest_dir };
  g_autofree char *stray = g_build_filename (f->dir, "recordings", "not-a-recording", NULL);

  /* A folder without recording.ini is no recording. */
  g_assert_cmpint (g_mkdir_with_parents (stray, 0755), ==, 0);
  /* The window's action, as KwbWindow has it. */
  g_signal_connect (replay, "activate", G_CALLBACK (on_replay), &replayed);
  g_action_map_add_action (G_ACTION_MAP (win), G_ACTION (replay));
  gtk_widget_insert_action_group (f->window, "win", G_ACTION_GROUP (win));

  kwb_recordings_page_set_project (page, f->project);
  g_assert_cmpuint (n_shown (f), ==, 3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack (f)), ==, "list");
  kwb_test_wait_for_draw (f->window);

  rows = kwb_test_find_all (kwb_test_require_widget (f->page, "recordings_list"), "recording_row");
  buttons = kwb_test_find_all (f->page, "recording_replay");
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpuint (buttons->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      AdwActionRow *row = g_ptr_array_index (rows, i);
      g_autofree char *title = kwb_recordings_page_dup_row_title (shown (f, i));
      g_autofree char *subtitle = kwb_recordings_page_dup_row_subtitle (shown (f, i));

      /* Newest first. */
      g_assert_cmpstr (kwb_recording_get_dir (shown (f, i)), ==, dirs[i]);
      g_assert_cmpstr (title, ==, titles[i]);
      g_assert_cmpstr (subtitle, ==, subtitles[i]);
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, titles[i]);
      g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, subtitles[i]);
      g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), ==, dirs[i]);
    }

  /* Finished ones replay their folder through the window's action; the
   * one QEMU never finished cannot. */
  for (guint i = 0; i < 3; i += 2)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));

      g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.replay-recording");
      g_assert_nonnull (target);
      g_assert_cmpstr (g_variant_get_string (target, NULL), ==, dirs[i]);
      g_assert_true (gtk_widget_is_sensitive (button));
      g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Replay This Recording");
    }
  g_assert_false (gtk_widget_is_sensitive (g_ptr_array_index (buttons, 1)));
  g_assert_null (gtk_actionable_get_action_name (GTK_ACTIONABLE (g_ptr_array_index (buttons, 1))));

  kwb_test_click (g_ptr_array_index (buttons, 2));
  g_assert_cmpstr (replayed, ==, oldest_dir);

  kwb_test_save_screenshot (f->window, "recordings.png");
  {
    g_autofree char *png = g_build_filename (g_getenv ("KWB_BUILD_ROOT"), "tests", "gui", "screenshots",
                                             "recordings.png", NULL);

    g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  kwb_test_save_screenshot (f->window, "recordings-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* ---- following the folder ---- */

typedef struct {
  Fixture *f;
  guint    n;
} Count;

static gboolean
shows_n (gpointer data)
{
  Count *count = data;

  return n_shown (count->f) == count->n;
}

static gboolean
first_finished (gpointer data)
{
  Fixture *f = data;

  return n_shown (f) > 0 && kwb_recording_get_finished (shown (f, 0));
}

static void
test_follow (Fixture       *f,
             gconstpointer  data)
{
  KwbRecordingsPage *page = KWB_RECORDINGS_PAGE (f->page);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(KwbRecording) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  Count count = { f, 1 };

  /* No recordings folder yet: the first recording makes it. */
  kwb_recordings_page_set_project (page, f->project);
  g_assert_cmpuint (n_shown (f), ==, 0);
  first = write_recording (f, &oldest);
  kwb_test_wait_until (shows_n, &count, "the first recording to be listed");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack (f)), ==, "list");

  /* A recording starts: listed at once, not finished yet. */
  second = write_recording (f, &killed);
  count.n = 2;
  kwb_test_wait_until (shows_n, &count, "the second recording to be listed");
  g_assert_cmpstr (kwb_recording_get_dir (shown (f, 0)), ==, second);
  g_assert_false (kwb_recording_get_finished (shown (f, 0)));

  /* It ends: only recording.ini changes, inside its own folder. */
  loaded = kwb_recording_load (second, &error);
  g_assert_no_error (error);
  g_assert_true (kwb_recording_set_finished (loaded, 7.5, 0, &error));
  g_assert_no_error (error);
  kwb_test_wait_until (first_finished, f, "the ended recording to be shown as finished");
  kwb_test_wait_for_draw (f->window);
  rows = kwb_test_find_all (f->page, "recording_row");
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (adw_action_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, "7.5\u00a0s\u00a0· 12.0\u00a0kB");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (kwb_test_require_widget (g_ptr_array_index (rows, 0),
                                                                                            "recording_replay"))),
                   ==, "win.replay-recording");

  /* Deleted elsewhere (kwb in a terminal). */
  g_assert_true (kwb_recording_delete (loaded, &error));
  g_assert_no_error (error);
  count.n = 1;
  kwb_test_wait_until (shows_n, &count, "the recording deleted elsewhere to go");
  g_assert_cmpstr (kwb_recording_get_dir (shown (f, 0)), ==, first);
}

/* ---- deleting ---- */

static gboolean
is_toplevel (GtkWidget *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if ((GtkWidget *) item == window)
        return TRUE;
    }
  return FALSE;
}

static void
on_failed (KwbRecordingsPage *page,
           const char        *message,
           char             **failure)
{
  g_free (*failure);
  *failure = g_strdup (message);
}

static gboolean
file_exists (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  KwbRecordingsPage *page = KWB_RECORDINGS_PAGE (f->page);
  g_autofree char *old_dir = write_recording (f, &oldest);
  g_autofree char *new_dir = write_recording (f, &newest);
  g_autofree char *failure = NULL;
  g_autoptr(GtkWidget) dialog = NULL;
  g_autoptr(GPtrArray) deletes = NULL;
  AdwMessageDialog *question;

  /* Something of the user's beside the recording. */
  write_bytes (old_dir, "notes.txt", 10);
  kwb_recordings_page_set_project (page, f->project);
  g_signal_connect (page, "failed", G_CALLBACK (on_failed), &failure);
  g_assert_cmpuint (n_shown (f), ==, 2);
  kwb_test_wait_for_draw (f->window);

  /* The row's button asks first; cancelling keeps everything. */
  deletes = kwb_test_find_all (f->page, "recording_delete");
  g_assert_cmpuint (deletes->len, ==, 2);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (g_ptr_array_index (deletes, 1)), ==, "Delete This Recording");
  kwb_test_click (g_ptr_array_index (deletes, 1));
  question = kwb_test_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, "the question before deleting");
  dialog = g_object_ref (GTK_WIDGET (question));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (question)) == GTK_WINDOW (f->window));
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Delete this recording?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), old_dir));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "1.3\u00a0MB"));
  g_assert_true (adw_message_dialog_has_response (question, "cancel"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (question, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (question, "cancel");
  g_assert_false (is_toplevel (dialog));
  g_clear_object (&dialog);
  g_assert_cmpuint (n_shown (f), ==, 2);
  g_assert_true (file_exists (old_dir, "replay.bin"));
  g_assert_true (file_exists (old_dir, "recording.ini"));

  /* Confirmed: the recording's files go, the user's file and so its folder stay. */
  dialog = g_object_ref (kwb_recordings_page_ask_delete (page, shown (f, 1)));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  g_assert_false (is_toplevel (dialog));
  g_clear_object (&dialog);
  g_assert_null (failure);
  g_assert_cmpuint (n_shown (f), ==, 1);
  g_assert_cmpstr (kwb_recording_get_dir (shown (f, 0)), ==, new_dir);
  g_assert_false (file_exists (old_dir, "replay.bin"));
  g_assert_false (file_exists (old_dir, "snapshots.qcow2"));
  g_assert_false (file_exists (old_dir, "recording.ini"));
  g_assert_true (file_exists (old_dir, "notes.txt"));

  /* A file that cannot be removed: the page says why and keeps the row.
   * (unlink refuses a directory, even to root.) */
  {
    g_autofree char *log = g_build_filename (new_dir, "replay.bin", NULL);

    g_assert_cmpint (g_unlink (log), ==, 0);
    g_assert_cmpint (g_mkdir (log, 0755), ==, 0);
    write_bytes (log, "inside", 1);
  }
  dialog = g_object_ref (kwb_recordings_page_ask_delete (page, shown (f, 0)));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  g_clear_object (&dialog);
  g_assert_nonnull (failure);
  g_assert_nonnull (strstr (failure, "replay.bin"));
  g_assert_cmpuint (n_shown (f), ==, 1);
  g_assert_true (file_exists (new_dir, "recording.ini"));

  /* The last one deleted: the folder goes with it, and the page is empty. */
  {
    g_autofree char *log = g_build_filename (new_dir, "replay.bin", NULL);

    rm_rf (log);
  }
  g_clear_pointer (&failure, g_free);
  g_assert_true (kwb_recordings_page_delete_recording (page, shown (f, 0), NULL));
  g_assert_null (failure);
  g_assert_cmpuint (n_shown (f), ==, 0);
  g_assert_false (g_file_test (new_dir, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack (f)), ==, "empty");
  g_assert_nonnull (strstr (empty_description (f), "Record This Run"));
}

int
main (int    argc,
      char **argv)
{
  if (kwb_test_init (&argc, &argv))
    {
      g_test_add ("/gui/recordings/empty", Fixture, NULL, fixture_set_up, test_empty, fixture_tear_down);
      g_test_add ("/gui/recordings/rows", Fixture, NULL, fixture_set_up, test_rows, fixture_tear_down);
      g_test_add ("/gui/recordings/follow", Fixture, NULL, fixture_set_up, test_follow, fixture_tear_down);
      g_test_add ("/gui/recordings/delete", Fixture, NULL, fixture_set_up, test_delete, fixture_tear_down);
    }
  return g_test_run ();
}
