/* kwb-test-git-server.h — a git HTTP server on 127.0.0.1 that asks for a password, for clone tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs tests/data/git-http-auth-server.py (git http-backend behind HTTP
 * Basic auth) on a folder of bare repositories. Shared by the core clone
 * tests and the GUI's, which both need a server that answers 401 until it
 * is given the right user name and password.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GPid  pid;
  guint port;
  char *log;
} KwbTestGitServer;

void  kwb_test_git_server_start          (KwbTestGitServer *server,
                                          const char       *root,
                                          const char       *user,
                                          const char       *password);
guint kwb_test_git_server_take_refusals  (KwbTestGitServer *server);
void  kwb_test_git_server_stop           (KwbTestGitServer *server);

G_END_DECLS
