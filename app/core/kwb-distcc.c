/* kwb-distcc.c — compile the kernel, modules and BusyBox on distcc hosts, or here when they are gone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * [kernel] distcc-hosts holds a distcc host list, as DISTCC_HOSTS takes it
 * ("localhost/2 10.0.0.5/8 build@farm/16"); empty keeps every compile
 * here. The kernel, module and BusyBox builds start their make through
 * kwb_distcc_run_make_async(), which adds -j and CC= to the command line
 * and then runs it on the build's own KwbBuildRunner, so progress, the
 * log and cancel stay theirs:
 *
 *   - each host is probed first with one TCP connect (distccd's port, or
 *     ssh's for user@host), all at once with a short timeout, so a host
 *     that is off costs a second, not a timeout per compile;
 *   - hosts that do not answer are left out of DISTCC_HOSTS with a warning
 *     (KwbBuildRunner::warned); with none left, or no distcc installed,
 *     the build runs here with a warning: a farm that is down never fails
 *     a build;
 *   - -j is the sum of the hosts' /N limits plus this machine's own jobs
 *     (preprocessing and linking stay here), unless the user gave -j or
 *     [kernel] jobs;
 *   - with ccache, CC stays "ccache gcc" and distcc goes in CCACHE_PREFIX:
 *     cache hits never leave the machine, and the compiler line kbuild
 *     records in its .cmd files is the same distributed or not, so
 *     falling back to a local build does not rebuild everything. Without
 *     ccache, CC is "distcc gcc" in both cases (a fallback lists only
 *     localhost) for the same reason.
 *
 * The compiler is a parameter ("gcc", or a cross compiler's name) so a
 * cross build takes the same path.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kwb-distcc.h"
#include "kwb-kernel-build-private.h"

#define DEFAULT_LIMIT       4   /* distcc(1): "four per host" */
#define DEFAULT_LOCAL_LIMIT 2   /* "two for localhost" */
#define SSH_PORT            22
#define PROBE_TIMEOUT_MS    1500

G_DEFINE_QUARK (kwb-distcc-error-quark, kwb_distcc_error)

void
kwb_distcc_host_free (KwbDistccHost *host)
{
  if (host == NULL)
    return;
  g_free (host->spec);
  g_free (host->address);
  g_free (host);
}

