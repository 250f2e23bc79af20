/* kwb-atomic-file.c — replace a file whole, through its symlinks, keeping its mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files the user owns (the project file) are replaced, never edited in
 * place: a temporary file in the target's own folder (so the rename stays on
 * one file system), fsync, rename. g_file_set_contents() does that too, but
 * it replaces a symlink by a file and sets a mode of its own; a user who keeps
 * the project file as a link into a dotfiles repository, or at 0600, keeps
 * both here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-atomic-file.h"
#include "kwb-path-checks.h"

/* The file a save replaces: the project file, or what its symlinks lead to,
 * so a link the user made (say, into a dotfiles repository) stays a link. */
static char *
resolve_save_target (const char  *path,
                     GError     **error)
{
  g_autofree char *current = g_strdup (path);

  for (guint hops = 0; hops < 40; hops++)
    {
      g_autofree char *target = NULL;
      g_autofree char *dir = NULL;
      GStatBuf st;

      if (g_lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        return g_steal_pointer (&current);
      target = g_file_read_link (current, error);
      if (target == NULL)
        return NULL;
      if (g_path_is_absolute (target))
        {
          g_free (current);
          current = g_steal_pointer (&target);
        }
      else
        {
          dir = g_path_get_dirname (current);
          g_free (current);
          current = g_build_filename (dir, target, NULL);
        }
    }
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_LOOP,
               _("%s: too many levels of symbolic links"), path);
  return NULL;
}

/* Writes a temporary file next to TARGET, syncs it and renames it over
 * TARGET: a crash leaves the old file or the new one, never half of each. An
 * existing TARGET keeps its mode and, where allowed, its owner. */
static gboolean
write_atomically (const char  *target,
                  const char  *data,
                  gsize        len,
                  GError     **error)
{
  g_autofree char *tmp = g_strconcat (target, ".XXXXXX", NULL);
  GStatBuf st;
  gboolean exists;
  gsize done = 0;
  int fd;
  int errsv;

  exists = g_lstat (target, &st) == 0;
  if (exists && !S_ISREG (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%s is %s, not a regular file"), target, kwb_path_describe_kind (st.st_mode));
      return FALSE;
    }

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, exists ? (st.st_mode & 07777) : 0644);
  if (fd < 0)
    {
      errsv = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   _("cannot create a temporary file next to %s: %s"), target, g_strerror (errsv));
      return FALSE;
    }

  if (exists)
    {
      /* Owner first: chown may clear set-id bits that the chmod restores.
       * Only root may give the file away; for others this is a no-op or fails
       * harmlessly, and the file is then theirs as it would be anyway. */
      if (st.st_uid != geteuid () || st.st_gid != getegid ())
        (void) !fchown (fd, st.st_uid, st.st_gid);
      if (fchmod (fd, st.st_mode & 07777) != 0)
        goto failed;
    }

  while (done < len)
    {
      gssize n = write (fd, data + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto failed;
      done += n;
    }
  if (fsync (fd) != 0)
    goto failed;
  if (close (fd) != 0)
    {
      fd = -1;
      goto failed;
    }
  fd = -1;
  if (g_rename (tmp, target) != 0)
    goto failed;
  return TRUE;

failed:
  errsv = errno;
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
               _("cannot write %s: %s"), tmp, g_strerror (errsv));
  return FALSE;
}

/**
 * kwb_atomic_file_replace:
 * @path: the file to replace; if it is a symlink, the file it leads to is
 *   replaced and the link kept
 * @data: the new contents
 * @len: their length
 *
 * Writes @data next to the target, syncs it and renames it over the target:
 * a crash leaves the old file or the new one, never half. The target keeps
 * its mode and, where allowed, its owner; a pipe, socket or device is
 * refused rather than replaced.
 */
gboolean
kwb_atomic_file_replace (const char  *path,
                         const char  *data,
                         gsize        len,
                         GError     **error)
{
  g_autofree char *target = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  target = resolve_save_target (path, error);
  return target != NULL && write_atomically (target, data, len, error);
}
