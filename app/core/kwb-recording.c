/* kwb-recording.c — a recorded guest run: QEMU's replay log, its snapshots, what it was made with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A recording is a folder:
 *   replay.bin       QEMU's log of every non-deterministic event (-icount rr=)
 *   snapshots.qcow2  the snapshots a replay goes backwards from ("init" at the start)
 *   recording.ini    what was booted (kernel and initramfs with their SHA-256,
 *                    command line, memory, architecture), when, for how long,
 *                    and the version of the machine it was recorded on
 *
 * A replay is only deterministic on the very same guest: another kernel or
 * initramfs would read the log as nonsense and diverge silently, so replay
 * refuses one whose files hash differently, and says which. The hashes are
 * taken in a thread: the booted file can be a vmlinux of hundreds of MB.
 *
 * recording.ini is written atomically; one that cannot be parsed is reported,
 * never rewritten.
 */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-atomic-file.h"
#include "kwb-recording.h"
#include "kwb-spawn.h"

#define GROUP          "recording"
#define META_FILE      "recording.ini"
#define LOG_FILE       "replay.bin"
#define IMAGE_FILE     "snapshots.qcow2"
/* Virtual size only: the image holds no disk data, just the snapshots'
 * memory, which qcow2 stores beside it. */
#define IMAGE_SIZE     "1G"
#define HASH_BLOCK     (1 << 20)
/* Raised when the machine a run is recorded on changes (an architecture's
 * qemu_replay_args): a replay on another machine would diverge. Version 2:
 * x86-64 without the APIC's TPR helper. Absent means 1. */
#define MACHINE_VERSION 2

struct _KwbRecording
{
  GObject    parent_instance;

  char      *dir;
  char      *name;
  char      *log_file;
  char      *image;
  char      *project;
  GKeyFile  *meta;
  GDateTime *created;
};

G_DEFINE_FINAL_TYPE (KwbRecording, kwb_recording, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-recording-error-quark, kwb_recording_error)

static void
kwb_recording_finalize (GObject *object)
{
  KwbRecording *self = KWB_RECORDING (object);

  g_free (self->dir);
  g_free (self->name);
  g_free (self->log_file);
  g_free (self->image);
  g_free (self->project);
  g_clear_pointer (&self->meta, g_key_file_unref);
  g_clear_pointer (&self->created, g_date_time_unref);
  G_OBJECT_CLASS (kwb_recording_parent_class)->finalize (object);
}

static void
kwb_recording_class_init (KwbRecordingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_recording_finalize;
}

static void
kwb_recording_init (KwbRecording *self)
{
}

static KwbRecording *
recording_new (const char *dir,
               GKeyFile   *meta)
{
  KwbRecording *self = g_object_new (KWB_TYPE_RECORDING, NULL);
  g_autofree char *created = g_key_file_get_string (meta, GROUP, "created", NULL);

  self->dir = g_canonicalize_filename (dir, NULL);
  self->name = g_path_get_basename (self->dir);
  self->log_file = g_build_filename (self->dir, LOG_FILE, NULL);
  self->image = g_build_filename (self->dir, IMAGE_FILE, NULL);
  self->meta = g_key_file_ref (meta);
  self->project = g_key_file_get_string (meta, GROUP, "project", NULL);
  if (created != NULL)
    self->created = g_date_time_new_from_iso8601 (created, NULL);
  return self;
}

static gboolean
save_meta (KwbRecording  *self,
           GError       **error)
{
  g_autofree char *path = g_build_filename (self->dir, META_FILE, NULL);
  gsize len;
  g_autofree char *data = g_key_file_to_data (self->meta, &len, NULL);

  return kwb_atomic_file_replace (path, data, len, error);
}

/* ---- hashing, in a thread ---- */

static char *
hash_file (const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buf = NULL;
  gssize n;

  if (in == NULL)
    return NULL;
  buf = g_malloc (HASH_BLOCK);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buf, HASH_BLOCK, cancellable, error)) > 0)
    g_checksum_update (sum, buf, n);
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (sum));
}

typedef struct {
  char *kernel;
  char *initrd;      /* NULL: none */
  char *kernel_sum;
  char *initrd_sum;
} Hashes;

static void
hashes_free (Hashes *h)
{
  g_free (h->kernel);
  g_free (h->initrd);
  g_free (h->kernel_sum);
  g_free (h->initrd_sum);
  g_free (h);
}