static gboolean
parse_number (const char *text,
              gsize       len,
              guint       max,
              guint      *out)
{
  g_autofree char *copy = g_strndup (text, len);
  guint64 value;

  if (len == 0 || !g_ascii_string_to_unsigned (copy, 10, 1, max, &value, NULL))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

/* HOST[:PORT][/LIMIT], HOST[/LIMIT][:PORT], localhost[/LIMIT],
 * [USER]@HOST[/LIMIT][:COMMAND], each with ,OPTIONS after. */
static KwbDistccHost *
parse_one (const char  *spec,
           GError     **error)
{
  g_autoptr(KwbDistccHost) host = g_new0 (KwbDistccHost, 1);
  g_autofree char *body = g_strdup (spec);
  const char *at;
  char *comma, *slash, *colon, *name_end;
  guint number;

  host->spec = g_strdup (spec);
  if ((comma = strchr (body, ',')) != NULL)
    *comma = '\0';
  if ((at = strchr (body, '@')) != NULL)
    {
      const char *name = at + 1;

      host->port = SSH_PORT;
      host->limit = DEFAULT_LIMIT;
      name_end = (char *) name + strcspn (name, "/:");
      /* The command after ':' is a path: its slashes are not a limit. */
      slash = *name_end == '/' ? name_end : NULL;
      if (slash != NULL && !parse_number (slash + 1, strcspn (slash + 1, ":"), 1024, &host->limit))
        goto bad;
      host->address = g_strndup (name, name_end - name);
      if (host->address[0] == '\0')
        goto bad;
      return g_steal_pointer (&host);
    }

  name_end = body + strcspn (body, "/:");
  slash = strchr (body, '/');
  colon = strchr (body, ':');
  host->address = g_strndup (body, name_end - body);
  if (host->address[0] == '\0')
    goto bad;
  if (g_str_equal (host->address, "localhost"))
    {
      g_clear_pointer (&host->address, g_free);
      host->limit = DEFAULT_LOCAL_LIMIT;
      if (colon != NULL ||
          (slash != NULL && !parse_number (slash + 1, strlen (slash + 1), 1024, &host->limit)))
        goto bad;
      return g_steal_pointer (&host);
    }
  host->port = KWB_DISTCC_PORT;
  host->limit = DEFAULT_LIMIT;
  if (colon != NULL)
    {
      if (!parse_number (colon + 1, strcspn (colon + 1, "/"), 65535, &number))
        goto bad;
      host->port = (guint16) number;
    }
  if (slash != NULL && !parse_number (slash + 1, strcspn (slash + 1, ":"), 1024, &host->limit))
    goto bad;
  return g_steal_pointer (&host);

bad:
  g_set_error (error, KWB_DISTCC_ERROR, KWB_DISTCC_ERROR_HOSTS,
               _("“%s” is not a distcc host: write HOST, HOST:PORT, HOST/JOBS, localhost/JOBS or USER@HOST/JOBS"),
               spec);
  return NULL;
}

/**
 * kwb_distcc_parse_hosts:
 * @hosts: a distcc host list, words separated by blanks; "#" starts a
 *   comment, as in distcc's hosts file
 *
 * Returns: (transfer full): the hosts as #KwbDistccHost, in order; global
 * options such as --randomize are kept (address NULL, limit 0). Empty when
 * @hosts has none.
 */
GPtrArray *
kwb_distcc_parse_hosts (const char  *hosts,
                        GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_distcc_host_free);
  g_auto(GStrv) lines = g_strsplit (hosts ? hosts : "", "\n", -1);

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto(GStrv) words = NULL;
      char *hash = strchr (lines[l], '#');

      if (hash != NULL)
        *hash = '\0';
      g_strdelimit (lines[l], "\t\r", ' ');
      words = g_strsplit (lines[l], " ", -1);
      for (guint i = 0; words[i] != NULL; i++)
        {
          KwbDistccHost *host;

          if (words[i][0] == '\0')
            continue;
          if (words[i][0] == '-' || words[i][0] == '+')
            {
              host = g_new0 (KwbDistccHost, 1);
              host->spec = g_strdup (words[i]);
              g_ptr_array_add (out, host);
              continue;
            }
          if ((host = parse_one (words[i], error)) == NULL)
            return NULL;
          g_ptr_array_add (out, host);
        }
    }
  return g_steal_pointer (&out);
}

static gboolean
is_localhost (const KwbDistccHost *host)
{
  return host->address == NULL && host->limit > 0;
}

/**
 * kwb_distcc_count_jobs:
 * @local_jobs: what this machine runs alone (its CPUs)
 *
 * The -j that keeps every host busy: the sum of the hosts' limits, plus
 * @local_jobs for what stays here (preprocessing, linking) unless the list
 * names localhost, whose limit then says how much runs here.
 */
guint
kwb_distcc_count_jobs (GPtrArray *hosts,
                       guint      local_jobs)
{
  guint jobs = 0;
  gboolean local_listed = FALSE;

  for (guint i = 0; hosts != NULL && i < hosts->len; i++)
    {
      const KwbDistccHost *host = g_ptr_array_index (hosts, i);

      jobs += host->limit;
      local_listed |= is_localhost (host);
    }
  if (!local_listed)
    jobs += local_jobs;
  return CLAMP (jobs, 1, 4096);
}

/* DISTCC_HOSTS for @hosts. */
char *
kwb_distcc_dup_hosts_env (GPtrArray *hosts)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < hosts->len; i++)
    {
      const KwbDistccHost *host = g_ptr_array_index (hosts, i);

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, host->spec);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* CC=… for make, or NULL when @compiler alone is kbuild's default. */
char *
kwb_distcc_dup_cc_variable (const char *compiler,
                            gboolean    ccache,
                            gboolean    distcc)
{
  if (ccache)
    return g_strdup_printf ("CC=ccache %s", compiler);
  if (distcc)
    return g_strdup_printf ("CC=distcc %s", compiler);
  if (!g_str_equal (compiler, "gcc"))
    return g_strdup_printf ("CC=%s", compiler);
  return NULL;
}

/* ---- probe ---- */

typedef struct {
  GPtrArray *hosts;
  gboolean  *answered;
  guint      pending;
} Probe;

static void
probe_free (Probe *probe)
{
  g_ptr_array_unref (probe->hosts);
  g_free (probe->answered);
  g_free (probe);
}

