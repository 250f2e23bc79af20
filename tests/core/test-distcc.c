/* test-distcc.c — distcc host lists, -j sized to them, the probe, and make run through them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe connects to real sockets on 127.0.0.1 (one listening, one
 * closed); make is replaced by sh printing what it was given, so the -j,
 * CC= and the environment a build would see are checked without a build.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

static KwbDistccHost *
host_at (GPtrArray *hosts,
         guint      i)
{
  return g_ptr_array_index (hosts, i);
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hosts =
    kwb_distcc_parse_hosts ("localhost/3  10.0.0.5:4000/8,lzo\n"
                            "farm/6:3700 # a comment\n\tbuilder  me@ssh-host/16:/usr/bin/distccd --randomize",
                            &error);

  g_assert_no_error (error);
  g_assert_cmpuint (hosts->len, ==, 6);
  g_assert_null (host_at (hosts, 0)->address);
  g_assert_cmpuint (host_at (hosts, 0)->limit, ==, 3);
  g_assert_cmpstr (host_at (hosts, 1)->address, ==, "10.0.0.5");
  g_assert_cmpuint (host_at (hosts, 1)->port, ==, 4000);
  g_assert_cmpuint (host_at (hosts, 1)->limit, ==, 8);
  g_assert_cmpstr (host_at (hosts, 1)->spec, ==, "10.0.0.5:4000/8,lzo");
  g_assert_cmpstr (host_at (hosts, 2)->address, ==, "farm");
  g_assert_cmpuint (host_at (hosts, 2)->port, ==, 3700);
  g_assert_cmpuint (host_at (hosts, 2)->limit, ==, 6);
  g_assert_cmpstr (host_at (hosts, 3)->address, ==, "builder");
  g_assert_cmpuint (host_at (hosts, 3)->port, ==, KWB_DISTCC_PORT);
  g_assert_cmpuint (host_at (hosts, 3)->limit, ==, 4);
  g_assert_cmpstr (host_at (hosts, 4)->address, ==, "ssh-host");
  g_assert_cmpuint (host_at (hosts, 4)->port, ==, 22);
  g_assert_cmpuint (host_at (hosts, 4)->limit, ==, 16);
  g_assert_cmpstr (host_at (hosts, 5)->spec, ==, "--randomize");
  g_assert_cmpuint (host_at (hosts, 5)->limit, ==, 0);
  {
    g_autofree char *env = kwb_distcc_dup_hosts_env (hosts);

    g_assert_cmpstr (env, ==, "localhost/3 10.0.0.5:4000/8,lzo farm/6:3700 builder "
                              "me@ssh-host/16:/usr/bin/distccd --randomize");
  }

  g_clear_pointer (&hosts, g_ptr_array_unref);
  hosts = kwb_distcc_parse_hosts ("me@box:/opt/distcc/bin/distccd", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (host_at (hosts, 0)->address, ==, "box");
  g_assert_cmpuint (host_at (hosts, 0)->limit, ==, 4);

  g_clear_pointer (&hosts, g_ptr_array_unref);
  hosts = kwb_distcc_parse_hosts ("  # nothing\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hosts->len, ==, 0);

  for (guint i = 0; i < 5; i++)
    {
      const char *bad[] = { "host/x", "host:99999", "localhost:3632", "/4", "host/0" };

      g_clear_pointer (&hosts, g_ptr_array_unref);
      hosts = kwb_distcc_parse_hosts (bad[i], &error);
      g_assert_error (error, KWB_DISTCC_ERROR, KWB_DISTCC_ERROR_HOSTS);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_null (hosts);
      g_clear_error (&error);
    }
}

static void
test_jobs (void)
{
  g_autoptr(GPtrArray) two = kwb_distcc_parse_hosts ("a/8 b/8", NULL);
  g_autoptr(GPtrArray) with_local = kwb_distcc_parse_hosts ("localhost/1 a/8 b --randomize", NULL);
  g_autoptr(GPtrArray) none = kwb_distcc_parse_hosts ("", NULL);

  /* Remote limits plus this machine's own jobs. */
  g_assert_cmpuint (kwb_distcc_count_jobs (two, 2), ==, 18);
  /* localhost listed: its limit is what runs here; b gets distcc's 4. */
  g_assert_cmpuint (kwb_distcc_count_jobs (with_local, 2), ==, 13);
  g_assert_cmpuint (kwb_distcc_count_jobs (none, 2), ==, 2);
  /* Where the compiles run changes nothing that was built. */
  g_assert_cmpint (kwb_rebuild_for_key ("kernel", "distcc-hosts"), ==, KWB_REBUILD_NONE);
}

