/* kwb-spawn.c — start helper processes so that none can outlive us
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every qemu, gdb and make we start runs in its own process group (so that a
 * cancel kills make *and* its cc1 children with one kill(-pgid)) and with
 * PR_SET_PDEATHSIG (so that if we are SIGKILLed the kernel kills them for us).
 *
 * PDEATHSIG fires when the *thread* that forked exits, not the process. Spawn
 * only from the main thread (or another thread that lives as long as the
 * child); never from a GTask worker thread, whose end would kill the child.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "kwb-spawn.h"

G_DEFINE_QUARK (kwb-spawn-error-quark, kwb_spawn_error)

static void
child_setup (gpointer user_data)
{
  pid_t parent = GPOINTER_TO_INT (user_data);

  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* The parent may have died between fork() and prctl(): then nobody would
   * ever send the signal. */
  if (getppid () != parent)
    _exit (127);
}

GSubprocessLauncher *
kwb_spawn_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup,
                                         GINT_TO_POINTER (getpid ()), NULL);
  return launcher;
}

char *
kwb_spawn_find_program (const char  *program,
                        const char  *debian_package,
                        GError     **error)
{
  char *path;

  if (strchr (program, '/') != NULL)
    {
      if (g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
        return g_strdup (program);
      path = NULL;
    }
  else
    path = g_find_program_in_path (program);

  if (path == NULL)
    {
      if (debian_package != NULL)
        g_set_error (error, KWB_SPAWN_ERROR, KWB_SPAWN_ERROR_NOT_INSTALLED,
                     _("%s is not installed. Install it with: sudo apt-get install %s"),
                     program, debian_package);
      else
        g_set_error (error, KWB_SPAWN_ERROR, KWB_SPAWN_ERROR_NOT_INSTALLED,
                     _("%s was not found (not an executable, and not on PATH)"), program);
    }
  return path;
}

GSubprocess *
kwb_spawn (GSubprocessLauncher  *launcher,
           const char * const   *argv,
           const char           *debian_package,
           GError              **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(GError) local_error = NULL;
  GSubprocess *process;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  if ((path = kwb_spawn_find_program (argv[0], debian_package, error)) == NULL)
    return NULL;

  args = g_ptr_array_new ();
  g_ptr_array_add (args, path);
  for (guint i = 1; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &local_error);
  if (process == NULL)
    g_set_error (error, KWB_SPAWN_ERROR, KWB_SPAWN_ERROR_FAILED,
                 _("Cannot start %s: %s"), argv[0], local_error->message);
  return process;
}

pid_t
kwb_spawn_get_pid (GSubprocess *process)
{
  const char *id = g_subprocess_get_identifier (process);

  return id ? (pid_t) atoi (id) : 0;
}

/* The child made itself a group leader, so its pid is the group id. */
void
kwb_spawn_kill_group (GSubprocess *process,
                      int          signum)
{
  pid_t pid = kwb_spawn_get_pid (process);

  if (pid > 0)
    kill (-pid, signum);
}
