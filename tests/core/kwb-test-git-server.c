/* kwb-test-git-server.c — a git HTTP server on 127.0.0.1 that asks for a password, for clone tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "kwb-test-git-server.h"

/* Serves the bare repositories in ROOT. The server prints its port once it
 * listens: reading that line is the wait, no polling. */
void
kwb_test_git_server_start (KwbTestGitServer *server,
                           const char       *root,
                           const char       *user,
                           const char       *password)
{
  g_autofree char *script = g_build_filename (g_getenv ("KWB_SOURCE_ROOT"), "tests", "data",
                                              "git-http-auth-server.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) out = NULL;
  g_autofree char *line = NULL;
  int out_fd = -1;

  server->log = g_build_filename (root, "requests.log", NULL);
  g_assert_true (g_spawn_async_with_pipes (NULL,
                                           (char *[]) { (char *) "python3", script, (char *) root, (char *) user,
                                                        (char *) password, server->log, (char *) "300", NULL },
                                           NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &server->pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  g_assert_cmpint (g_io_channel_read_line (out, &line, NULL, NULL, &error), ==, G_IO_STATUS_NORMAL);
  server->port = (guint) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
}

/* How many requests the server refused with 401 since the last call. */
guint
kwb_test_git_server_take_refusals (KwbTestGitServer *server)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (server->log, &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_equal (lines[i], "401"))
      n++;
  g_unlink (server->log);
  return n;
}

void
kwb_test_git_server_stop (KwbTestGitServer *server)
{
  kill (server->pid, SIGTERM);
  waitpid (server->pid, NULL, 0);
  g_spawn_close_pid (server->pid);
  g_clear_pointer (&server->log, g_free);
}
