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
 *
 * PDEATHSIG reaches only our direct child. A build is a tree (make, sub-makes,
 * cc1, as, ld) that outlives a SIGKILLed make, so a build is started guarded
 * (kwb_spawn_launcher_new_guarded): the group leader is a tiny watchdog,
 * forked from the child before exec, that runs the command as its own child
 * and holds the read end of a pipe whose write end only we hold. When we die
 * the kernel closes our end; the watchdog reads EOF and SIGKILLs its whole
 * group. When the command exits, the watchdog exits with its status, so the
 * caller sees the command's exit status. Chosen over PR_SET_CHILD_SUBREAPER:
 * a subreaper must itself be alive to act, and we are the one being killed.
 * The watchdog is the command's parent rather than its child because make
 * (and gdb, and sh's `wait`) reap every child they have, known or not.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

typedef struct {
  pid_t parent;
  int   guard_read;
  int   guard_write;
} GuardData;

static void
guard_data_free (gpointer data)
{
  GuardData *guard = data;

  if (guard->guard_read >= 0)
    close (guard->guard_read);
  g_free (guard);
}

static void
on_watchdog_signal (int signum)
{
}

/* Only async-signal-safe calls from here on: we are a fork of a process
 * that may have had threads. */
G_GNUC_NORETURN static void
watchdog_main (pid_t           command,
               int             guard,
               const sigset_t *unblocked)
{
  struct sigaction sa = { 0 };
  int devnull = open ("/dev/null", O_RDWR);
  int status;

  /* Keep no pipe open: the caller's reader waits for EOF on the output. */
  if (devnull >= 0)
    {
      dup2 (devnull, 0);
      dup2 (devnull, 1);
      dup2 (devnull, 2);
    }
  if (guard != 3)
    {
      dup2 (guard, 3);
      guard = 3;
    }
  if (syscall (SYS_close_range, 4, ~0U, 0) != 0)
    for (int fd = 4; fd < 4096; fd++)
      close (fd);

  /* A cancel sends SIGTERM to the group: the command handles it, and we
   * report how it ended. */
  sa.sa_handler = on_watchdog_signal;
  sigaction (SIGCHLD, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGHUP, &sa, NULL);

  for (;;)
    {
      struct pollfd pfd = { .fd = guard, .events = POLLIN };
      pid_t r = waitpid (command, &status, WNOHANG);

      if (r == command)
        {
          if (WIFEXITED (status))
            _exit (WEXITSTATUS (status));
          sa.sa_handler = SIG_DFL;
          sigaction (WTERMSIG (status), &sa, NULL);
          sigprocmask (SIG_SETMASK, unblocked, NULL);
          kill (getpid (), WTERMSIG (status));
          _exit (128 + WTERMSIG (status));
        }
      if (ppoll (&pfd, 1, NULL, unblocked) > 0)
        {
          char byte;

          if (read (guard, &byte, 1) <= 0)
            {
              /* Our starter is gone: nothing of the build may stay. */
              kill (0, SIGKILL);
              _exit (137);
            }
        }
    }
}

static void
child_setup_guarded (gpointer user_data)
{
  GuardData *guard = user_data;
  sigset_t chld, old;
  pid_t watchdog, command;

  /* No PDEATHSIG here: the watchdog must outlive us to kill the group.
   * If we died already, its read gets EOF at once. */
  setpgid (0, 0);

  /* SIGCHLD stays blocked until ppoll, which unblocks it atomically: an
   * exit between waitpid and ppoll cannot be missed. */
  sigemptyset (&chld);
  sigaddset (&chld, SIGCHLD);
  sigprocmask (SIG_BLOCK, &chld, &old);
  watchdog = getpid ();
  command = fork ();
  if (command < 0)
    _exit (127);
  if (command == 0)
    {
      /* The command: execs when we return. Both guard ends are O_CLOEXEC. */
      sigprocmask (SIG_SETMASK, &old, NULL);
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (getppid () != watchdog)
        _exit (127);
      return;
    }
  close (guard->guard_write);
  sigdelset (&old, SIGCHLD);
  watchdog_main (command, guard->guard_read, &old);
}

/**
 * kwb_spawn_launcher_new_guarded:
 * @guard_fd: (out): the pipe end to keep open while the process runs, and
 *   to close once it has exited
 *
 * A launcher for a process tree that must die with us (see the design note).
 * Use it for one kwb_spawn() only.
 */
GSubprocessLauncher *
kwb_spawn_launcher_new_guarded (GSubprocessFlags   flags,
                                int               *guard_fd,
                                GError           **error)
{
  GSubprocessLauncher *launcher;
  GuardData *guard;
  int fds[2];

  g_return_val_if_fail (guard_fd != NULL, NULL);

  if (pipe2 (fds, O_CLOEXEC) != 0)
    {
      int saved = errno;

      g_set_error (error, KWB_SPAWN_ERROR, KWB_SPAWN_ERROR_FAILED,
                   _("Cannot create a pipe to start a build: %s"), g_strerror (saved));
      return NULL;
    }
  guard = g_new0 (GuardData, 1);
  guard->parent = getpid ();
  guard->guard_read = fds[0];
  guard->guard_write = fds[1];
  *guard_fd = fds[1];
  launcher = g_subprocess_launcher_new (flags);
  /* The read end is closed here when the launcher goes: after the spawn. */
  g_subprocess_launcher_set_child_setup (launcher, child_setup_guarded, guard, guard_data_free);
  return launcher;
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
