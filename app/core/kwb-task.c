/* kwb-task.c — one task (thread) of the stopped guest kernel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built by KwbTaskList from a task_struct read out of guest memory; the
 * command name is made valid UTF-8 there, so every view shows it as is.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-task.h"

struct _KwbTask
{
  GObject      parent_instance;
  KwbTaskInfo  info;
  char        *comm;
};

G_DEFINE_FINAL_TYPE (KwbTask, kwb_task, G_TYPE_OBJECT)

static void
kwb_task_finalize (GObject *object)
{
  KwbTask *self = KWB_TASK (object);

  g_free (self->comm);
  G_OBJECT_CLASS (kwb_task_parent_class)->finalize (object);
}

static void
kwb_task_class_init (KwbTaskClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_task_finalize;
}

static void
kwb_task_init (KwbTask *self)
{
}

KwbTask *
kwb_task_new (const KwbTaskInfo *info)
{
  KwbTask *self;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (info->comm == NULL || g_utf8_validate (info->comm, -1, NULL), NULL);

  self = g_object_new (KWB_TYPE_TASK, NULL);
  self->info = *info;
  self->comm = g_strdup (info->comm ? info->comm : "");
  self->info.comm = self->comm;
  return self;
}

guint64 kwb_task_get_address (KwbTask *self) { g_return_val_if_fail (KWB_IS_TASK (self), 0); return self->info.address; }
gint kwb_task_get_pid (KwbTask *self) { g_return_val_if_fail (KWB_IS_TASK (self), -1); return self->info.pid; }
gint kwb_task_get_tgid (KwbTask *self) { g_return_val_if_fail (KWB_IS_TASK (self), -1); return self->info.tgid; }
const char *kwb_task_get_comm (KwbTask *self) { g_return_val_if_fail (KWB_IS_TASK (self), NULL); return self->comm; }
char kwb_task_get_state (KwbTask *self) { g_return_val_if_fail (KWB_IS_TASK (self), '?'); return self->info.state; }
guint kwb_task_get_cpu (KwbTask *self) { g_return_val_if_fail (KWB_IS_TASK (self), 0); return self->info.cpu; }
gboolean kwb_task_get_on_cpu (KwbTask *self) { g_return_val_if_fail (KWB_IS_TASK (self), FALSE); return self->info.on_cpu; }
gboolean kwb_task_get_is_current (KwbTask *self) { g_return_val_if_fail (KWB_IS_TASK (self), FALSE); return self->info.is_current; }
gboolean kwb_task_get_kernel_thread (KwbTask *self) { g_return_val_if_fail (KWB_IS_TASK (self), FALSE); return self->info.kernel_thread; }
guint64 kwb_task_get_stack (KwbTask *self) { g_return_val_if_fail (KWB_IS_TASK (self), 0); return self->info.stack; }

/**
 * kwb_task_state_get_name:
 *
 * The word ps's man page uses for a state letter, untranslated (for
 * scripts); kwb_task_get_state_name() translates it.
 */
const char *
kwb_task_state_get_name (char state)
{
  switch (state)
    {
    case KWB_TASK_STATE_RUNNING: return N_("running");
    case KWB_TASK_STATE_SLEEPING: return N_("sleeping");
    case KWB_TASK_STATE_DISK_SLEEP: return N_("disk sleep");
    case KWB_TASK_STATE_STOPPED: return N_("stopped");
    case KWB_TASK_STATE_TRACING_STOP: return N_("tracing stop");
    case KWB_TASK_STATE_DEAD: return N_("dead");
    case KWB_TASK_STATE_ZOMBIE: return N_("zombie");
    case KWB_TASK_STATE_PARKED: return N_("parked");
    case KWB_TASK_STATE_IDLE: return N_("idle");
    default: return N_("unknown");
    }
}

const char *
kwb_task_get_state_name (KwbTask *self)
{
  g_return_val_if_fail (KWB_IS_TASK (self), NULL);
  return _(kwb_task_state_get_name (self->info.state));
}

char *
kwb_task_dup_display_name (KwbTask *self)
{
  g_return_val_if_fail (KWB_IS_TASK (self), NULL);
  return g_strdup_printf ("%s (%d)", self->comm, self->info.pid);
}