static gboolean
hash_both (Hashes        *h,
           GCancellable  *cancellable,
           GError       **error)
{
  if ((h->kernel_sum = hash_file (h->kernel, cancellable, error)) == NULL)
    return FALSE;
  if (h->initrd != NULL && (h->initrd_sum = hash_file (h->initrd, cancellable, error)) == NULL)
    return FALSE;
  return TRUE;
}

/* The file QEMU boots: the vmlinux itself when it has a PVH entry. */
static const char *
booted_kernel (KwbSessionConfig *config)
{
  return kwb_session_config_get_boot_vmlinux (config) ? kwb_session_config_get_vmlinux (config)
                                                      : kwb_session_config_get_kernel (config);
}

static Hashes *
hashes_for (KwbSessionConfig *config)
{
  Hashes *h = g_new0 (Hashes, 1);
  const char *initrd = kwb_session_config_get_initrd (config);

  h->kernel = g_strdup (booted_kernel (config));
  h->initrd = initrd && *initrd ? g_strdup (initrd) : NULL;
  return h;
}

/* ---- create ---- */

typedef struct {
  char       *dir;
  GKeyFile   *meta;
  Hashes     *hashes;
  char       *qemu_img;
} Create;

static void
create_free (Create *c)
{
  g_free (c->dir);
  g_clear_pointer (&c->meta, g_key_file_unref);
  g_clear_pointer (&c->hashes, hashes_free);
  g_free (c->qemu_img);
  g_free (c);
}

static void
image_created_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Create *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbRecording) self = NULL;

  if (!g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, &error))
    {
      g_task_return_new_error (task, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_TOOL,
                               _("qemu-img could not create the snapshot image in %s: %s"),
                               c->dir, error->message);
      return;
    }
  self = recording_new (c->dir, c->meta);
  if (!save_meta (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

static void
create_hash_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Create *c = task_data;
  GError *error = NULL;

  if (!hash_both (c->hashes, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
create_hashed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Create *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *image = NULL;
  GCancellable *cancellable;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_key_file_set_string (c->meta, GROUP, "kernel-sha256", c->hashes->kernel_sum);
  if (c->hashes->initrd_sum != NULL)
    g_key_file_set_string (c->meta, GROUP, "initramfs-sha256", c->hashes->initrd_sum);

  image = g_build_filename (c->dir, IMAGE_FILE, NULL);
  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  process = kwb_spawn (launcher,
                       (const char * const[]) { c->qemu_img, "create", "-q", "-f", "qcow2", image, IMAGE_SIZE, NULL },
                       "qemu-utils", &error);
  if (process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  g_subprocess_wait_check_async (process, cancellable, image_created_cb, g_steal_pointer (&task));
}

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir == NULL || g_dir_read_name (dir) == NULL;
}

void
kwb_recording_create_async (const char          *dir,
                            KwbSessionConfig    *config,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GTask) hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  KwbProject *project = kwb_session_config_get_project (config);
  Create *c;

  g_return_if_fail (dir != NULL);
  g_return_if_fail (KWB_IS_SESSION_CONFIG (config));
  g_task_set_source_tag (task, kwb_recording_create_async);

  c = g_new0 (Create, 1);
  c->dir = g_canonicalize_filename (dir, NULL);
  g_task_set_task_data (task, c, (GDestroyNotify) create_free);

  if ((c->qemu_img = kwb_spawn_find_program ("qemu-img", "qemu-utils", &error)) == NULL)
    {
      g_task_return_new_error (task, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_TOOL,
                               _("Recording needs qemu-img for its snapshots: %s"), error->message);
      return;
    }
  if (g_file_test (c->dir, G_FILE_TEST_EXISTS) &&
      (!g_file_test (c->dir, G_FILE_TEST_IS_DIR) || !dir_is_empty (c->dir)))
    {
      g_task_return_new_error (task, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_EXISTS,
                               _("%s already exists and is not an empty folder: "
                                 "record into a new folder, or delete the old recording first"), c->dir);
      return;
    }
  if (g_mkdir_with_parents (c->dir, 0755) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Cannot create %s: %s"), c->dir, g_strerror (saved));
      return;
    }

  c->meta = g_key_file_new ();
  c->hashes = hashes_for (config);
  g_key_file_set_string (c->meta, GROUP, "created", created);
  g_key_file_set_string (c->meta, GROUP, "project", kwb_project_get_directory (project));
  g_key_file_set_string (c->meta, GROUP, "arch", kwb_session_config_get_arch (config)->name);
  g_key_file_set_string (c->meta, GROUP, "kernel", c->hashes->kernel);
  if (c->hashes->initrd != NULL)
    g_key_file_set_string (c->meta, GROUP, "initramfs", c->hashes->initrd);
  g_key_file_set_string (c->meta, GROUP, "cmdline", kwb_session_config_get_cmdline (config)
                                                    ? kwb_session_config_get_cmdline (config) : "");
  g_key_file_set_integer (c->meta, GROUP, "memory", kwb_project_get_int (project, "qemu", "memory"));
  g_key_file_set_boolean (c->meta, GROUP, "finished", FALSE);
  g_key_file_set_integer (c->meta, GROUP, "machine-version", MACHINE_VERSION);

  hash = g_task_new (NULL, cancellable, create_hashed_cb, g_steal_pointer (&task));
  /* C stays owned by the outer task, which outlives this one. */
  g_task_set_task_data (hash, c, NULL);
  g_task_run_in_thread (hash, create_hash_thread);
}

KwbRecording *
kwb_recording_create_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- load ---- */

static const char * const required_keys[] = { "created", "project", "arch", "kernel", "kernel-sha256", "memory" };

KwbRecording *
kwb_recording_load (const char  *dir,
                    GError     **error)
{
  g_autofree char *path = g_build_filename (dir, META_FILE, NULL);
  g_autoptr(GKeyFile) meta = g_key_file_new ();
  g_autoptr(GError) local = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_NOT_FOUND,
                   _("%s is not a recording (it has no %s); make one with kwb record"), dir, META_FILE);
      return NULL;
    }
  if (!g_key_file_load_from_file (meta, path, G_KEY_FILE_KEEP_COMMENTS, &local))
    {
      g_set_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_INVALID,
                   _("Cannot read the recording’s %s: %s (the file is left as it is)"), path, local->message);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (required_keys); i++)
    if (!g_key_file_has_key (meta, GROUP, required_keys[i], NULL))
      {
        g_set_error (error, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_INVALID,
                     _("The recording’s %s has no “%s” in [%s]: it was not written by this "
                       "version of Kernel Workbench, or was edited"), path, required_keys[i], GROUP);
        return NULL;
      }
  return recording_new (dir, meta);
}

