/* test-recording.c — KwbRecording: what a recording keeps, and what a replay refuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A prebuilt project with small stand-in files for the kernel, vmlinux and
 * initramfs: nothing boots here. Creating needs qemu-img (qemu-utils); those
 * tests skip, saying so, where it is not installed.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "kwb-core.h"

typedef struct {
  char             *dir;
  KwbProject       *project;
  KwbSessionConfig *config;
  char             *initrd;
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
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static KwbSessionConfig *
new_config (KwbProject *project)
{
  g_autoptr(GError) error = NULL;
  KwbSessionConfig *config = kwb_session_config_new_for_project (project, &error);

  g_assert_no_error (error);
  return config;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *vmlinux = NULL;

  f->dir = g_dir_make_tmp ("kwb-test-recording-XXXXXX", &error);
  g_assert_no_error (error);
  f->project = kwb_project_init_directory (f->dir, &error);
  g_assert_no_error (error);
  write_file (f->dir, "bzImage", "a kernel image");
  write_file (f->dir, "vmlinux", "its symbols");
  write_file (f->dir, "initramfs.cpio.gz", "an initramfs");
  kernel = g_build_filename (f->dir, "bzImage", NULL);
  vmlinux = g_build_filename (f->dir, "vmlinux", NULL);
  f->initrd = g_build_filename (f->dir, "initramfs.cpio.gz", NULL);
  kwb_project_set_string (f->project, "kernel", "profile", "prebuilt");
  kwb_project_set_string (f->project, "kernel", "image", kernel);
  kwb_project_set_string (f->project, "kernel", "vmlinux", vmlinux);
  kwb_project_set_string (f->project, "initramfs", "output", f->initrd);
  kwb_project_set_int (f->project, "qemu", "memory", 384);
  g_assert_true (kwb_project_save (f->project, &error));
  g_assert_no_error (error);
  f->config = new_config (f->project);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->config);
  g_clear_object (&f->project);
  rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->initrd);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static KwbRecording *
create (const char        *dir,
        KwbSessionConfig  *config,
        GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kwb_recording_create_async (dir, config, NULL, store_result, &result);
  return kwb_recording_create_finish (wait_result (&result), error);
}

static gboolean
check (KwbRecording      *recording,
       KwbSessionConfig  *config,
       GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kwb_recording_check_async (recording, config, NULL, store_result, &result);
  return kwb_recording_check_finish (recording, wait_result (&result), error);
}

static gboolean
have_qemu_img (void)
{
  g_autofree char *path = g_find_program_in_path ("qemu-img");

  if (path == NULL)
    g_test_skip ("qemu-img is not installed (Debian package qemu-utils)");
  return path != NULL;
}

static void
test_not_a_recording (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbRecording) recording = kwb_recording_load (f->dir, &error);

  g_assert_null (recording);
  g_assert_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "kwb record"));
}

/* Reported with the file's path, and the file stays as it was. */
static void
test_unparsable_left_alone (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (f->dir, "broken", NULL);
  g_autofree char *path = g_build_filename (dir, "recording.ini", NULL);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbRecording) recording = NULL;
  const char *garbage = "this is [not\nan ini file\n";

  g_mkdir (dir, 0755);
  write_file (dir, "recording.ini", garbage);
  recording = kwb_recording_load (dir, &error);
  g_assert_null (recording);
  g_assert_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, path));
  g_file_get_contents (path, &after, NULL, NULL);
  g_assert_cmpstr (after, ==, garbage);

  /* Parsable but lacking what a replay needs: named. */
  g_clear_error (&error);
  write_file (dir, "recording.ini", "[recording]\ncreated=2026-01-01T00:00:00Z\nproject=/x\n");
  recording = kwb_recording_load (dir, &error);
  g_assert_null (recording);
  g_assert_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“arch”"));
}