static void
probe_return (GTask *task)
{
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GPtrArray) up = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_distcc_host_free);

  for (guint i = 0; i < probe->hosts->len; i++)
    if (probe->answered[i])
      {
        const KwbDistccHost *host = g_ptr_array_index (probe->hosts, i);
        KwbDistccHost *copy = g_new0 (KwbDistccHost, 1);

        copy->spec = g_strdup (host->spec);
        copy->address = g_strdup (host->address);
        copy->port = host->port;
        copy->limit = host->limit;
        g_ptr_array_add (up, copy);
      }
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_steal_pointer (&up), (GDestroyNotify) g_ptr_array_unref);
}

typedef struct {
  GTask *task;
  guint  index;
} ProbeOne;

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ProbeOne *one = user_data;
  g_autoptr(GTask) task = one->task;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, NULL);
  probe->answered[one->index] = (connection != NULL);
  if (connection != NULL)
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_free (one);
  if (--probe->pending == 0)
    probe_return (task);
}

/**
 * kwb_distcc_probe_async:
 *
 * One TCP connect to each host of @hosts, all at once, each given
 * @timeout_ms. localhost and global options always answer.
 */
void
kwb_distcc_probe_async (GPtrArray           *hosts,
                        guint                timeout_ms,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  Probe *probe = g_new0 (Probe, 1);

  g_task_set_source_tag (task, kwb_distcc_probe_async);
  probe->hosts = g_ptr_array_ref (hosts);
  probe->answered = g_new0 (gboolean, MAX (hosts->len, 1));
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  /* Whole seconds only; at least one. */
  g_socket_client_set_timeout (client, MAX (1, (timeout_ms + 999) / 1000));

  probe->pending = 1;
  for (guint i = 0; i < hosts->len; i++)
    {
      const KwbDistccHost *host = g_ptr_array_index (hosts, i);
      ProbeOne *one;

      if (host->address == NULL)
        {
          probe->answered[i] = TRUE;
          continue;
        }
      one = g_new0 (ProbeOne, 1);
      one->task = g_object_ref (task);
      one->index = i;
      probe->pending++;
      g_socket_client_connect_to_host_async (client, host->address, host->port, cancellable,
                                             on_connected, one);
    }
  if (--probe->pending == 0)
    probe_return (task);
}

/* Returns: (transfer full): the hosts that answered, in order. */
GPtrArray *
kwb_distcc_probe_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- make ---- */

typedef struct {
  KwbBuildRunner      *runner;
  GStrv                argv;
  char                *compiler;
  gboolean             ccache;
  guint                local_jobs;
  gboolean             jobs_given;
  char                *cwd;
  GPtrArray           *hosts;
  GCancellable        *cancellable;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} Make;

static void
make_free (Make *make)
{
  g_object_unref (make->runner);
  g_strfreev (make->argv);
  g_free (make->compiler);
  g_free (make->cwd);
  g_clear_pointer (&make->hosts, g_ptr_array_unref);
  g_clear_object (&make->cancellable);
  g_free (make);
}

static gboolean
has_remote_host (GPtrArray *hosts)
{
  for (guint i = 0; hosts != NULL && i < hosts->len; i++)
    if (((KwbDistccHost *) g_ptr_array_index (hosts, i))->address != NULL)
      return TRUE;
  return FALSE;
}

/* @hosts: the ones to use, NULL for none (a local build). */
static void
make_run (Make      *make,
          GPtrArray *hosts)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  gboolean distributed = has_remote_host (hosts);
  g_autofree char *cc = NULL;
  guint jobs = make->local_jobs;

  for (guint i = 0; make->argv[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (make->argv[i]));
  if (distributed)
    {
      g_autofree char *env = kwb_distcc_dup_hosts_env (hosts);

      g_autofree char *note = NULL;

      if (!make->jobs_given)
        jobs = kwb_distcc_count_jobs (hosts, make->local_jobs);
      kwb_build_runner_setenv (make->runner, "DISTCC_HOSTS", env);
      note = g_strdup_printf (_("Compiling through distcc on %s"), env);
      kwb_build_runner_log (make->runner, note);
      if (make->ccache)
        kwb_build_runner_setenv (make->runner, "CCACHE_PREFIX", "distcc");
    }
  else if (make->hosts != NULL)
    {
      /* distcc is there but no host answered: the same CC, all of it here. */
      g_autofree char *env = g_strdup_printf ("localhost/%u", make->local_jobs);

      kwb_build_runner_setenv (make->runner, "DISTCC_HOSTS", env);
      kwb_build_runner_setenv (make->runner, "CCACHE_PREFIX", NULL);
    }
  g_ptr_array_add (argv, g_strdup_printf ("-j%u", jobs));
  cc = kwb_distcc_dup_cc_variable (make->compiler, make->ccache, make->hosts != NULL);
  if (cc != NULL)
    g_ptr_array_add (argv, g_steal_pointer (&cc));
  g_ptr_array_add (argv, NULL);

  kwb_build_runner_run_async (make->runner, (const char * const *) argv->pdata, "make", make->cwd,
                              NULL, NULL, make->cancellable, make->callback, make->user_data);
  make_free (make);
}

