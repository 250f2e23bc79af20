/* kwb-cli-show-log.c — kwb debug --show log: printk records new since the previous stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text: one formatted record per line ("[    1.234567] <6> message");
 * JSON: {"event":"log","seq":…,"level":…,"time_ns":…,"text":…,"new":true}.
 * Only the records new since the previous stop are printed, so a run with
 * --continue prints the log once, in order, without repeats.
 */
#include "config.h"

#include <stdio.h>

#include "kwb-cli-show.h"

KwbKernelView *
kwb_cli_show_log_new (KwbSession *session,
                      const char *arg)
{
  return KWB_KERNEL_VIEW (kwb_kernel_log_new (session));
}

void
kwb_cli_show_log_print (KwbKernelView *view,
                        const char    *arg,
                        gboolean       json)
{
  GListModel *model = G_LIST_MODEL (view);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbLogRecord) record = g_list_model_get_item (model, i);

      if (!kwb_log_record_get_is_new (record))
        continue;
      if (json)
        {
          g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("log");

          kwb_cli_json_add_int (b, "seq", (gint64) kwb_log_record_get_seq (record));
          kwb_cli_json_add_int (b, "level", kwb_log_record_get_level (record));
          kwb_cli_json_add_int (b, "time_ns", (gint64) kwb_log_record_get_time_ns (record));
          kwb_cli_json_add_text (b, "text", kwb_log_record_get_text (record), -1);
          kwb_cli_json_add_bool (b, "new", TRUE);
          kwb_cli_json_print (b);
        }
      else
        {
          g_autofree char *line = kwb_log_record_format (record);

          printf ("%s\n", line);
        }
    }
}
