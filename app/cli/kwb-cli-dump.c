/* kwb-cli-dump.c — kwb debug --dump: the guest's memory to a file, with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The command's face of kwb_session_dump_memory_async(): progress goes to
 * stderr (a line rewritten in place on a terminal, a line per tenth
 * otherwise, so logs stay short), the result to stdout as
 * "dump: FILE (N MiB, build-id HEX)" or a JSON line, beside the stops.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "kwb-cli-dump.h"
#include "kwb-cli-json.h"

typedef struct {
  char     *path;
  gboolean  json;
  gboolean  tty;
  int       last_tenth;
  gint64    started;
} CliDump;

static void
cli_dump_free (gpointer data)
{
  CliDump *dump = data;

  g_free (dump->path);
  g_free (dump);
}

static void
on_progress (guint64  completed,
             guint64  total,
             gpointer user_data)
{
  CliDump *dump = user_data;
  guint percent = total > 0 ? (guint) (completed * 100 / total) : 0;

  if (!dump->tty && (int) (percent / 10) <= dump->last_tenth)
    return;
  dump->last_tenth = percent / 10;
  /* TRANSLATORS: progress of a memory dump: percent, MiB written, MiB in all */
  fputs (dump->tty ? "\r" : "", stderr);
  fprintf (stderr, _("dump: %3u%% (%u of %u MiB)"), percent, (guint) (completed >> 20), (guint) (total >> 20));
  fputs (dump->tty ? "" : "\n", stderr);
  fflush (stderr);
}

static void
dump_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CliDump *dump = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *build_id = NULL;
  guint64 size = 0;
  double seconds = (g_get_monotonic_time () - dump->started) / (double) G_USEC_PER_SEC;

  if (dump->tty)
    fputs ("\n", stderr);
  /* TRANSLATORS: seconds a memory dump took */
  fprintf (stderr, _("dump: written in %.1f s\n"), seconds);
  if (!kwb_session_dump_memory_finish (KWB_SESSION (object), result, &size, &build_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (dump->json)
    {
      g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("dump");

      kwb_cli_json_add_text (b, "path", dump->path, -1);
      kwb_cli_json_add_int (b, "size", (gint64) size);
      kwb_cli_json_add_text (b, "build_id", build_id ? build_id : "", -1);
      kwb_cli_json_add_int (b, "milliseconds", (gint64) (seconds * 1000));
      kwb_cli_json_print (b);
    }
  else
    /* For scripts, like the "stopped:" lines: never translated. */
    printf ("dump: %s (%u MiB, build-id %s)\n", dump->path, (guint) (size >> 20),
            build_id ? build_id : "none");
  fflush (stdout);
  g_task_return_boolean (task, TRUE);
}

/* Writes the dump of the stopped guest to PATH (absolute). */
void
kwb_cli_dump_async (KwbSession          *session,
                    const char          *path,
                    gboolean             json,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  CliDump *dump = g_new0 (CliDump, 1);

  g_task_set_source_tag (task, kwb_cli_dump_async);
  dump->path = g_strdup (path);
  dump->json = json;
  dump->tty = isatty (STDERR_FILENO);
  dump->started = g_get_monotonic_time ();
  dump->last_tenth = -1;
  g_task_set_task_data (task, dump, cli_dump_free);
  kwb_session_dump_memory_async (session, path, on_progress, dump, NULL, NULL, dump_cb, task);
}

gboolean
kwb_cli_dump_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
