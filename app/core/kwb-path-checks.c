/* kwb-path-checks.c — refuse a pipe, socket or device where a file is read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The user names files in the project (busybox.binary, kernel.image,
 * kernel.vmlinux, initramfs.output) that we, QEMU or GDB then open. Opening a
 * named pipe for reading waits for a writer that never comes, and a device
 * can be endless: either hangs the command or the window with nothing said.
 * Every such path goes through here first, so the refusal and its message
 * (the path, what it is, the setting to change) are the same everywhere.
 *
 * kwb_path_check_regular_file() only looks (stat, following symlinks) and
 * lets a missing file pass, because each caller already explains a missing
 * file in its own words ("build the kernel first"). For our own reads,
 * kwb_path_open_regular_file() opens without blocking and checks the opened
 * file, so a path swapped for a pipe after the check cannot hang us either.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-path-checks.h"

/**
 * kwb_path_describe_kind:
 * @mode: st_mode of a file that is not a regular one
 *
 * Returns: what it is, for a sentence ("a named pipe (FIFO)"). With a
 * context: the words stand in a sentence of their own in translations.
 */
const char *
kwb_path_describe_kind (mode_t mode)
{
  if (S_ISFIFO (mode))
    return C_("file kind", "a named pipe (FIFO)");
  if (S_ISSOCK (mode))
    return C_("file kind", "a socket");
  if (S_ISCHR (mode))
    return C_("file kind", "a character device");
  if (S_ISBLK (mode))
    return C_("file kind", "a block device");
  if (S_ISDIR (mode))
    return C_("file kind", "a folder");
  return C_("file kind", "an unknown kind of file");
}

static void
set_not_regular_error (GError     **error,
                       const char  *path,
                       mode_t       mode,
                       const char  *setting)
{
  if (setting != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("%s is %s, not a regular file, so it cannot be used. Set %s to a regular file."),
                 path, kwb_path_describe_kind (mode), setting);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("%s is %s, not a regular file, so it cannot be used."),
                 path, kwb_path_describe_kind (mode));
}

/**
 * kwb_path_check_regular_file:
 * @path: the file as the user gave it
 * @setting: (nullable): the setting that names it, e.g. "busybox.binary"
 *
 * Returns: FALSE with %G_IO_ERROR_NOT_REGULAR_FILE when @path exists but is,
 * after following symbolic links, a pipe, socket, device or folder; TRUE
 * when it is a regular file or does not exist.
 */
gboolean
kwb_path_check_regular_file (const char  *path,
                             const char  *setting,
                             GError     **error)
{
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &st) != 0 || S_ISREG (st.st_mode))
    return TRUE;
  set_not_regular_error (error, path, st.st_mode, setting);
  return FALSE;
}

/**
 * kwb_path_open_regular_file:
 * @path: the file to read
 * @setting: (nullable): the setting that names it, for the message
 *
 * Opens @path read-only (close-on-exec, blocking reads) without ever waiting
 * on a pipe's writer.
 *
 * Returns: the descriptor, or -1 with a %G_FILE_ERROR from errno or
 * %G_IO_ERROR_NOT_REGULAR_FILE.
 */
int
kwb_path_open_regular_file (const char  *path,
                            const char  *setting,
                            GError     **error)
{
  struct stat st = { 0 };
  int fd;

  g_return_val_if_fail (path != NULL, -1);

  /* O_NONBLOCK: opening a FIFO for reading returns at once instead of
   * waiting for a writer; fstat then tells what was opened. */
  if ((fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0)) < 0)
    {
      int errsv = errno;

      /* A socket cannot be opened at all (ENXIO): say what it is. */
      if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
        {
          set_not_regular_error (error, path, st.st_mode, setting);
          return -1;
        }
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errsv), g_strerror (errsv));
      return -1;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      set_not_regular_error (error, path, st.st_mode, setting);
      close (fd);
      return -1;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}
