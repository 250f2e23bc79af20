/* kwb-cli-show.c — kwb debug --show KIND[:ARG]: kernel views printed at each stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See kwb-cli-show.h. A new view is one row in `kinds` and one
 * kwb-cli-show-KIND.c with its two functions.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kwb-cli-show.h"

typedef struct {
  const char          *name;
  const char          *arg_name;  /* NULL: the kind takes no argument */
  KwbCliShowNewFunc    new_view;
  KwbCliShowPrintFunc  print;
  KwbCliShowCheckFunc  check_arg; /* NULL: any argument */
} ShowKind;

static const ShowKind kinds[] = {
  { "log", NULL, kwb_cli_show_log_new, kwb_cli_show_log_print },
  { "tasks", NULL, kwb_cli_show_tasks_new, kwb_cli_show_tasks_print },
  { "mem", "ADDR[,LEN]", kwb_cli_show_mem_new, kwb_cli_show_mem_print, kwb_cli_show_mem_check },
  { "watch", "EXPR", kwb_cli_show_watch_new, kwb_cli_show_watch_print },
  { "percpu", "VAR", kwb_cli_show_percpu_new, kwb_cli_show_percpu_print },
};

struct _KwbCliShow
{
  const ShowKind *kind;
  char           *arg;
  KwbKernelView  *view;
};

char *
kwb_cli_show_dup_kinds (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, kinds[i].name);
      if (kinds[i].arg_name != NULL)
        g_string_append_printf (s, ":%s", kinds[i].arg_name);
    }
  return g_string_free (s, FALSE);
}

KwbCliShow *
kwb_cli_show_new (const char  *spec,
                  GError     **error)
{
  g_autofree char *name = g_strdup (spec);
  char *arg = strchr (name, ':');
  KwbCliShow *show;

  if (arg != NULL)
    *arg++ = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (!g_str_equal (kinds[i].name, name))
        continue;
      if (kinds[i].arg_name == NULL && arg != NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--show %s takes no argument"), name);
          return NULL;
        }
      if (kinds[i].arg_name != NULL && (arg == NULL || *arg == '\0'))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--show %s needs an argument: --show %s:%s"),
                       name, name, kinds[i].arg_name);
          return NULL;
        }
      if (kinds[i].check_arg != NULL && !kinds[i].check_arg (arg, error))
        {
          g_prefix_error (error, "--show %s: ", name);
          return NULL;
        }
      show = g_new0 (KwbCliShow, 1);
      show->kind = &kinds[i];
      show->arg = g_strdup (arg);
      return show;
    }
  {
    g_autofree char *known = kwb_cli_show_dup_kinds ();

    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("--show: unknown view “%s” (known: %s)"), name, known);
  }
  return NULL;
}

void
kwb_cli_show_free (KwbCliShow *show)
{
  if (show == NULL)
    return;
  g_clear_object (&show->view);
  g_free (show->arg);
  g_free (show);
}

void
kwb_cli_show_attach (KwbCliShow *show,
                     KwbSession *session)
{
  g_return_if_fail (show->view == NULL);
  show->view = show->kind->new_view (session, show->arg);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbCliShow *show = g_task_get_task_data (task);
  GError *error = NULL;

  if (!kwb_kernel_view_refresh_finish (KWB_KERNEL_VIEW (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  show->kind->print (show->view, show->arg, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "json")));
  fflush (stdout);
  g_task_return_boolean (task, TRUE);
}

void
kwb_cli_show_print_async (KwbCliShow          *show,
                          gboolean             json,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (show->view != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_cli_show_print_async);
  g_task_set_task_data (task, show, NULL);
  g_object_set_data (G_OBJECT (task), "json", GINT_TO_POINTER (json));
  kwb_kernel_view_refresh_async (show->view, cancellable, refresh_cb, task);
}

gboolean
kwb_cli_show_print_finish (KwbCliShow    *show,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_cli_show_print_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