/* ---- check before a replay ---- */

static void
check_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  KwbRecording *self = source;
  Hashes *h = task_data;
  GError *error = NULL;
  g_autofree char *kernel_sum = g_key_file_get_string (self->meta, GROUP, "kernel-sha256", NULL);
  g_autofree char *initrd_sum = g_key_file_get_string (self->meta, GROUP, "initramfs-sha256", NULL);

  if (!hash_both (h, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_strcmp0 (kernel_sum, h->kernel_sum) != 0)
    g_task_return_new_error (task, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_MISMATCH,
                             _("This recording was made with another kernel than %s (its SHA-256 differs): "
                               "a replay needs the very kernel that was recorded. Rebuilding the kernel "
                               "makes older recordings unusable."), h->kernel);
  else if (g_strcmp0 (initrd_sum, h->initrd_sum) != 0)
    g_task_return_new_error (task, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_MISMATCH,
                             _("This recording was made with another initramfs than %s (its SHA-256 differs): "
                               "a replay needs the very initramfs that was recorded."),
                             h->initrd ? h->initrd : _("(none)"));
  else
    g_task_return_boolean (task, TRUE);
}

void
kwb_recording_check_async (KwbRecording        *self,
                           KwbSessionConfig    *config,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *arch = NULL;
  g_autofree char *cmdline = NULL;
  const char *now_cmdline;

  g_return_if_fail (KWB_IS_RECORDING (self));
  g_return_if_fail (KWB_IS_SESSION_CONFIG (config));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_recording_check_async);

  arch = g_key_file_get_string (self->meta, GROUP, "arch", NULL);
  cmdline = g_key_file_get_string (self->meta, GROUP, "cmdline", NULL);
  now_cmdline = kwb_session_config_get_cmdline (config) ? kwb_session_config_get_cmdline (config) : "";
  if (!g_key_file_get_boolean (self->meta, GROUP, "finished", NULL) || !g_file_test (self->log_file, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_INCOMPLETE,
                               _("The recording in %s never ended properly (QEMU was killed or the disk "
                                 "filled up): it cannot be replayed. Delete it and record again."), self->dir);
      return;
    }
  if (g_strcmp0 (arch, kwb_session_config_get_arch (config)->name) != 0)
    {
      g_task_return_new_error (task, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_MISMATCH,
                               _("This recording is of a %s guest, and the project now boots %s"),
                               arch, kwb_session_config_get_arch (config)->name);
      return;
    }
  if (kwb_session_config_get_arch (config)->qemu_replay_args != NULL &&
      g_key_file_get_integer (self->meta, GROUP, "machine-version", NULL) < MACHINE_VERSION)
    {
      g_task_return_new_error (task, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_MISMATCH,
                               _("This recording was made by an earlier version of Kernel Workbench, on a "
                                 "virtual machine unlike the one replays use now (its steps backwards could "
                                 "hang QEMU): record the run again."));
      return;
    }
  if (g_strcmp0 (cmdline, now_cmdline) != 0)
    {
      g_task_return_new_error (task, KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_MISMATCH,
                               _("The kernel command line changed since this recording (it was “%s”, "
                                 "it is now “%s”): a replay needs the recorded one. Set it back to replay."),
                               cmdline, now_cmdline);
      return;
    }
  g_task_set_task_data (task, hashes_for (config), (GDestroyNotify) hashes_free);
  g_task_run_in_thread (task, check_thread);
}

