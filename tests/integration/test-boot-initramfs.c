/* test-boot-initramfs.c — the default initramfs boots a kernel to a BusyBox shell
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real qemu-system-x86_64 with the kernel in $KWB_FIXTURE_KERNEL (a bzImage;
 * build-aux/test points it at the fixture kernel). The serial console is our
 * stdin/stdout. We press Enter for the askfirst console, run `ls /dev`
 * between two markers, and check that console and null are there and that
 * rcS did not print the hotplug error of the classic hand-written rcS. The transcript is saved to
 * $KWB_BUILD_ROOT/meson-logs/boot-initramfs-*.log for a person to read.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>

#include <glib/gstdio.h>

#include "kwb-test-util.h"

/* $((1+1)) makes the shell print KWB-2-… while the echoed command line shows
 * KWB-$((1+1))-…: the markers only match real output. */
#define COMMAND "echo KWB-$((1+1))-BEGIN; ls /dev; grep ' /dev ' /proc/mounts; " \
                "cat /proc/sys/kernel/hotplug 2>/dev/null; echo KWB-$((1+1))-END\n"
#define BEGIN_MARK "KWB-2-BEGIN"
#define END_MARK "KWB-2-END"

typedef struct {
  GMainLoop     *loop;
  GSubprocess   *qemu;
  GOutputStream *in;
  GString       *transcript;
  guint8         buf[4096];
  gboolean       pressed_enter;
  gint64         last_sent;
  gint64         deadline;
  gboolean       done;
  gboolean       eof;
} Boot;

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Boot *b = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0)
    {
      b->eof = TRUE;
      g_main_loop_quit (b->loop);
      return;
    }
  g_string_append_len (b->transcript, (const char *) b->buf, n);
  g_input_stream_read_async (G_INPUT_STREAM (object), b->buf, sizeof b->buf, G_PRIORITY_DEFAULT,
                             NULL, read_cb, b);
}

static void
send (Boot       *b,
      const char *text)
{
  g_output_stream_write_all (b->in, text, strlen (text), NULL, NULL, NULL);
  g_output_stream_flush (b->in, NULL, NULL);
}

static gboolean
tick (gpointer user_data)
{
  Boot *b = user_data;
  gint64 now = g_get_monotonic_time ();
  const char *begin = strstr (b->transcript->str, BEGIN_MARK "\r\n");

  if (begin == NULL)
    begin = strstr (b->transcript->str, BEGIN_MARK "\n");
  if (begin != NULL && strstr (begin, END_MARK) != NULL)
    {
      b->done = TRUE;
      g_main_loop_quit (b->loop);
      return G_SOURCE_REMOVE;
    }
  if (now > b->deadline || strstr (b->transcript->str, "Kernel panic") != NULL)
    {
      g_main_loop_quit (b->loop);
      return G_SOURCE_REMOVE;
    }

  if (!b->pressed_enter &&
      (strstr (b->transcript->str, "activate this console") != NULL ||
       strstr (b->transcript->str, " # ") != NULL))
    {
      /* The askfirst shell waits for Enter; the respawn one shares the
       * console, so whichever reads a line gets it: repeat until seen. */
      send (b, "\n");
      b->pressed_enter = TRUE;
      b->last_sent = now;
    }
  else if (b->pressed_enter && now - b->last_sent > 3 * G_USEC_PER_SEC)
    {
      send (b, COMMAND);
      b->last_sent = now;
    }
  return G_SOURCE_CONTINUE;
}

/* The classic hand-written rcS and fstab of the manual way: tmpfs over
 * /dev, then mdev -s. */
static const char manual_rcs[] =
  "#!/bin/sh\n"
  "export PATH=/sbin:/usr/sbin:/bin:/usr/bin\n"
  "\n"
  "mkdir -p /proc\n"
  "mkdir -p /tmp\n"
  "mkdir -p /sys\n"
  "mkdir -p /mnt\n"
  "\n"
  "/bin/mount -a\n"
  "mkdir -p /dev/pts\n"
  "mount -t devpts devpts /dev/pts\n"
  "\n"
  "echo /sbin/mdev > /proc/sys/kernel/hotplug\n"
  "mdev -s\n";