static void
test_create_and_load (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (f->dir, "recordings", "first", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbRecording) recording = NULL;
  g_autoptr(KwbRecording) again = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *expected_sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "a kernel image", -1);
  g_autofree char *meta_path = NULL;

  if (!have_qemu_img ())
    return;
  recording = create (dir, f->config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recording);
  g_assert_cmpstr (kwb_recording_get_project_dir (recording), ==, kwb_project_get_directory (f->project));
  g_assert_true (g_str_has_suffix (kwb_recording_get_log_file (recording), "/first/replay.bin"));
  /* qemu-img made a real qcow2 image. */
  g_assert_true (g_file_test (kwb_recording_get_snapshot_image (recording), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (kwb_recording_get_size (recording), >, 0);
  g_assert_false (kwb_recording_get_finished (recording));
  g_assert_cmpuint (kwb_recording_get_memory (recording), ==, 384);
  meta_path = g_build_filename (dir, "recording.ini", NULL);
  g_file_get_contents (meta_path, &meta, NULL, NULL);
  g_assert_nonnull (strstr (meta, expected_sum));

  /* Not finished: a replay is refused, saying why. */
  g_assert_false (check (recording, f->config, &error));
  g_assert_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_INCOMPLETE);
  g_clear_error (&error);

  write_file (dir, "replay.bin", "a log");
  g_assert_true (kwb_recording_set_finished (recording, 12.5, 123456789, &error));
  g_assert_no_error (error);
  again = kwb_recording_load (dir, &error);
  g_assert_no_error (error);
  g_assert_true (kwb_recording_get_finished (again));
  g_assert_cmpfloat (kwb_recording_get_seconds (again), ==, 12.5);
  g_assert_cmpint (kwb_recording_get_icount (again), ==, 123456789);
  g_assert_nonnull (kwb_recording_get_created (again));
  g_assert_true (check (again, f->config, &error));
  g_assert_no_error (error);

  list = kwb_recording_list (f->project);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (kwb_recording_get_name (g_ptr_array_index (list, 0)), ==, "first");

  /* A second recording into the same folder is refused. */
  g_clear_object (&recording);
  recording = create (dir, f->config, &error);
  g_assert_null (recording);
  g_assert_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_EXISTS);
}

/* Another kernel, initramfs or command line than recorded: refused with the reason. */
static void
test_replay_refuses_another_guest (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (f->dir, "rec", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbRecording) recording = NULL;
  g_autoptr(KwbSessionConfig) changed = NULL;

  if (!have_qemu_img ())
    return;
  recording = create (dir, f->config, &error);
  g_assert_no_error (error);
  write_file (dir, "replay.bin", "a log");
  g_assert_true (kwb_recording_set_finished (recording, 1, 0, &error));

  write_file (f->dir, "initramfs.cpio.gz", "another initramfs");
  g_assert_false (check (recording, f->config, &error));
  g_assert_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "initramfs"));
  g_assert_nonnull (strstr (error->message, f->initrd));
  g_clear_error (&error);
  write_file (f->dir, "initramfs.cpio.gz", "an initramfs");

  write_file (f->dir, "bzImage", "a rebuilt kernel image");
  g_assert_false (check (recording, f->config, &error));
  g_assert_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "another kernel"));
  g_clear_error (&error);
  write_file (f->dir, "bzImage", "a kernel image");
  g_assert_true (check (recording, f->config, &error));
  g_assert_no_error (error);

  kwb_project_set_string (f->project, "qemu", "cmdline", "loglevel=8");
  changed = new_config (f->project);
  g_assert_false (check (recording, changed, &error));
  g_assert_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "command line"));
}

/* A recording from before the x86-64 replay machine changed: refused, saying
 * to record again, since its replay would diverge. */
