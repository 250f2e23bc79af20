/* test-path-checks.c — pipes, sockets, devices and folders are refused where a file is read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The helper itself, and the readers that use it without a setting to name
 * (kwb_elf_open, which the window's BusyBox check reaches): a named pipe
 * must be refused at once, never opened for a read that waits forever. A
 * hang here is a failure by the test's timeout.
 */
#include "config.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

static char *dir;
/* Everything the tests make in it. */
static const char * const made[] = { "fifo", "link-to-fifo", "sock", "file", "fifo2" };

static char *
path_in_dir (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
assert_refused (const char *path,
                const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("%s is %s, not a regular file, so it cannot be used. "
                                               "Set busybox.binary to a regular file.", path, kind);

  g_assert_false (kwb_path_check_regular_file (path, "busybox.binary", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_assert_cmpint (kwb_path_open_regular_file (path, "busybox.binary", &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_kinds (void)
{
  g_autofree char *fifo = path_in_dir ("fifo");
  g_autofree char *link = path_in_dir ("link-to-fifo");
  g_autofree char *sock = path_in_dir ("sock");
  g_autofree char *file = path_in_dir ("file");
  g_autofree char *missing = path_in_dir ("missing");
  g_autoptr(GError) error = NULL;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int sfd = socket (AF_UNIX, SOCK_STREAM, 0);
  int fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink (fifo, link), ==, 0);
  g_strlcpy (addr.sun_path, sock, sizeof addr.sun_path);
  g_assert_cmpint (bind (sfd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_true (g_file_set_contents (file, "data", -1, NULL));

  assert_refused (fifo, "a named pipe (FIFO)");
  assert_refused (link, "a named pipe (FIFO)");
  assert_refused (sock, "a socket");
  assert_refused ("/dev/null", "a character device");
  assert_refused (dir, "a folder");

  /* A regular file passes and opens with blocking reads. */
  g_assert_true (kwb_path_check_regular_file (file, "busybox.binary", &error));
  g_assert_no_error (error);
  fd = kwb_path_open_regular_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fcntl (fd, F_GETFL) & O_NONBLOCK, ==, 0);
  close (fd);

  /* A missing file is the caller's to explain; opening it says why. */
  g_assert_true (kwb_path_check_regular_file (missing, "busybox.binary", &error));
  g_assert_no_error (error);
  g_assert_cmpint (kwb_path_open_regular_file (missing, NULL, &error), ==, -1);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  close (sfd);
}

static void
test_readers (void)
{
  g_autofree char *fifo = path_in_dir ("fifo2");
  g_autoptr(GError) error = NULL;
  KwbElf *elf;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  /* Without a setting: the message names the path and what it is. */
  elf = kwb_elf_open (fifo, &error);
  g_assert_null (elf);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, "a named pipe (FIFO)"));
  g_clear_error (&error);

  g_assert_false (kwb_busybox_check_binary (fifo, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, "busybox.binary"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("kwb-test-paths-XXXXXX", NULL);
  g_assert_nonnull (dir);
  g_test_add_func ("/path-checks/kinds", test_kinds);
  g_test_add_func ("/path-checks/readers", test_readers);
  status = g_test_run ();
  for (guint i = 0; i < G_N_ELEMENTS (made); i++)
    {
      g_autofree char *path = path_in_dir (made[i]);

      g_unlink (path);
    }
  g_rmdir (dir);
  return status;
}
