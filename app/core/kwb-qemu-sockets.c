/* kwb-qemu-sockets.c — where QEMU's control and GDB sockets live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * QEMU's "-s" listens on every interface; KwbQemu puts QMP and the GDB
 * stub on unix sockets in a private folder made here instead, and asks for
 * a free loopback port only when the stub is to be offered over TCP. Apart
 * from kwb-qemu.c because it is host plumbing with no QEMU state.
 *
 * A process that is SIGKILLed cannot remove its folder, so each folder
 * records its owner in a file "owner": the pid, the process's start time
 * from /proc/PID/stat (a pid alone may have been reused) and its pid
 * namespace (a pid means nothing in another one). Making a new folder first
 * removes the folders of this user whose owner is gone. A folder is left
 * alone when anything is in doubt: another user's, not 0700, no owner file
 * yet (its owner is still making it), an owner in another namespace, or a
 * file in it that we did not put there.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-qemu.h"
#include "kwb-qemu-private.h"

/* A free port on 127.0.0.1 for a GDB stub offered over TCP (expose-tcp),
 * or 0. */
guint
kwb_qemu_find_free_tcp_port (void)
{
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  guint port = 0;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return 0;
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0 &&
      getsockname (fd, (struct sockaddr *) &addr, &len) == 0)
    port = ntohs (addr.sin_port);
  close (fd);
  return port;
}

/* A unix socket path must fit sockaddr_un.sun_path (108 bytes with its NUL). */
static gboolean
socket_dir_fits (const char *base)
{
  struct sockaddr_un addr;

  return base != NULL && g_file_test (base, G_FILE_TEST_IS_DIR) &&
         strlen (base) + strlen ("/kwb-XXXXXX/qmp.sock") < sizeof addr.sun_path;
}

#define OWNER_FILE "owner"

/* Field 22 of /proc/PID/stat, counted after the ")" that ends the command
 * name (which may itself hold spaces and parentheses). */
static gboolean
read_start_time (pid_t    pid,
                 guint64 *start_time)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (end = strrchr (text, ')')) == NULL)
    return FALSE;
  /* fields[0] is field 3, the state. */
  fields = g_strsplit (end + 1 + strspn (end + 1, " "), " ", 21);
  if (g_strv_length (fields) < 20)
    return FALSE;
  return g_ascii_string_to_unsigned (fields[19], 10, 0, G_MAXUINT64, start_time, NULL);
}

static char *
dup_pid_namespace (void)
{
  return g_file_read_link ("/proc/self/ns/pid", NULL);
}

static void
write_owner (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, OWNER_FILE, NULL);
  g_autofree char *namespace = dup_pid_namespace ();
  g_autofree char *text = NULL;
  guint64 start_time;

  if (!read_start_time (getpid (), &start_time))
    return;
  text = g_strdup_printf ("%d %" G_GUINT64_FORMAT " %s\n", (int) getpid (), start_time,
                          namespace ? namespace : "-");
  /* Written whole under a temporary name: a reader sees all of it or none. */
  g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL);
}

/* TRUE only when the owner recorded in the folder open as DIR_FD has
 * certainly ended. */