static void
test_replay_refuses_older_machine (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (f->dir, "rec", NULL);
  g_autofree char *meta_path = g_build_filename (dir, "recording.ini", NULL);
  g_autofree char *meta = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbRecording) recording = NULL;
  g_autoptr(KwbRecording) older = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  if (!have_qemu_img ())
    return;
  recording = create (dir, f->config, &error);
  g_assert_no_error (error);
  write_file (dir, "replay.bin", "a log");
  g_assert_true (kwb_recording_set_finished (recording, 1, 0, &error));
  g_file_get_contents (meta_path, &meta, NULL, NULL);
  g_assert_nonnull (strstr (meta, "machine-version=2"));
  g_assert_true (check (recording, f->config, &error));
  g_assert_no_error (error);

  g_assert_true (g_key_file_load_from_file (key_file, meta_path, G_KEY_FILE_NONE, &error));
  g_assert_true (g_key_file_remove_key (key_file, "recording", "machine-version", &error));
  g_assert_true (g_key_file_save_to_file (key_file, meta_path, &error));
  older = kwb_recording_load (dir, &error);
  g_assert_no_error (error);
  g_assert_false (check (older, f->config, &error));
  g_assert_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "record the run again"));
}

/* Delete removes the recording's own files only. */
static void
test_delete_keeps_foreign_files (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (f->dir, "rec", NULL);
  g_autofree char *note = g_build_filename (dir, "my-notes.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbRecording) recording = NULL;

  if (!have_qemu_img ())
    return;
  recording = create (dir, f->config, &error);
  g_assert_no_error (error);
  write_file (dir, "replay.bin", "a log");
  write_file (dir, "my-notes.txt", "mine");
  g_assert_true (kwb_recording_delete (recording, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (kwb_recording_get_log_file (recording), G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (kwb_recording_get_snapshot_image (recording), G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (note, G_FILE_TEST_EXISTS));
}

/* At the snapshot cap: the one whose loss leaves the shortest stretch
 * without a snapshot goes, never the recording's own nor the last. */
static void
test_pick_eviction (void)
{
  /* init, then ours at 100, 150, 400, 1000 */
  const gint64 icounts[] = { 0, 100, 150, 400, 1000 };
  const gboolean ours[] = { FALSE, TRUE, TRUE, TRUE, TRUE };
  const gboolean theirs[] = { FALSE, FALSE, FALSE, FALSE, FALSE };

  /* New at 1100: 100 leaves 0..150 (150), 150 leaves 100..400 (300),
   * 400 leaves 150..1000, 1000 leaves 400..1100; the new one is last. */
  g_assert_cmpint (kwb_replay_pick_eviction (icounts, ours, 5, 1100, FALSE), ==, 1);
  /* New at 120, between 100 and 150: it would leave 100..150, the
   * shortest, so it is not taken (-1). */
  g_assert_cmpint (kwb_replay_pick_eviction (icounts, ours, 5, 120, FALSE), ==, -1);
  /* Unless the new one must stay (a snapshot near a stop, for the steps
   * back from there): then 100, which leaves 0..120. */
  g_assert_cmpint (kwb_replay_pick_eviction (icounts, ours, 5, 120, TRUE), ==, 1);
  /* New at 700: 400..1000 is split; 100 still leaves the shortest. */
  g_assert_cmpint (kwb_replay_pick_eviction (icounts, ours, 5, 700, FALSE), ==, 1);
  /* Nothing of ours to delete: the new one is not taken either. */
  g_assert_cmpint (kwb_replay_pick_eviction (icounts, theirs, 5, 2000, FALSE), ==, -1);
  g_assert_cmpint (kwb_replay_pick_eviction (icounts, theirs, 5, 2000, TRUE), ==, -1);
  /* Evenly spread: the first of ours (ties go to the earliest). */
  {
    const gint64 even[] = { 0, 100, 200, 300 };
    const gboolean even_ours[] = { FALSE, TRUE, TRUE, TRUE };

    g_assert_cmpint (kwb_replay_pick_eviction (even, even_ours, 4, 400, FALSE), ==, 1);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/recording/not-a-recording", test_not_a_recording);
  ADD ("/recording/unparsable-left-alone", test_unparsable_left_alone);
  ADD ("/recording/create-and-load", test_create_and_load);
  ADD ("/recording/replay-refuses-older-machine", test_replay_refuses_older_machine);
  ADD ("/recording/replay-refuses-another-guest", test_replay_refuses_another_guest);
  ADD ("/recording/delete-keeps-foreign-files", test_delete_keeps_foreign_files);
  g_test_add_func ("/replay/pick-eviction", test_pick_eviction);
  return g_test_run ();
}
