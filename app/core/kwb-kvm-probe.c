/* kwb-kvm-probe.c — whether QEMU's guests make progress under KVM on this host
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KwbQemu in auto mode asks this before choosing KVM. It is its own file
 * because it is a separate job from running a guest: it boots a throw-away
 * QEMU in a thread and keeps the answer in the user's cache directory.
 */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-kvm-probe.h"
#include "kwb-spawn.h"

/* Whether a guest makes progress under KVM here. /dev/kvm opening is not
 * enough: under some nested hypervisors QEMU aborts on an MSR, and under
 * others the vCPU stalls silently, in the firmware (SeaBIOS stops after
 * "Scan for VGA option rom") or later, once the kernel leaves real mode, so
 * a kernel never reaches start_kernel although the firmware finished. The
 * probe therefore boots the kernel the session will run, with no initramfs
 * and its console on stdout, and waits for its "Linux version" line, three
 * times in a row (a stalling host sometimes lets one through). The answer
 * is kept per host boot, QEMU binary and kernel image, so only the first
 * session after a reboot or a rebuild pays for it (well under a second
 * each where KVM works). */
#define KVM_PROBE_TIMEOUT_MS 4000
#define KVM_PROBE_RUNS 3

typedef struct {
  char *qemu_path;
  char *kernel;
} Probe;

static void
probe_free (Probe *probe)
{
  g_free (probe->qemu_path);
  g_free (probe->kernel);
  g_free (probe);
}

static char *
kvm_probe_cache_key (const Probe *probe)
{
  g_autofree char *boot_id = NULL;
  struct stat st, kst;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &boot_id, NULL, NULL) ||
      stat (probe->qemu_path, &st) != 0 || stat (probe->kernel, &kst) != 0)
    return NULL;
  return g_strdup_printf ("%s %s %lld %s %lld %lld", g_strstrip (boot_id), probe->qemu_path,
                          (long long) st.st_mtime, probe->kernel, (long long) kst.st_mtime,
                          (long long) kst.st_size);
}

static char *
kvm_probe_cache_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "kernel-workbench", "kvm-probe", NULL);
}

static gboolean
kvm_probe_run (const Probe  *probe,
               char        **why)
{
  const char *argv[] = { probe->qemu_path, "-nodefaults", "-no-user-config", "-display", "none",
                         "-no-reboot", "-accel", "kvm", "-cpu", "host", "-m", "256",
                         "-chardev", "stdio,id=probe", "-serial", "chardev:probe",
                         "-kernel", probe->kernel, "-append", "console=ttyS0 panic=-1",
                         NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + KVM_PROBE_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  GInputStream *out;
  gboolean done = FALSE;
  gboolean ended = FALSE;
  int fd;

  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  if ((process = kwb_spawn (launcher, argv, "qemu-system-x86", &error)) == NULL)
    {
      *why = g_strdup (error->message);
      return FALSE;
    }
  out = g_subprocess_get_stdout_pipe (process);
  fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (out));

  /* The kernel's first console line: it ran past the firmware, the mode
   * switches and its own setup. */
  while (!done)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      char buf[4096];
      gssize n;

      if (left <= 0 || poll (&pfd, 1, (int) left) <= 0)
        break;
      if ((n = read (fd, buf, sizeof buf)) <= 0)
        {
          ended = TRUE;
          break;
        }
      g_string_append_len (seen, buf, n);
      done = strstr (seen->str, "Linux version") != NULL;
      if (seen->len > 1024 * 1024)
        break;
    }

  kwb_spawn_kill_group (process, SIGKILL);
  g_subprocess_wait (process, NULL, NULL);
  if (!done)
    *why = g_strdup (ended ? _("QEMU ended or printed nothing under KVM")
                           : _("the kernel did not start under KVM"));
  return done;
}

static gboolean
kvm_runs_guests (const Probe  *probe,
                 char        **why)
{
  g_autofree char *key = kvm_probe_cache_key (probe);
  g_autofree char *cache = kvm_probe_cache_path ();
  g_autofree char *contents = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *line = NULL;
  gboolean works;

  if (key != NULL && g_file_get_contents (cache, &contents, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

      if (g_strv_length (lines) >= 2 && g_str_equal (lines[0], key))
        {
          works = g_str_equal (lines[1], "yes");
          if (!works)
            *why = g_strdup (lines[2] && *lines[2] ? lines[2] : lines[1]);
          return works;
        }
    }

  /* On some hosts a guest gets through under KVM only now and then: one
   * lucky boot must not make every session of this host hang. Where KVM
   * works each run takes well under a second. */
  works = TRUE;
  for (guint i = 0; i < KVM_PROBE_RUNS && works; i++)
    works = kvm_probe_run (probe, &reason);
  if (key != NULL)
    {
      dir = g_path_get_dirname (cache);
      line = g_strdup_printf ("%s\n%s\n%s\n", key, works ? "yes" : "no", reason ? reason : "");
      if (g_mkdir_with_parents (dir, 0700) == 0)
        g_file_set_contents (cache, line, -1, NULL);
    }
  if (!works)
    *why = g_steal_pointer (&reason);
  return works;
}

static void
kvm_probe_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  char *why = NULL;

  if (kvm_runs_guests (task_data, &why))
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_pointer (task, why, g_free);
}

/* Runs the probe (or reads its cached answer) in a thread: it can take
 * seconds on a host where KVM stalls. */
void
kwb_kvm_probe_async (const char          *qemu_path,
                     const char          *kernel,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Probe *probe;

  g_return_if_fail (qemu_path != NULL);
  g_return_if_fail (kernel != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_kvm_probe_async);
  probe = g_new0 (Probe, 1);
  probe->qemu_path = g_strdup (qemu_path);
  probe->kernel = g_strdup (kernel);
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  g_task_run_in_thread (task, kvm_probe_thread);
}

/**
 * kwb_kvm_probe_finish:
 * @why: (out) (transfer full): when KVM does not work, why not
 *
 * Returns: whether a guest runs under KVM here
 */
gboolean
kwb_kvm_probe_finish (GAsyncResult  *result,
                      char         **why)
{
  g_autofree char *reason = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  reason = g_task_propagate_pointer (G_TASK (result), NULL);
  if (reason == NULL)
    return TRUE;
  if (why != NULL)
    *why = g_steal_pointer (&reason);
  return FALSE;
}