static const char manual_fstab[] =
  "proc /proc proc defaults 0 0\n"
  "tmpfs /tmp tmpfs defaults 0 0\n"
  "sysfs /sys sysfs defaults 0 0\n"
  "tmpfs /dev tmpfs defaults 0 0\n"
  "debugfs /sys/kernel/debug debugfs defaults 0 0\n";

static void
boot (const char *append,
      const char *log_name,
      gboolean    manual_files)
{
  const char *kernel = g_getenv ("KWB_FIXTURE_KERNEL");
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *image = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GString) transcript = g_string_new (NULL);
  const char *accel;
  const char *begin;
  const char *end;
  g_autofree char *listing = NULL;
  int fd;
  Boot b = { 0 };

  if (kernel == NULL || *kernel == '\0')
    {
      g_test_skip ("no fixture kernel: KWB_FIXTURE_KERNEL unset");
      return;
    }
  g_assert_true (g_file_test (kernel, G_FILE_TEST_IS_REGULAR));
  if (g_find_program_in_path ("qemu-system-x86_64") == NULL)
    {
      g_test_skip ("qemu-system-x86_64 is not installed (Debian package: qemu-system-x86)");
      return;
    }

  project = kwb_test_new_project (&dir);
  if (manual_files)
    {
      /* Through the project's override keys, as a user would. */
      g_autofree char *rcs = g_build_filename (dir, "rcS", NULL);
      g_autofree char *fstab = g_build_filename (dir, "fstab", NULL);

      g_assert_true (g_file_set_contents (rcs, manual_rcs, -1, NULL));
      g_assert_true (g_file_set_contents (fstab, manual_fstab, -1, NULL));
      g_assert_true (kwb_project_set_value (project, "initramfs", "rcs", "rcS", &error));
      g_assert_true (kwb_project_set_value (project, "initramfs", "fstab", "fstab", &error));
      g_assert_no_error (error);
    }
  image = kwb_test_build_initramfs (project, NULL, &error);
  g_assert_no_error (error);

  /* TCG unless KWB_TEST_ACCEL=kvm and /dev/kvm opens. On the machine this
   * was written on /dev/kvm opens, yet a KVM guest printed nothing in 40 s
   * (and with -cpu host QEMU aborted: "failed to set MSR 0x10a"): an open
   * /dev/kvm does not prove KVM works, and TCG always does. */
  accel = "tcg";
  if (g_strcmp0 (g_getenv ("KWB_TEST_ACCEL"), "kvm") == 0 &&
      (fd = g_open ("/dev/kvm", O_RDWR | O_CLOEXEC, 0)) >= 0)
    {
      close (fd);
      accel = "kvm";
    }
  g_test_message ("kernel %s, accel %s, append \"%s\"", kernel, accel, append);

  {
    const char *argv[] = {
      "qemu-system-x86_64", "-accel", accel, "-kernel", kernel, "-initrd", image,
      "-append", append, "-m", "256", "-display", "none", "-no-reboot",
      "-serial", "stdio", "-monitor", "none", NULL
    };

    launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
    b.qemu = kwb_spawn (launcher, argv, "qemu-system-x86", &error);
    g_assert_no_error (error);
  }

  loop = g_main_loop_new (NULL, FALSE);
  b.loop = loop;
  b.in = g_subprocess_get_stdin_pipe (b.qemu);
  b.transcript = transcript;
  b.deadline = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;
  g_input_stream_read_async (g_subprocess_get_stdout_pipe (b.qemu), b.buf, sizeof b.buf,
                             G_PRIORITY_DEFAULT, NULL, read_cb, &b);
  g_timeout_add (250, tick, &b);
  g_main_loop_run (loop);
  g_source_remove_by_user_data (&b);

  /* QEMU and anything it started: one process group. */
  kwb_spawn_kill_group (b.qemu, SIGKILL);
  g_subprocess_wait (b.qemu, NULL, NULL);
  /* Let the pending read see EOF before the stack frame goes. */
  while (!b.eof)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&b.qemu);

  if (g_getenv ("KWB_BUILD_ROOT") != NULL)
    {
      g_autofree char *log = g_build_filename (g_getenv ("KWB_BUILD_ROOT"), "meson-logs", log_name, NULL);

      g_file_set_contents (log, transcript->str, transcript->len, NULL);
      g_test_message ("serial transcript: %s", log);
    }

  if (!b.done)
    g_error ("no BusyBox shell output within 240 s; the serial console said:\n%s", transcript->str);

  begin = strstr (transcript->str, BEGIN_MARK);
  end = strstr (begin, END_MARK);
  listing = g_strndup (begin, end - begin);
  g_test_message ("ls /dev and /dev's mount:\n%s", listing);
  {
    g_autoptr(GRegex) console = g_regex_new ("(^|\\s)console(\\s|$)", G_REGEX_MULTILINE, 0, NULL);
    g_autoptr(GRegex) null = g_regex_new ("(^|\\s)null(\\s|$)", G_REGEX_MULTILINE, 0, NULL);

    g_assert_true (g_regex_match (console, listing, 0, NULL));
    g_assert_true (g_regex_match (null, listing, 0, NULL));
  }
  /* Our rcS writes the hotplug helper only where the file exists. The
   * classic rcS writes it always: on a kernel with CONFIG_UEVENT_HELPER (as
   * the fixture kernel has) no error either. */
  /* BusyBox ash says "can't create /proc/sys/kernel/hotplug: nonexistent
   * directory"; match any wording of it. */
  if (!manual_files || strstr (listing, "/sbin/mdev") != NULL)
    g_assert_null (strstr (transcript->str, "create /proc/sys/kernel/hotplug"));
  else
    /* The classic rcS on a kernel without CONFIG_UEVENT_HELPER: the error
     * our rcS avoids really appears, so the check above can fail. */
    g_assert_nonnull (strstr (transcript->str, "create /proc/sys/kernel/hotplug"));
  g_assert_null (strstr (transcript->str, "Kernel panic"));
  if (manual_files)
    g_assert_nonnull (strstr (listing, "tmpfs /dev tmpfs"));
  /* rcS ran (sysinit) before the shells. */
  g_assert_nonnull (strstr (transcript->str, "Please press Enter to activate this console"));

  {
    const char *argv[] = { "rm", "-rf", dir, NULL };
    int status;
    g_autofree char *out = kwb_test_run (argv, NULL, NULL, FALSE, &status, NULL);
  }
}

static void
test_boot_linuxrc (void)
{
  /* The classic command line of the manual way. */
  boot ("console=ttyS0 rdinit=/linuxrc loglevel=8", "boot-initramfs-linuxrc.log", FALSE);
}

static void
test_boot_default_init (void)
{
  /* No rdinit=: the kernel runs /init, which the default tree provides. */
  boot ("console=ttyS0 loglevel=8", "boot-initramfs-init.log", FALSE);
}

static void
test_boot_manual_files (void)
{
  /* Why our rcS differs: with the classic tmpfs over /dev, console and null
   * exist only because mdev -s finds them in sysfs. They must still be
   * there, and the project's rcs/fstab overrides must reach the guest. */
  boot ("console=ttyS0 rdinit=/linuxrc loglevel=8", "boot-initramfs-manual.log", TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boot/default-initramfs-rdinit-linuxrc", test_boot_linuxrc);
  g_test_add_func ("/boot/default-initramfs-init", test_boot_default_init);
  g_test_add_func ("/boot/manual-rcs-and-fstab-tmpfs-dev", test_boot_manual_files);

  return g_test_run ();
}
