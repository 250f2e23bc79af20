/* kwb-cli-show-tasks.c — kwb debug --show tasks: every task of the stopped kernel, as ps lists them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text: a table (PID, TGID, CPU, state letter, command name) in lx-ps's
 * order, the current task of each CPU marked with "*" in the first column;
 * JSON: one {"event":"task","pid":…,"tgid":…,"comm":…,"state":"S",
 * "state_name":"sleeping","cpu":…,"on_cpu":…,"current":…,
 * "kernel_thread":…,"address":"0x…"} per task. The whole list is printed
 * at every stop: tasks come and go, and each stop stands alone.
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "kwb-cli-show.h"

KwbKernelView *
kwb_cli_show_tasks_new (KwbSession *session,
                        const char *arg)
{
  return KWB_KERNEL_VIEW (kwb_task_list_new (session));
}

static void
print_json (KwbTask *task)
{
  g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("task");
  g_autofree char *address = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", kwb_task_get_address (task));
  char state[2] = { kwb_task_get_state (task), '\0' };

  kwb_cli_json_add_int (b, "pid", kwb_task_get_pid (task));
  kwb_cli_json_add_int (b, "tgid", kwb_task_get_tgid (task));
  kwb_cli_json_add_text (b, "comm", kwb_task_get_comm (task), -1);
  kwb_cli_json_add_text (b, "state", state, -1);
  kwb_cli_json_add_text (b, "state_name", kwb_task_state_get_name (state[0]), -1);
  kwb_cli_json_add_int (b, "cpu", kwb_task_get_cpu (task));
  kwb_cli_json_add_bool (b, "on_cpu", kwb_task_get_on_cpu (task));
  kwb_cli_json_add_bool (b, "current", kwb_task_get_is_current (task));
  kwb_cli_json_add_bool (b, "kernel_thread", kwb_task_get_kernel_thread (task));
  kwb_cli_json_add_text (b, "address", address, -1);
  kwb_cli_json_print (b);
}

void
kwb_cli_show_tasks_print (KwbKernelView *view,
                          const char    *arg,
                          gboolean       json)
{
  GListModel *model = G_LIST_MODEL (view);
  guint n = g_list_model_get_n_items (model);

  if (!json)
    /* Translators: the column heads of the task table, as ps names them; keep the widths. */
    printf ("%s\n", _("    PID   TGID CPU ST COMM"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (model, i);

      if (json)
        print_json (task);
      else
        printf ("%c %6d %6d %3u %c  %s\n", kwb_task_get_is_current (task) ? '*' : ' ',
                kwb_task_get_pid (task), kwb_task_get_tgid (task), kwb_task_get_cpu (task),
                kwb_task_get_state (task), kwb_task_get_comm (task));
    }
}