gboolean
kwb_recording_check_finish (KwbRecording  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the rest ---- */

gboolean
kwb_recording_set_finished (KwbRecording  *self,
                            double         seconds,
                            gint64         icount,
                            GError       **error)
{
  g_return_val_if_fail (KWB_IS_RECORDING (self), FALSE);

  g_key_file_set_boolean (self->meta, GROUP, "finished", TRUE);
  g_key_file_set_double (self->meta, GROUP, "seconds", seconds);
  if (icount > 0)
    g_key_file_set_int64 (self->meta, GROUP, "icount", icount);
  return save_meta (self, error);
}

gboolean
kwb_recording_delete (KwbRecording  *self,
                      GError       **error)
{
  static const char * const files[] = { LOG_FILE, IMAGE_FILE, META_FILE };

  g_return_val_if_fail (KWB_IS_RECORDING (self), FALSE);

  /* Only what a recording is made of: anything else the user put in the
   * folder stays, and the folder with it. */
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (self->dir, files[i], NULL);

      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot delete %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
    }
  g_rmdir (self->dir);
  return TRUE;
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

guint64
kwb_recording_get_size (KwbRecording *self)
{
  g_return_val_if_fail (KWB_IS_RECORDING (self), 0);
  return file_size (self->log_file) + file_size (self->image);
}

char *
kwb_recording_dup_default_dir (KwbProject *project)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "%Y%m%d-%H%M%S");

  return g_build_filename (kwb_project_get_directory (project), "recordings", name, NULL);
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  KwbRecording *ra = *(KwbRecording **) a;
  KwbRecording *rb = *(KwbRecording **) b;

  return -g_strcmp0 (ra->name, rb->name);
}

GPtrArray *
kwb_recording_list (KwbProject *project)
{
  g_autofree char *root = g_build_filename (kwb_project_get_directory (project), "recordings", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);
      KwbRecording *recording = kwb_recording_load (path, NULL);

      if (recording != NULL)
        g_ptr_array_add (list, recording);
    }
  g_ptr_array_sort (list, newest_first);
  return list;
}

guint
kwb_recording_get_memory (KwbRecording *self)
{
  g_return_val_if_fail (KWB_IS_RECORDING (self), 0);
  return (guint) g_key_file_get_integer (self->meta, GROUP, "memory", NULL);
}

const char *kwb_recording_get_dir (KwbRecording *self) { return self->dir; }
const char *kwb_recording_get_name (KwbRecording *self) { return self->name; }
const char *kwb_recording_get_log_file (KwbRecording *self) { return self->log_file; }
const char *kwb_recording_get_snapshot_image (KwbRecording *self) { return self->image; }
GDateTime *kwb_recording_get_created (KwbRecording *self) { return self->created; }

const char *kwb_recording_get_project_dir (KwbRecording *self) { return self->project; }

gboolean
kwb_recording_get_finished (KwbRecording *self)
{
  g_return_val_if_fail (KWB_IS_RECORDING (self), FALSE);
  return g_key_file_get_boolean (self->meta, GROUP, "finished", NULL);
}

double
kwb_recording_get_seconds (KwbRecording *self)
{
  g_return_val_if_fail (KWB_IS_RECORDING (self), 0);
  return g_key_file_get_double (self->meta, GROUP, "seconds", NULL);
}

gint64
kwb_recording_get_icount (KwbRecording *self)
{
  g_return_val_if_fail (KWB_IS_RECORDING (self), 0);
  return g_key_file_get_int64 (self->meta, GROUP, "icount", NULL);
}
