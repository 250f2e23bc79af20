/* kwb-build-manifest.c — BUILD/kwb-manifest.ini: what a kernel build made, from what
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernel build writes the manifest at the end of every build, including
 * an up-to-date one, so its modification time is when make last looked at
 * the tree. Readers: the session (which source tree the build used), the
 * stale check (which commit, with local changes or not), the build
 * pipeline (was the kernel ever built). One type so that the groups and
 * keys are spelled in one place:
 *
 *   [kernel] release, config-hash, source, source-commit, source-dirty
 *   [files]  bzImage, vmlinux, vmlinux-gdb.py, config, log, modules (list)
 *   [build]  finished, seconds, up-to-date, objects, full-objects
 */
#include "config.h"

#include <glib/gstdio.h>

#include "kwb-build-manifest.h"

struct _KwbBuildManifest
{
  GObject    parent_instance;

  char      *path;
  GKeyFile  *keys;
  gboolean   exists;
  gint64     modified;   /* µs since the epoch, when loaded */
};

G_DEFINE_FINAL_TYPE (KwbBuildManifest, kwb_build_manifest, G_TYPE_OBJECT)

static void
kwb_build_manifest_finalize (GObject *object)
{
  KwbBuildManifest *self = (KwbBuildManifest *) object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->keys, g_key_file_unref);
  G_OBJECT_CLASS (kwb_build_manifest_parent_class)->finalize (object);
}

static void
kwb_build_manifest_class_init (KwbBuildManifestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_build_manifest_finalize;
}

static void
kwb_build_manifest_init (KwbBuildManifest *self)
{
  self->keys = g_key_file_new ();
}

char *
kwb_build_manifest_dup_path_for (const char *build_dir)
{
  return g_build_filename (build_dir, KWB_BUILD_MANIFEST_NAME, NULL);
}

static gboolean
load (KwbBuildManifest  *self,
      GError           **error)
{
  GStatBuf st;

  if (!g_key_file_load_from_file (self->keys, self->path, G_KEY_FILE_NONE, error))
    return FALSE;
  if (g_stat (self->path, &st) == 0)
    self->modified = (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
  self->exists = TRUE;
  return TRUE;
}

/**
 * kwb_build_manifest_new:
 *
 * The manifest of @build_dir as it is (empty when there is none yet): to
 * read what is there, or to update and save it.
 */
KwbBuildManifest *
kwb_build_manifest_new (const char *build_dir)
{
  KwbBuildManifest *self;

  g_return_val_if_fail (build_dir != NULL, NULL);
  self = g_object_new (KWB_TYPE_BUILD_MANIFEST, NULL);
  self->path = kwb_build_manifest_dup_path_for (build_dir);
  load (self, NULL);
  return self;
}

/**
 * kwb_build_manifest_load:
 *
 * Returns: (nullable): the manifest of @build_dir, NULL with @error when
 * there is none or it cannot be read
 */
KwbBuildManifest *
kwb_build_manifest_load (const char  *build_dir,
                         GError     **error)
{
  g_autoptr(KwbBuildManifest) self = NULL;

  g_return_val_if_fail (build_dir != NULL, NULL);
  self = g_object_new (KWB_TYPE_BUILD_MANIFEST, NULL);
  self->path = kwb_build_manifest_dup_path_for (build_dir);
  if (!load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
kwb_build_manifest_get_path (KwbBuildManifest *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_MANIFEST (self), NULL);
  return self->path;
}

/* Whether a build finished there (the file was read). */
gboolean
kwb_build_manifest_get_exists (KwbBuildManifest *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_MANIFEST (self), FALSE);
  return self->exists;
}

/* When the last build finished (the file's time), µs since the epoch. */
gint64
kwb_build_manifest_get_modified (KwbBuildManifest *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_MANIFEST (self), 0);
  return self->modified;
}

gboolean
kwb_build_manifest_save (KwbBuildManifest  *self,
                         GError           **error)
{
  g_return_val_if_fail (KWB_IS_BUILD_MANIFEST (self), FALSE);
  if (!g_key_file_save_to_file (self->keys, self->path, error))
    return FALSE;
  self->exists = TRUE;
  self->modified = g_get_real_time ();
  return TRUE;
}