static void
test_cc_variable (void)
{
  g_autofree char *both = kwb_distcc_dup_cc_variable ("gcc", TRUE, TRUE);
  g_autofree char *distcc = kwb_distcc_dup_cc_variable ("aarch64-linux-gnu-gcc", FALSE, TRUE);
  g_autofree char *cross = kwb_distcc_dup_cc_variable ("aarch64-linux-gnu-gcc", FALSE, FALSE);
  g_autofree char *plain = kwb_distcc_dup_cc_variable ("gcc", FALSE, FALSE);

  /* With ccache, distcc goes in CCACHE_PREFIX: the line stays the same. */
  g_assert_cmpstr (both, ==, "CC=ccache gcc");
  g_assert_cmpstr (distcc, ==, "CC=distcc aarch64-linux-gnu-gcc");
  g_assert_cmpstr (cross, ==, "CC=aarch64-linux-gnu-gcc");
  g_assert_null (plain);
}

/* What a run saw: its result, the lines logged and the warnings. */
typedef struct {
  GAsyncResult *result;
  GPtrArray    *lines;
  GPtrArray    *warnings;
} Wait;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  ((Wait *) data)->result = g_object_ref (result);
}

static void
iterate_until_done (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* A port on 127.0.0.1 that is listening (@keep) or that was and is not. */
static guint16
local_port (GSocketListener **keep)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  if (keep != NULL)
    *keep = g_steal_pointer (&listener);
  else
    g_socket_listener_close (listener);
  return port;
}

static void
test_probe (void)
{
  g_autoptr(GSocketListener) listener = NULL;
  guint16 open_port = local_port (&listener);
  guint16 closed_port = local_port (NULL);
  g_autofree char *text = g_strdup_printf ("127.0.0.1:%u/3 localhost/1 127.0.0.1:%u/5", closed_port, open_port);
  g_autoptr(GPtrArray) hosts = kwb_distcc_parse_hosts (text, NULL);
  g_autoptr(GPtrArray) up = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };

  kwb_distcc_probe_async (hosts, 1000, NULL, store_result, &wait);
  iterate_until_done (&wait);
  up = kwb_distcc_probe_finish (wait.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (up->len, ==, 2);
  g_assert_null (host_at (up, 0)->address);
  g_assert_cmpuint (host_at (up, 1)->port, ==, open_port);
  g_object_unref (wait.result);
}

static void
on_line (KwbBuildRunner *runner,
         const char     *line,
         Wait           *wait)
{
  g_ptr_array_add (wait->lines, g_strdup (line));
}

static void
on_warned (KwbBuildRunner *runner,
           const char     *message,
           Wait           *wait)
{
  g_ptr_array_add (wait->warnings, g_strdup (message));
}

static gboolean
lines_have (GPtrArray  *lines,
            const char *text)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_equal (g_ptr_array_index (lines, i), text))
      return TRUE;
  return FALSE;
}

/* Fake distcc and ccache in a folder of their own, PATH that folder only. */
static char *
make_tool_dir (gboolean with_distcc)
{
  char *dir = g_dir_make_tmp ("kwb-distcc-XXXXXX", NULL);
  const char *tools[] = { "ccache", with_distcc ? "distcc" : NULL };

  for (guint i = 0; i < G_N_ELEMENTS (tools) && tools[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, tools[i], NULL);

      g_assert_true (g_file_set_contents (path, "#!/bin/sh\nexit 1\n", -1, NULL));
      g_chmod (path, 0755);
    }
  return dir;
}

static void
remove_tool_dir (const char *dir)
{
  g_autofree char *ccache = g_build_filename (dir, "ccache", NULL);
  g_autofree char *distcc = g_build_filename (dir, "distcc", NULL);

  g_unlink (ccache);
  g_unlink (distcc);
  g_rmdir (dir);
}