static void
warn_unanswered (Make      *make,
                 GPtrArray *up)
{
  for (guint i = 0; i < make->hosts->len; i++)
    {
      const KwbDistccHost *host = g_ptr_array_index (make->hosts, i);
      gboolean found = FALSE;

      for (guint j = 0; up != NULL && j < up->len && !found; j++)
        found = g_str_equal (host->spec, ((KwbDistccHost *) g_ptr_array_index (up, j))->spec);
      if (!found && host->address != NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("distcc host %s does not answer on port %u: it is left out of this build"),
                             host->spec, host->port);

          kwb_build_runner_warn (make->runner, message);
        }
    }
}

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Make *make = user_data;
  g_autoptr(GPtrArray) up = kwb_distcc_probe_finish (result, NULL);

  /* Cancelled: the runner sees the cancellable and says so itself. */
  if (up == NULL)
    {
      make_run (make, NULL);
      return;
    }
  warn_unanswered (make, up);
  if (!has_remote_host (up))
    kwb_build_runner_warn (make->runner, _("No distcc host answers: compiling on this machine only"));
  make_run (make, up);
}

/**
 * kwb_distcc_run_make_async:
 * @argv: make and its arguments, without -j or CC=
 * @compiler: the C compiler kbuild would use: "gcc", or a cross compiler
 * @ccache: whether ccache goes in front (when it is installed)
 * @jobs: -j as the user gave it, 0 for the project's [kernel] jobs, or
 *   sized to the hosts
 *
 * Runs make on @runner as kwb_build_runner_run_async() does, distributed
 * when the project lists distcc hosts. @callback gets @runner's result:
 * finish with kwb_build_runner_run_finish().
 */
void
kwb_distcc_run_make_async (KwbBuildRunner      *runner,
                           KwbProject          *project,
                           const char * const  *argv,
                           const char          *compiler,
                           gboolean             ccache,
                           guint                jobs,
                           const char          *cwd,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Make *make = g_new0 (Make, 1);
  g_auto(GStrv) envp = kwb_build_runner_dup_environ (runner);
  const char *path_env = g_environ_getenv (envp, "PATH");
  g_autofree char *ccache_path = kwb_kernel_build_find_in_path ("ccache", path_env);
  g_autofree char *distcc_path = NULL;
  g_autofree char *hosts_text = kwb_project_dup_string (project, "kernel", "distcc-hosts");
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GError) error = NULL;

  make->runner = g_object_ref (runner);
  make->argv = g_strdupv ((char **) argv);
  make->compiler = g_strdup (compiler);
  make->ccache = ccache && ccache_path != NULL && g_environ_getenv (envp, "KWB_NO_CCACHE") == NULL;
  make->jobs_given = jobs > 0 || kwb_project_get_int (project, "kernel", "jobs") > 0;
  make->local_jobs = kwb_build_runner_resolve_jobs (project, jobs);
  make->cwd = g_strdup (cwd);
  make->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  make->callback = callback;
  make->user_data = user_data;

  if (hosts_text == NULL || (hosts = kwb_distcc_parse_hosts (hosts_text, &error)) == NULL || hosts->len == 0)
    {
      if (error != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("[kernel] distcc-hosts: %s. Compiling on this machine only"),
                                                      error->message);

          kwb_build_runner_warn (runner, message);
        }
      make_run (make, NULL);
      return;
    }
  if ((distcc_path = kwb_kernel_build_find_in_path ("distcc", path_env)) == NULL)
    {
      kwb_build_runner_warn (runner, _("distcc is not installed (sudo apt-get install distcc): "
                                       "compiling on this machine only"));
      make_run (make, NULL);
      return;
    }
  make->hosts = g_steal_pointer (&hosts);
  kwb_distcc_probe_async (make->hosts, PROBE_TIMEOUT_MS, cancellable, on_probed, make);
}
