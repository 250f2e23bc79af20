/* test-qemu-sockets.c — socket folders of a process that died are removed, no others
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real processes: this test runs itself with --hold, which makes a socket
 * folder the way KwbQemu does and waits; the test SIGKILLs one such holder,
 * keeps another alive, and checks that making the next folder removes the
 * dead one's and keeps the live one's. Hand-made folders cover what must
 * never be removed: no owner yet, a reused pid, another user's, a folder
 * that is not 0700, a file we did not put there.
 */
#include "config.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "kwb-qemu-private.h"

static const char *self_path;
static char *runtime_dir;

typedef struct {
  GSubprocess *process;
  char        *dir;
  gboolean     killed;
} Holder;

static Holder *
holder_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  Holder *holder = g_new0 (Holder, 1);

  /* Its stdin is our pipe: should we die, it reads EOF and ends too. */
  holder->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                                      &error, self_path, "--hold", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder->process));
  holder->dir = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (holder->dir);
  g_assert_true (g_file_test (holder->dir, G_FILE_TEST_IS_DIR));
  return holder;
}

static void
holder_kill (Holder *holder)
{
  g_subprocess_send_signal (holder->process, SIGKILL);
  g_subprocess_wait (holder->process, NULL, NULL);
  holder->killed = TRUE;
}

static void
holder_free (Holder *holder)
{
  if (!holder->killed)
    holder_kill (holder);
  g_object_unref (holder->process);
  g_free (holder->dir);
  g_free (holder);
}

/* Makes the next folder (which sweeps) and removes it again. */
static void
make_next_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = kwb_qemu_make_socket_dir (&error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (dir, runtime_dir));
  kwb_qemu_remove_socket_dir (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void
test_dead_owner_removed (void)
{
  Holder *dead = holder_start ();
  Holder *live = holder_start ();
  g_autofree char *sock = g_build_filename (dead->dir, "gdb.sock", NULL);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (sock);

  /* A socket left behind, as QEMU leaves it. */
  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  g_assert_true (g_file_test (sock, G_FILE_TEST_EXISTS));

  holder_kill (dead);
  g_assert_true (g_file_test (dead->dir, G_FILE_TEST_IS_DIR));
  make_next_folder ();
  g_assert_false (g_file_test (dead->dir, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live->dir, G_FILE_TEST_IS_DIR));

  holder_free (dead);
  holder_free (live);
}

static char *
make_folder (const char *name,
             guint       mode,
             const char *owner)
{
  char *dir = g_build_filename (runtime_dir, name, NULL);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  if (owner != NULL)
    {
      g_autofree char *path = g_build_filename (dir, "owner", NULL);

      g_assert_true (g_file_set_contents (path, owner, -1, NULL));
    }
  g_assert_cmpint (g_chmod (dir, mode), ==, 0);
  return dir;
}

static char *
own_identity (gboolean right_start)
{
  g_autofree char *stat = NULL;
  g_autofree char *ns = g_file_read_link ("/proc/self/ns/pid", NULL);
  g_auto(GStrv) fields = NULL;
  guint64 start;

  g_assert_true (g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL));
  fields = g_strsplit (strrchr (stat, ')') + 2, " ", -1);
  start = g_ascii_strtoull (fields[19], NULL, 10);
  return g_strdup_printf ("%d %" G_GUINT64_FORMAT " %s\n", (int) getpid (),
                          right_start ? start : start + 12345, ns);
}

static void
test_only_certain_stale_removed (void)
{
  g_autofree char *alive = own_identity (TRUE);
  g_autofree char *reused = own_identity (FALSE);
  g_autofree char *other_ns = g_strdup_printf ("%d 1 pid:[1]\n", (int) getpid ());
  g_autofree char *pid_reused = make_folder ("kwb-reused", 0700, reused);
  g_autofree char *live = make_folder ("kwb-liveaa", 0700, alive);
  g_autofree char *no_owner = make_folder ("kwb-making", 0700, NULL);
  g_autofree char *foreign_ns = make_folder ("kwb-namesp", 0700, other_ns);
  g_autofree char *open_mode = make_folder ("kwb-0755aa", 0755, reused);
  g_autofree char *with_file = make_folder ("kwb-notesa", 0700, reused);
  g_autofree char *notes = g_build_filename (with_file, "notes.txt", NULL);
  g_autofree char *other_user = NULL;

  g_assert_true (g_file_set_contents (notes, "mine", -1, NULL));
  if (getuid () == 0)
    {
      other_user = make_folder ("kwb-nobody", 0700, reused);
      g_assert_cmpint (chown (other_user, 65534, 65534), ==, 0);
    }

  make_next_folder ();

  g_assert_false (g_file_test (pid_reused, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (no_owner, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (foreign_ns, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (open_mode, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (notes, G_FILE_TEST_IS_REGULAR));
  if (other_user != NULL)
    g_assert_true (g_file_test (other_user, G_FILE_TEST_IS_DIR));
  else
    g_test_message ("not root: another user's folder not tried");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *base = NULL;
  int status;

  if (argc == 2 && g_str_equal (argv[1], "--hold"))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = kwb_qemu_make_socket_dir (&error);

      if (dir == NULL)
        return 1;
      printf ("%s\n", dir);
      fflush (stdout);
      while (getchar () != EOF)
        ;
      return 0;
    }

  /* GLib reads these once: set them before anything asks. The holders
   * inherit them and so make their folders here too. */
  base = g_dir_make_tmp ("kwb-test-sockets-XXXXXX", NULL);
  g_assert_nonnull (base);
  runtime_dir = g_build_filename (base, "run", NULL);
  g_assert_cmpint (g_mkdir (runtime_dir, 0700), ==, 0);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_setenv ("TMPDIR", runtime_dir, TRUE);
  self_path = argv[0];

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/qemu-sockets/dead-owner-removed", test_dead_owner_removed);
  g_test_add_func ("/qemu-sockets/only-certain-stale-removed", test_only_certain_stale_removed);
  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", base);

    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", base);
  }
  return status;
}