/* What make would be given: sh prints its arguments and the environment. */
static Wait
run_make (const char *hosts,
          gboolean    with_distcc,
          gboolean    ccache,
          guint       jobs)
{
  g_autoptr(KwbBuildRunner) runner = kwb_build_runner_new ();
  g_autofree char *tools = make_tool_dir (with_distcc);
  g_autofree char *project_dir = g_dir_make_tmp ("kwb-distcc-project-XXXXXX", NULL);
  g_autoptr(KwbProject) project = kwb_project_new (project_dir);
  const char *argv[] = { "/bin/sh", "-c",
                         "echo \"hosts=$DISTCC_HOSTS prefix=$CCACHE_PREFIX\"; echo \"args=$*\"", "sh", NULL };
  Wait wait = { NULL,
                g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GError) error = NULL;

  kwb_project_set_string (project, "kernel", "distcc-hosts", hosts);
  kwb_build_runner_setenv (runner, "PATH", tools);
  kwb_build_runner_setenv (runner, "KWB_NO_CCACHE", NULL);
  kwb_build_runner_setenv (runner, "DISTCC_HOSTS", NULL);
  kwb_build_runner_setenv (runner, "CCACHE_PREFIX", NULL);
  g_signal_connect (runner, "line-received", G_CALLBACK (on_line), &wait);
  g_signal_connect (runner, "warned", G_CALLBACK (on_warned), &wait);
  kwb_distcc_run_make_async (runner, project, argv, "gcc", ccache, jobs, NULL, NULL, store_result, &wait);
  iterate_until_done (&wait);
  g_assert_true (kwb_build_runner_run_finish (runner, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  remove_tool_dir (tools);
  g_rmdir (project_dir);
  return wait;
}

static void
wait_clear (Wait *wait)
{
  g_ptr_array_unref (wait->lines);
  g_ptr_array_unref (wait->warnings);
}

static void
test_make_distributed (void)
{
  g_autoptr(GSocketListener) listener = NULL;
  guint16 port = local_port (&listener);
  g_autofree char *hosts = g_strdup_printf ("127.0.0.1:%u/6", port);
  g_autofree char *want_hosts = g_strdup_printf ("hosts=127.0.0.1:%u/6 prefix=distcc", port);
  g_autofree char *want_args = g_strdup_printf ("args=-j%u CC=ccache gcc", 6 + g_get_num_processors ());
  Wait wait = run_make (hosts, TRUE, TRUE, 0);

  g_autofree char *want_note = g_strdup_printf ("Compiling through distcc on 127.0.0.1:%u/6", port);

  g_assert_true (lines_have (wait.lines, want_hosts));
  g_assert_true (lines_have (wait.lines, want_args));
  g_assert_true (lines_have (wait.lines, want_note));
  g_assert_cmpuint (wait.warnings->len, ==, 0);
  wait_clear (&wait);

  /* No ccache in front: distcc is the compiler; -j given wins. */
  g_free (want_hosts);
  want_hosts = g_strdup_printf ("hosts=127.0.0.1:%u/6 prefix=", port);
  wait = run_make (hosts, TRUE, FALSE, 3);
  g_assert_true (lines_have (wait.lines, want_hosts));
  g_assert_true (lines_have (wait.lines, "args=-j3 CC=distcc gcc"));
  wait_clear (&wait);
}

static void
test_make_fallback (void)
{
  guint16 closed = local_port (NULL);
  g_autofree char *hosts = g_strdup_printf ("127.0.0.1:%u/6", closed);
  g_autofree char *want_hosts = g_strdup_printf ("hosts=localhost/%u prefix=", g_get_num_processors ());
  g_autofree char *want_args = g_strdup_printf ("args=-j%u CC=distcc gcc", g_get_num_processors ());
  Wait wait = run_make (hosts, TRUE, FALSE, 0);

  /* The same compiler line, everything here, and the user told why. */
  g_assert_true (lines_have (wait.lines, want_hosts));
  g_assert_true (lines_have (wait.lines, want_args));
  g_assert_cmpuint (wait.warnings->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (wait.warnings, 0), hosts));
  wait_clear (&wait);

  /* No distcc at all: a plain local build, with a warning. */
  g_free (want_args);
  want_args = g_strdup_printf ("args=-j%u CC=ccache gcc", g_get_num_processors ());
  wait = run_make (hosts, FALSE, TRUE, 0);
  g_assert_true (lines_have (wait.lines, "hosts= prefix="));
  g_assert_true (lines_have (wait.lines, want_args));
  g_assert_cmpuint (wait.warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (wait.warnings, 0), "apt-get install distcc"));
  wait_clear (&wait);

  /* A list that is not one: local, with a warning naming the bad host. */
  wait = run_make ("good bad/x", TRUE, TRUE, 0);
  g_assert_true (lines_have (wait.lines, "hosts= prefix="));
  g_assert_cmpuint (wait.warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (wait.warnings, 0), "bad/x"));
  wait_clear (&wait);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/distcc/parse", test_parse);
  g_test_add_func ("/distcc/jobs", test_jobs);
  g_test_add_func ("/distcc/cc-variable", test_cc_variable);
  g_test_add_func ("/distcc/probe", test_probe);
  g_test_add_func ("/distcc/make-distributed", test_make_distributed);
  g_test_add_func ("/distcc/make-fallback", test_make_fallback);
  return g_test_run ();
}
