/* kwb-cmd-boot.c — kwb boot: the guest's serial console on this terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hand-written start_kernel script of the manual way, but with the GDB
 * stub on a private unix socket instead of -s, which would listen on every
 * interface and let anyone on the network drive the guest. The terminal is put in raw mode so that the guest's
 * shell gets every key; Ctrl-A X quits, as in QEMU's own -nographic mode.
 * The console also goes through KwbConsoleDiagnosis: a boot that fails the
 * classic ways ends with a line on stderr saying what to do.
 */
#include "config.h"

#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "kwb-cli.h"
#include "kwb-cli-trust.h"
#include "kwb-core.h"

typedef struct {
  GMainLoop      *loop;
  KwbQemu        *qemu;
  KwbConsoleDiagnosis *diagnosis;
  int             status;
  gboolean        saw_ctrl_a;
  gboolean        raw;
  struct termios  saved;
} Boot;

static void
restore_terminal (Boot *boot)
{
  if (boot->raw)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &boot->saved);
      boot->raw = FALSE;
    }
}

static void
on_console_output (KwbQemu *qemu,
                   GBytes  *bytes,
                   Boot    *boot)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  fwrite (data, 1, len, stdout);
  fflush (stdout);
  kwb_console_diagnosis_feed (boot->diagnosis, data, len);
}

static void
on_diagnosed (KwbConsoleDiagnosis *diagnosis,
              KwbConsoleProblem    problem,
              const char          *title,
              const char          *advice,
              Boot                *boot)
{
  fprintf (stderr, "\nkwb: diagnosis: %s — %s\n", title, advice);
}

static void
on_exited (KwbQemu    *qemu,
           gboolean    requested,
           const char *reason,
           Boot       *boot)
{
  restore_terminal (boot);
  kwb_console_diagnosis_finish (boot->diagnosis);
  if (!requested)
    {
      fprintf (stderr, "\nkwb: %s\n", reason);
      boot->status = KWB_EXIT_FAILED;
    }
  g_main_loop_quit (boot->loop);
}

static void
stop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  kwb_qemu_stop_finish (KWB_QEMU (object), result, NULL);
}

static gboolean
on_stdin (int           fd,
          GIOCondition  condition,
          gpointer      user_data)
{
  Boot *boot = user_data;
  char buf[1024];
  gssize n = read (fd, buf, sizeof buf);
  GString *out;

  if (n <= 0)
    {
      /* End of input (a pipe): keep the guest running until it ends or we
       * are interrupted; stop listening to stdin. */
      return G_SOURCE_REMOVE;
    }

  out = g_string_sized_new (n);
  for (gssize i = 0; i < n; i++)
    {
      if (boot->saw_ctrl_a)
        {
          boot->saw_ctrl_a = FALSE;
          if (buf[i] == 'x' || buf[i] == 'X')
            {
              restore_terminal (boot);
              fprintf (stderr, "\n%s\n", _("Stopping the guest…"));
              kwb_qemu_stop_async (boot->qemu, NULL, stop_cb, NULL);
              break;
            }
          if (buf[i] != 0x01)
            g_string_append_c (out, 0x01);
          g_string_append_c (out, buf[i]);
          continue;
        }
      if (buf[i] == 0x01 && boot->raw)
        {
          boot->saw_ctrl_a = TRUE;
          continue;
        }
      g_string_append_c (out, buf[i]);
    }
  if (out->len > 0)
    kwb_qemu_console_write (boot->qemu, out->str, out->len, NULL);
  g_string_free (out, TRUE);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_signal (gpointer user_data)
{
  Boot *boot = user_data;

  restore_terminal (boot);
  kwb_qemu_stop_async (boot->qemu, NULL, stop_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static void
start_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Boot *boot = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_qemu_start_finish (KWB_QEMU (object), result, &error))
    {
      boot->status = kwb_cli_fail (error);
      g_main_loop_quit (boot->loop);
      return;
    }

  fprintf (stderr, _("Booting under %s; GDB stub at %s (private). Ctrl-A X quits.\n"),
           kwb_qemu_get_accelerator (boot->qemu),
           kwb_qemu_get_gdb_socket (boot->qemu) ? kwb_qemu_get_gdb_socket (boot->qemu) : "127.0.0.1");
  /* Not frozen: the guest runs from here on. */
  kwb_console_diagnosis_set_running (boot->diagnosis, TRUE);

  if (isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &boot->saved) == 0)
    {
      struct termios raw = boot->saved;

      cfmakeraw (&raw);
      /* Keep output post-processing so our own messages still end lines. */
      raw.c_oflag |= OPOST;
      if (tcsetattr (STDIN_FILENO, TCSANOW, &raw) == 0)
        boot->raw = TRUE;
    }
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP, on_stdin, boot);
}

int
kwb_cmd_boot (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(KwbQemu) qemu = NULL;
  g_autoptr(KwbConsoleDiagnosis) diagnosis = kwb_console_diagnosis_new ();
  Boot boot = { 0 };
  gboolean trust = FALSE;
  int status;
  GOptionEntry entries[] = {
    { NULL }
  };

  context = g_option_context_new (_("PROJECT — boot the project's kernel with its console here"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  kwb_cli_add_trust_option (context, &trust);
  g_option_context_set_summary (context,
    _("Boots the built kernel and initramfs under QEMU with the serial console on this\n"
      "terminal. The GDB stub listens on a private unix socket only (never -s).\n"
      "Ctrl-A X stops the guest."));
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("boot takes one project folder"));

  if ((project = kwb_project_load (argv[1], &error)) == NULL)
    return kwb_cli_fail (error);
  if ((status = kwb_cli_check_trust (project, trust)) != KWB_EXIT_OK)
    return status;
  if ((config = kwb_session_config_new_for_project (project, &error)) == NULL)
    return kwb_cli_fail (error);

  qemu = kwb_session_config_create_qemu (config);
  kwb_qemu_set_freeze (qemu, FALSE);

  loop = g_main_loop_new (NULL, FALSE);
  boot.loop = loop;
  boot.qemu = qemu;
  boot.diagnosis = diagnosis;
  boot.status = KWB_EXIT_OK;
  g_signal_connect (qemu, "console-output", G_CALLBACK (on_console_output), &boot);
  g_signal_connect (qemu, "exited", G_CALLBACK (on_exited), &boot);
  g_signal_connect (diagnosis, "diagnosed", G_CALLBACK (on_diagnosed), &boot);
  g_unix_signal_add (SIGINT, on_signal, &boot);
  g_unix_signal_add (SIGTERM, on_signal, &boot);

  kwb_qemu_start_async (qemu, NULL, start_cb, &boot);
  g_main_loop_run (loop);
  restore_terminal (&boot);
  return boot.status;
}