static gboolean
owner_is_gone (int dir_fd)
{
  g_autofree char *namespace = dup_pid_namespace ();
  g_auto(GStrv) fields = NULL;
  char text[256];
  struct stat st;
  guint64 pid, recorded_start, start;
  gssize n;
  int fd;

  fd = openat (dir_fd, OWNER_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return FALSE;
  n = (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == getuid ())
      ? read (fd, text, sizeof text - 1) : -1;
  close (fd);
  if (n <= 0)
    return FALSE;
  text[n] = '\0';
  fields = g_strsplit (g_strstrip (text), " ", 3);
  if (g_strv_length (fields) != 3 ||
      !g_ascii_string_to_unsigned (fields[0], 10, 1, G_MAXINT32, &pid, NULL) ||
      !g_ascii_string_to_unsigned (fields[1], 10, 0, G_MAXUINT64, &recorded_start, NULL) ||
      namespace == NULL || !g_str_equal (fields[2], namespace))
    return FALSE;
  if (read_start_time ((pid_t) pid, &start))
    return start != recorded_start; /* another process has the pid now */
  /* No /proc entry we can read: gone only if the kernel says so too. */
  return kill ((pid_t) pid, 0) != 0 && errno == ESRCH;
}

/* Removes the folder NAME of BASE_FD if it is a stale socket folder of ours. */
static void
remove_if_stale (int         base_fd,
                 const char *name)
{
  g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func (g_free);
  struct stat st, opened;
  struct dirent *entry;
  DIR *dir;
  int fd;

  if (fstatat (base_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR (st.st_mode) ||
      st.st_uid != getuid () || (st.st_mode & 07777) != 0700)
    return;
  fd = openat (base_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return;
  /* The folder we judge is the one we looked at, not a replacement. */
  if (fstat (fd, &opened) != 0 || opened.st_ino != st.st_ino || opened.st_dev != st.st_dev ||
      !owner_is_gone (fd) || (dir = fdopendir (fd)) == NULL)
    {
      close (fd);
      return;
    }
  /* Only what a socket folder holds: its sockets and the owner file (or
   * its temporary). Anything else stays, and so does the folder. */
  while ((entry = readdir (dir)) != NULL)
    {
      struct stat est;

      if (g_str_equal (entry->d_name, ".") || g_str_equal (entry->d_name, ".."))
        continue;
      if (fstatat (fd, entry->d_name, &est, AT_SYMLINK_NOFOLLOW) != 0)
        continue;
      if (S_ISSOCK (est.st_mode) ||
          (S_ISREG (est.st_mode) && g_str_has_prefix (entry->d_name, OWNER_FILE)))
        g_ptr_array_add (ours, g_strdup (entry->d_name));
    }
  for (guint i = 0; i < ours->len; i++)
    unlinkat (fd, ours->pdata[i], 0);
  closedir (dir);
  if (unlinkat (base_fd, name, AT_REMOVEDIR) == 0)
    g_debug ("Removed the socket folder %s of a process that has ended", name);
}

/* Socket folders in BASE whose owner is gone. */
static void
remove_stale_socket_dirs (const char *base)
{
  DIR *dir;
  struct dirent *entry;
  int base_fd = open (base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (base_fd < 0)
    return;
  if ((dir = fdopendir (base_fd)) == NULL)
    {
      close (base_fd);
      return;
    }
  while ((entry = readdir (dir)) != NULL)
    if (g_str_has_prefix (entry->d_name, "kwb-") && strlen (entry->d_name) == strlen ("kwb-XXXXXX"))
      remove_if_stale (base_fd, entry->d_name);
  closedir (dir);
}

/* Removes a folder made by kwb_qemu_make_socket_dir(), once its sockets are gone. */
void
kwb_qemu_remove_socket_dir (const char *dir)
{
  g_autofree char *owner = g_build_filename (dir, OWNER_FILE, NULL);

  g_unlink (owner);
  g_rmdir (dir);
}

/* A new 0700 folder for QEMU's sockets, whose socket paths fit sun_path. */
char *
kwb_qemu_make_socket_dir (GError **error)
{
  /* XDG_RUNTIME_DIR is per user and 0700 already; g_mkdtemp creates ours 0700
   * too, so the sockets inside are reachable by this user only. A base whose
   * socket paths would not fit sun_path (a long XDG_RUNTIME_DIR or TMPDIR)
   * gives way to a shorter one: the folder is as private anywhere. */
  const char *bases[] = { g_get_user_runtime_dir (), g_get_tmp_dir (), "/tmp" };
  const char *base = NULL;
  g_autofree char *template = NULL;

  /* Every base, as an earlier run may have had another TMPDIR. */
  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    if (bases[i] != NULL && g_file_test (bases[i], G_FILE_TEST_IS_DIR))
      remove_stale_socket_dirs (bases[i]);
  for (guint i = 0; i < G_N_ELEMENTS (bases) && base == NULL; i++)
    if (socket_dir_fits (bases[i]))
      base = bases[i];
  if (base == NULL)
    {
      g_set_error (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_SETUP,
                   _("No folder for QEMU's sockets: %s is too long for a socket path and /tmp "
                     "cannot be used; set TMPDIR to a short folder"),
                   bases[0]);
      return NULL;
    }
  template = g_build_filename (base, "kwb-XXXXXX", NULL);
  if (g_mkdtemp_full (template, 0700) == NULL)
    {
      int errsv = errno;

      g_set_error (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_SETUP,
                   _("Cannot create a private folder for QEMU's sockets in %s: %s"),
                   base, g_strerror (errsv));
      return NULL;
    }
  chmod (template, 0700);
  write_owner (template);
  return g_steal_pointer (&template);
}