char *
kwb_build_manifest_dup_source (KwbBuildManifest *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_MANIFEST (self), NULL);
  return g_key_file_get_string (self->keys, "kernel", "source", NULL);
}

/* NULL when the tree was not a git checkout. */
char *
kwb_build_manifest_dup_source_commit (KwbBuildManifest *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_MANIFEST (self), NULL);
  return g_key_file_get_string (self->keys, "kernel", "source-commit", NULL);
}

gboolean
kwb_build_manifest_get_source_dirty (KwbBuildManifest *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_MANIFEST (self), FALSE);
  return g_key_file_get_boolean (self->keys, "kernel", "source-dirty", NULL);
}

char *
kwb_build_manifest_dup_release (KwbBuildManifest *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_MANIFEST (self), NULL);
  return g_key_file_get_string (self->keys, "kernel", "release", NULL);
}

/* @name: bzImage, vmlinux, vmlinux-gdb.py, config or log. */
char *
kwb_build_manifest_dup_file (KwbBuildManifest *self,
                             const char       *name)
{
  g_return_val_if_fail (KWB_IS_BUILD_MANIFEST (self), NULL);
  return g_key_file_get_string (self->keys, "files", name, NULL);
}

/* Objects of the last build that compiled from scratch, 0 when none did. */
guint
kwb_build_manifest_get_full_objects (KwbBuildManifest *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_MANIFEST (self), 0);
  return (guint) MAX (0, g_key_file_get_integer (self->keys, "build", "full-objects", NULL));
}

static void
set_or_remove (GKeyFile   *keys,
               const char *group,
               const char *key,
               const char *value)
{
  if (value != NULL)
    g_key_file_set_string (keys, group, key, value);
  else
    g_key_file_remove_key (keys, group, key, NULL);
}

/* @release, @source_commit: (nullable): removed when NULL. */
void
kwb_build_manifest_set_kernel (KwbBuildManifest *self,
                               const char       *release,
                               const char       *config_hash,
                               const char       *source,
                               const char       *source_commit,
                               gboolean          source_dirty)
{
  g_return_if_fail (KWB_IS_BUILD_MANIFEST (self));
  if (release != NULL)
    g_key_file_set_string (self->keys, "kernel", "release", release);
  set_or_remove (self->keys, "kernel", "config-hash", config_hash);
  set_or_remove (self->keys, "kernel", "source", source);
  set_or_remove (self->keys, "kernel", "source-commit", source_commit);
  if (source_commit != NULL)
    g_key_file_set_boolean (self->keys, "kernel", "source-dirty", source_dirty);
  else
    g_key_file_remove_key (self->keys, "kernel", "source-dirty", NULL);
}

/* @path: (nullable): removed when NULL (the build made no such file). */
void
kwb_build_manifest_set_file (KwbBuildManifest *self,
                             const char       *name,
                             const char       *path)
{
  g_return_if_fail (KWB_IS_BUILD_MANIFEST (self));
  set_or_remove (self->keys, "files", name, path);
}

void
kwb_build_manifest_set_modules (KwbBuildManifest   *self,
                                const char * const *modules,
                                gsize               n_modules)
{
  g_return_if_fail (KWB_IS_BUILD_MANIFEST (self));
  g_key_file_set_string_list (self->keys, "files", "modules", modules, n_modules);
}

void
kwb_build_manifest_set_build (KwbBuildManifest *self,
                              double            seconds,
                              gboolean          up_to_date,
                              guint             objects)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);

  g_return_if_fail (KWB_IS_BUILD_MANIFEST (self));
  g_key_file_set_string (self->keys, "build", "finished", when);
  g_key_file_set_double (self->keys, "build", "seconds", seconds);
  g_key_file_set_boolean (self->keys, "build", "up-to-date", up_to_date);
  g_key_file_set_integer (self->keys, "build", "objects", objects);
}

void
kwb_build_manifest_set_full_objects (KwbBuildManifest *self,
                                     guint             objects)
{
  g_return_if_fail (KWB_IS_BUILD_MANIFEST (self));
  g_key_file_set_integer (self->keys, "build", "full-objects", objects);
}
