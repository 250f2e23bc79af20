/* kwb-task-walker.c — the kernel's task lists, walked over task_structs read out of guest memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KwbTaskList asks GDB the layout once, then reads one task_struct per
 * task and hands the bytes here. The walk follows lx-ps: init_task's
 * `tasks` list of thread group leaders, and after each leader the threads
 * of its group on signal->thread_head (present since Linux 3.14; 6.1's
 * lx-ps walks the older thread_group ring instead, which lists the same
 * tasks, and 6.7 removed it). The walk is a series of "read this, feed it"
 * steps so that tests drive it over bytes made without a guest. Nothing in
 * guest memory is trusted: every pointer is checked to be a kernel address
 * before it is followed, a task met twice ends the walk with an error
 * instead of a loop, and the walk stops at the kernel's own PID limit.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kwb-task-list-private.h"

G_DEFINE_QUARK (kwb-task-list-error-quark, kwb_task_list_error)

/* ---- the layout, from the kernel's debug information ---- */

typedef struct {
  const char *expression;  /* for GDB's printf */
  gsize       offset;      /* in KwbTaskLayout */
  gboolean    wide;        /* a guint64 member, else a guint */
} LayoutField;

typedef enum {
  GROUP_MAIN,
  GROUP_STATE,
  GROUP_CPU,
  GROUP_ON_CPU,
  GROUP_CURRENT,
  GROUP_SMP,
  GROUP_ONLINE,
  GROUP_IDLE,
  GROUP_THREAD_SIZE,
  N_GROUPS
} LayoutGroup;

/* Types are reached from init_task (typeof): GDB looks a struct up by its
 * tag by searching the whole vmlinux, a hundred times slower. */
#define TASK "((typeof (&init_task)) 0)"
#define OFF(member) "(unsigned long) &" TASK "->" member
#define SIZE(member) "sizeof (" TASK "->" member ")"
#define FIELD(name, expression) { expression, G_STRUCT_OFFSET (KwbTaskLayout, name), FALSE }
#define WIDE(name, expression) { expression, G_STRUCT_OFFSET (KwbTaskLayout, name), TRUE }

static const LayoutField main_fields[] = {
  FIELD (task_size, "sizeof (init_task)"),
  FIELD (tasks, OFF ("tasks")),
  FIELD (pid, OFF ("pid")),
  FIELD (tgid, OFF ("tgid")),
  FIELD (comm, OFF ("comm")),
  FIELD (comm_size, SIZE ("comm")),
  FIELD (thread_node, OFF ("thread_node")),
  FIELD (signal, OFF ("signal")),
  FIELD (signal_thread_head, "(unsigned long) &((typeof (init_task.signal)) 0)->thread_head"),
  FIELD (flags, OFF ("flags")),
  FIELD (exit_state, OFF ("exit_state")),
  FIELD (stack, OFF ("stack")),
  FIELD (thread_sp, OFF ("thread.sp")),
  WIDE (init_task, "(unsigned long) &init_task"),
};
static const LayoutField state_fields[] = { FIELD (state, OFF ("__state")), FIELD (state_size, SIZE ("__state")) };
static const LayoutField old_state_fields[] = { FIELD (state, OFF ("state")), FIELD (state_size, SIZE ("state")) };
/* Linux 5.16+ keeps the CPU in thread_info where it lives in the task. */
static const LayoutField cpu_fields[] = { FIELD (cpu, OFF ("thread_info.cpu")), FIELD (cpu_size, SIZE ("thread_info.cpu")) };
static const LayoutField old_cpu_fields[] = { FIELD (cpu, OFF ("cpu")), FIELD (cpu_size, SIZE ("cpu")) };
static const LayoutField on_cpu_fields[] = { FIELD (on_cpu, OFF ("on_cpu")), FIELD (on_cpu_size, SIZE ("on_cpu")) };
/* x86-64 moved current_task into pcpu_hot for Linux 6.2 … 6.14. */
static const LayoutField current_fields[] = { WIDE (current_task, "(unsigned long) &current_task") };
static const LayoutField hot_current_fields[] = { WIDE (current_task, "(unsigned long) &pcpu_hot.current_task") };
static const LayoutField smp_fields[] = {
  WIDE (per_cpu_offset, "(unsigned long) &__per_cpu_offset"),
  FIELD (nr_cpus, "sizeof (__per_cpu_offset) / sizeof (__per_cpu_offset[0])"),
};
static const LayoutField online_fields[] = {
  WIDE (online_mask, "(unsigned long) &__cpu_online_mask"),
  FIELD (online_mask_size, "sizeof (__cpu_online_mask)"),
};
static const LayoutField idle_fields[] = {
  WIDE (runqueues, "(unsigned long) &runqueues"),
  FIELD (rq_idle, "(unsigned long) &((typeof (&runqueues)) 0)->idle"),
};
static const LayoutField thread_size_fields[] = { FIELD (thread_size, "sizeof (init_stack)") };

typedef struct {
  LayoutGroup        group;
  const LayoutField *fields;
  guint              n_fields;
} LayoutCommand;

#define COMMAND(group, fields) { group, fields, G_N_ELEMENTS (fields) }

/* A group's alternatives in the order tried; the first one GDB answers wins. */
static const LayoutCommand layout_commands[] = {
  COMMAND (GROUP_MAIN, main_fields),
  COMMAND (GROUP_STATE, state_fields),
  COMMAND (GROUP_STATE, old_state_fields),
  COMMAND (GROUP_CPU, cpu_fields),
  COMMAND (GROUP_CPU, old_cpu_fields),
  COMMAND (GROUP_ON_CPU, on_cpu_fields),
  COMMAND (GROUP_CURRENT, current_fields),
  COMMAND (GROUP_CURRENT, hot_current_fields),
  COMMAND (GROUP_SMP, smp_fields),
  COMMAND (GROUP_ONLINE, online_fields),
  COMMAND (GROUP_IDLE, idle_fields),
  COMMAND (GROUP_THREAD_SIZE, thread_size_fields),
};

static const gboolean group_required[N_GROUPS] = {
  [GROUP_MAIN] = TRUE,
  [GROUP_STATE] = TRUE,
  [GROUP_CURRENT] = TRUE,
};

/* x86-64's THREAD_SIZE without KASAN, for a kernel whose init_stack has no type. */
#define DEFAULT_THREAD_SIZE (16u * 1024)

guint
kwb_task_layout_n_commands (void)
{
  return G_N_ELEMENTS (layout_commands);
}

const char *
kwb_task_layout_command (guint i)
{
  static char *commands[G_N_ELEMENTS (layout_commands)];

  g_return_val_if_fail (i < G_N_ELEMENTS (layout_commands), NULL);

  if (g_once_init_enter (&commands[i]))
    {
      const LayoutCommand *command = &layout_commands[i];
      GString *text = g_string_new ("printf \"");

      for (guint j = 0; j < command->n_fields; j++)
        g_string_append (text, j + 1 < command->n_fields ? "%lu " : "%lu\\n\"");
      for (guint j = 0; j < command->n_fields; j++)
        g_string_append_printf (text, ", %s", command->fields[j].expression);
      g_once_init_leave (&commands[i], g_string_free (text, FALSE));
    }
  return commands[i];
}

/* Fills COMMAND's fields from ANSWER; FALSE (and nothing filled) unless it
 * is exactly one number per field. */
static gboolean
parse_answer (KwbTaskLayout       *layout,
              const LayoutCommand *command,
              const char          *answer)
{
  g_autofree char *copy = g_strstrip (g_strdup (answer));
  g_auto(GStrv) words = g_strsplit_set (copy, " \n", -1);
  guint64 values[G_N_ELEMENTS (main_fields)];

  g_assert (command->n_fields <= G_N_ELEMENTS (values));
  if (g_strv_length (words) != command->n_fields)
    return FALSE;
  for (guint j = 0; j < command->n_fields; j++)
    {
      guint64 max = command->fields[j].wide ? G_MAXUINT64 : G_MAXUINT;

      if (!g_ascii_string_to_unsigned (words[j], 10, 0, max, &values[j], NULL))
        return FALSE;
    }
  for (guint j = 0; j < command->n_fields; j++)
    {
      if (command->fields[j].wide)
        G_STRUCT_MEMBER (guint64, layout, command->fields[j].offset) = values[j];
      else
        G_STRUCT_MEMBER (guint, layout, command->fields[j].offset) = (guint) values[j];
    }
  return TRUE;
}

static gboolean
member_fits (const KwbTaskLayout *l,
             guint                offset,
             guint                size)
{
  return size > 0 && offset <= l->task_size && size <= l->task_size - offset;
}

static gboolean
layout_check (KwbTaskLayout *l)
{
  guint end = 0;
  const guint members[][2] = {
    { l->tasks, 16 }, { l->pid, 4 }, { l->tgid, 4 }, { l->comm, l->comm_size },
    { l->thread_node, 16 }, { l->signal, 8 }, { l->flags, 4 }, { l->exit_state, 4 },
    { l->stack, 8 }, { l->state, l->state_size },
    { l->cpu, l->cpu_size ? l->cpu_size : 1 }, { l->on_cpu, l->on_cpu_size ? l->on_cpu_size : 1 },
  };

  if (l->task_size == 0 || l->task_size > 64 * 1024 ||
      l->comm_size == 0 || l->comm_size > 64 ||
      (l->state_size != 4 && l->state_size != 8) ||
      (l->cpu_size != 0 && l->cpu_size != 2 && l->cpu_size != 4) ||
      (l->on_cpu_size != 0 && l->on_cpu_size != 4) ||
      l->signal_thread_head > 64 * 1024 ||
      l->init_task == 0 || !kwb_task_is_kernel_address (l->init_task) ||
      l->nr_cpus == 0 || l->nr_cpus > KWB_TASK_LIST_MAX_CPUS ||
      l->online_mask_size > KWB_TASK_LIST_MAX_CPUS / 8 ||
      l->rq_idle > 64 * 1024 ||
      l->thread_size < 4096 || l->thread_size > 1024 * 1024 || (l->thread_size & (l->thread_size - 1)) != 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      if (!member_fits (l, members[i][0], members[i][1]))
        return FALSE;
      end = MAX (end, members[i][0] + members[i][1]);
    }
  /* thread.sp is far down the struct (thread_struct comes last): read
   * only for a stack, which keeps each task's read short. */
  if (!member_fits (l, l->thread_sp, 8))
    return FALSE;
  l->read_size = end;
  return TRUE;
}

gboolean
kwb_task_layout_parse (KwbTaskLayout       *layout,
                       const char * const  *answers,
                       GError             **error)
{
  gboolean found[N_GROUPS] = { FALSE, };

  memset (layout, 0, sizeof *layout);
  layout->nr_cpus = 1;
  layout->thread_size = DEFAULT_THREAD_SIZE;
  for (guint i = 0; i < G_N_ELEMENTS (layout_commands); i++)
    {
      const LayoutCommand *command = &layout_commands[i];

      if (found[command->group] || answers[i] == NULL)
        continue;
      found[command->group] = parse_answer (layout, command, answers[i]);
    }
  for (guint g = 0; g < N_GROUPS; g++)
    if (group_required[g] && !found[g])
      {
        g_set_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_LAYOUT,
                     _("Could not read the layout of the kernel's task structures from its debug "
                       "information (is this a Linux 3.14 or newer x86-64 kernel with debug information?)"));
        return FALSE;
      }
  if (!found[GROUP_SMP])
    layout->per_cpu_offset = 0;
  if (!layout_check (layout))
    {
      g_set_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_LAYOUT,
                   _("The kernel's task structures are not laid out as expected "
                     "(is this a Linux 3.14 or newer x86-64 kernel?)"));
      return FALSE;
    }
  return TRUE;
}

const char *
kwb_task_frame_layout_command (void)
{
  /* No variable has this type: the one lookup by tag, made only when a
   * stack is first asked for. */
  return "printf \"%lu %lu %lu\\n\", sizeof (struct inactive_task_frame), "
         "(unsigned long) &((struct inactive_task_frame *) 0)->bp, "
         "(unsigned long) &((struct inactive_task_frame *) 0)->ret_addr";
}

gboolean
kwb_task_frame_layout_parse (KwbTaskFrameLayout  *frame,
                             const char          *answer,
                             GError             **error)
{
  guint size, bp, ret_addr;

  if (answer == NULL || sscanf (answer, "%u %u %u", &size, &bp, &ret_addr) != 3 ||
      size == 0 || size > 256 || bp % 8 != 0 || ret_addr % 8 != 0 ||
      bp + 8 > size || ret_addr + 8 > size)
    {
      g_set_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_LAYOUT,
                   _("The kernel has no saved-context frame for its sleeping tasks as on x86-64 "
                     "(struct inactive_task_frame): their stacks cannot be unwound"));
      return FALSE;
    }
  frame->size = size;
  frame->bp = bp;
  frame->ret_addr = ret_addr;
  return TRUE;
}

/* ---- one task_struct ---- */

/* The kernel's TASK_REPORT bits (stable: they are what ps reads) and
 * __task_state_index(): the lowest bits win, idle and RT-lock waits are
 * told apart from a plain uninterruptible sleep. */
#define TASK_UNINTERRUPTIBLE 0x0002
#define TASK_REPORT          0x007f
#define TASK_NOLOAD          0x0400
#define TASK_RTLOCK_WAIT     0x1000
#define TASK_IDLE            (TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_REPORT_IDLE     (TASK_REPORT + 1)
#define PF_KTHREAD           0x00200000

char
kwb_task_state_letter (guint64 state,
                       guint32 exit_state)
{
  static const char letters[] = "RSDTtXZPI";
  guint64 report = (state | exit_state) & TASK_REPORT;

  if ((state & TASK_IDLE) == TASK_IDLE)
    report = TASK_REPORT_IDLE;
  if (state == TASK_RTLOCK_WAIT)
    report = TASK_UNINTERRUPTIBLE;
  /* fls(): the highest bit set, 1-based. */
  return letters[report == 0 ? 0 : g_bit_nth_msf (report, -1) + 1];
}

guint64
kwb_task_read_uint (const guint8 *data,
                    gsize         offset,
                    gsize         size)
{
  guint64 value = 0;

  for (gsize i = size; i > 0; i--)
    value = value << 8 | data[offset + i - 1];
  return value;
}

static guint64
read_word (const guint8 *data,
           gsize         offset)
{
  return kwb_task_read_uint (data, offset, 8);
}

gboolean
kwb_task_is_kernel_address (guint64 address)
{
  return address >= G_GUINT64_CONSTANT (0x8000000000000000);
}

/* A list_head pointer worth following: a kernel address, aligned. */
static gboolean
is_kernel_pointer (guint64 value)
{
  return kwb_task_is_kernel_address (value) && value % 8 == 0;
}

static char *
comm_from_bytes (const guint8 *data,
                 gsize         size)
{
  gsize len = 0;

  while (len < size && data[len] != '\0')
    len++;
  return g_utf8_make_valid ((const char *) data, len);
}

gboolean
kwb_task_record_parse (const KwbTaskLayout  *layout,
                       guint64               address,
                       GBytes               *bytes,
                       KwbTaskRecord        *record,
                       GError              **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const KwbTaskLayout *l = layout;

  memset (record, 0, sizeof *record);
  if (len < l->read_size)
    {
      g_set_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_CORRUPT,
                   _("Only %zu bytes of the task at 0x%llx could be read"),
                   len, (unsigned long long) address);
      return FALSE;
    }
  record->address = address;
  record->pid = (gint32) kwb_task_read_uint (data, l->pid, 4);
  record->tgid = (gint32) kwb_task_read_uint (data, l->tgid, 4);
  if (record->pid < 0 || (guint) record->pid > KWB_TASK_LIST_MAX_TASKS ||
      record->tgid < 0 || (guint) record->tgid > KWB_TASK_LIST_MAX_TASKS)
    {
      g_set_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_CORRUPT,
                   _("The task at 0x%llx has no valid process id: "
                     "its list leads outside the task structures"), (unsigned long long) address);
      return FALSE;
    }
  record->comm = comm_from_bytes (data + l->comm, l->comm_size);
  record->state = kwb_task_state_letter (kwb_task_read_uint (data, l->state, l->state_size),
                                         (guint32) kwb_task_read_uint (data, l->exit_state, 4));
  record->flags = (guint32) kwb_task_read_uint (data, l->flags, 4);
  record->has_cpu = l->cpu_size > 0;
  if (record->has_cpu)
    record->cpu = (guint32) kwb_task_read_uint (data, l->cpu, l->cpu_size);
  record->has_on_cpu = l->on_cpu_size > 0;
  if (record->has_on_cpu)
    record->on_cpu = kwb_task_read_uint (data, l->on_cpu, l->on_cpu_size) != 0;
  record->stack = read_word (data, l->stack);
  record->signal = read_word (data, l->signal);
  record->tasks_next = read_word (data, l->tasks);
  record->thread_next = read_word (data, l->thread_node);
  record->thread_prev = read_word (data, l->thread_node + 8);
  return TRUE;
}

void
kwb_task_record_clear (KwbTaskRecord *record)
{
  g_clear_pointer (&record->comm, g_free);
}

/* ---- the walk ---- */

typedef enum {
  STEP_LEADER,   /* read the next thread group leader */
  STEP_HEAD,     /* read its signal->thread_head, the leader not being first on it */
  STEP_THREAD,   /* read the thread at `cursor` on the thread list */
  STEP_DONE,
} Step;

struct _KwbTaskWalker
{
  KwbTaskLayout  layout;
  Step           step;
  GArray        *records;     /* KwbTaskRecord */
  GHashTable    *seen;        /* task addresses read: a second meeting is a loop */
  guint64        leader;      /* the group being walked */
  KwbTaskRecord  leader_record;
  gboolean       leader_pending; /* read but not yet added (it is not first on its list) */
  guint64        head;        /* &leader->signal->thread_head, or 0 */
  guint64        cursor;      /* the thread list pointer to follow next */
};

static void
record_array_clear (gpointer data)
{
  kwb_task_record_clear (data);
}

KwbTaskWalker *
kwb_task_walker_new (const KwbTaskLayout *layout)
{
  KwbTaskWalker *walker = g_new0 (KwbTaskWalker, 1);

  walker->layout = *layout;
  walker->records = g_array_new (FALSE, TRUE, sizeof (KwbTaskRecord));
  g_array_set_clear_func (walker->records, record_array_clear);
  walker->seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  walker->step = STEP_LEADER;
  walker->leader = layout->init_task;
  return walker;
}

void
kwb_task_walker_free (KwbTaskWalker *walker)
{
  if (walker == NULL)
    return;
  g_array_unref (walker->records);
  g_hash_table_unref (walker->seen);
  kwb_task_record_clear (&walker->leader_record);
  g_free (walker);
}

GArray *
kwb_task_walker_get_records (KwbTaskWalker *walker)
{
  return walker->records;
}

gboolean
kwb_task_walker_contains (KwbTaskWalker *walker,
                          guint64        address)
{
  return g_hash_table_contains (walker->seen, &address);
}

static guint64
thread_at (KwbTaskWalker *walker)
{
  return walker->cursor - walker->layout.thread_node;
}

gboolean
kwb_task_walker_next_read (KwbTaskWalker *walker,
                           guint64       *address,
                           gsize         *length)
{
  switch (walker->step)
    {
    case STEP_LEADER:
      *address = walker->leader;
      *length = walker->layout.read_size;
      return TRUE;
    case STEP_HEAD:
      *address = walker->head;
      *length = 16;
      return TRUE;
    case STEP_THREAD:
      *address = thread_at (walker);
      *length = walker->layout.read_size;
      return TRUE;
    case STEP_DONE:
    default:
      return FALSE;
    }
}

static gboolean
corrupt (GError     **error,
         const char  *what,
         guint64      address)
{
  g_set_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_CORRUPT,
               /* Translators: the first %s says what is wrong, e.g. "a task list pointer is not a kernel address". */
               _("The kernel's task lists make no sense at 0x%llx (%s); "
                 "the kernel may have stopped in the middle of changing them: try at another stop"),
               (unsigned long long) address, what);
  return FALSE;
}

/* Takes RECORD's address as read; FALSE on the second meeting of a task. */
static gboolean
mark_seen (KwbTaskWalker  *walker,
           guint64         address,
           GError        **error)
{
  guint64 *key;

  if (g_hash_table_contains (walker->seen, &address))
    return corrupt (error, _("a task is reached twice"), address);
  if (g_hash_table_size (walker->seen) >= KWB_TASK_LIST_MAX_TASKS)
    return corrupt (error, _("more tasks than the kernel allows"), address);
  key = g_memdup2 (&address, sizeof address);
  g_hash_table_add (walker->seen, key);
  return TRUE;
}

/* The next leader on init_task's `tasks` list, or the end of the walk. */
static gboolean
next_leader (KwbTaskWalker  *walker,
             guint64         tasks_next,
             GError        **error)
{
  guint64 next;

  if (!is_kernel_pointer (tasks_next))
    return corrupt (error, _("a task list pointer is not a kernel address"), tasks_next);
  next = tasks_next - walker->layout.tasks;
  if (next == walker->layout.init_task)
    {
      walker->step = STEP_DONE;
      return TRUE;
    }
  walker->leader = next;
  walker->step = STEP_LEADER;
  return TRUE;
}

static void
add_record (KwbTaskWalker *walker,
            KwbTaskRecord *record)
{
  g_array_append_vals (walker->records, record, 1);
  memset (record, 0, sizeof *record);
}

/* The thread list pointer CURSOR was just taken from a task: follow it,
 * or end the group where it comes back to the head. */
static gboolean
follow_thread (KwbTaskWalker  *walker,
               guint64         cursor,
               GError        **error)
{
  if (cursor == walker->head)
    {
      guint64 tasks_next = walker->leader_record.tasks_next;

      if (walker->leader_pending)
        return corrupt (error, _("a process is missing from its own thread list"), walker->leader);
      kwb_task_record_clear (&walker->leader_record);
      return next_leader (walker, tasks_next, error);
    }
  if (!is_kernel_pointer (cursor))
    return corrupt (error, _("a thread list pointer is not a kernel address"), cursor);
  walker->cursor = cursor;
  if (thread_at (walker) == walker->leader && walker->leader_pending)
    {
      /* Read already, as the group's leader: add it at its place. */
      KwbTaskRecord copy = walker->leader_record;

      copy.comm = g_strdup (copy.comm);
      walker->leader_pending = FALSE;
      add_record (walker, &copy);
      return follow_thread (walker, walker->leader_record.thread_next, error);
    }
  walker->step = STEP_THREAD;
  return TRUE;
}

static gboolean
feed_leader (KwbTaskWalker  *walker,
             GBytes         *bytes,
             GError        **error)
{
  KwbTaskRecord *leader = &walker->leader_record;
  KwbTaskRecord copy;

  kwb_task_record_clear (leader);
  if (!kwb_task_record_parse (&walker->layout, walker->leader, bytes, leader, error) ||
      !mark_seen (walker, walker->leader, error))
    return FALSE;

  if (leader->signal == 0)
    {
      /* No thread list (a task being released): the leader alone. */
      guint64 tasks_next = leader->tasks_next;

      copy = *leader;
      copy.comm = g_strdup (copy.comm);
      add_record (walker, &copy);
      return next_leader (walker, tasks_next, error);
    }
  if (!is_kernel_pointer (leader->signal))
    return corrupt (error, _("a task's signal pointer is not a kernel address"), leader->signal);
  walker->head = leader->signal + walker->layout.signal_thread_head;
  if (leader->thread_prev == walker->head)
    {
      /* The usual case: the leader comes first on its thread list. */
      copy = *leader;
      copy.comm = g_strdup (copy.comm);
      add_record (walker, &copy);
      walker->leader_pending = FALSE;
      return follow_thread (walker, leader->thread_next, error);
    }
  walker->leader_pending = TRUE;
  walker->step = STEP_HEAD;
  return TRUE;
}

gboolean
kwb_task_walker_feed (KwbTaskWalker  *walker,
                      GBytes         *bytes,
                      GError        **error)
{
  gsize len;
  const guint8 *data;
  KwbTaskRecord record;

  g_return_val_if_fail (walker->step != STEP_DONE, FALSE);

  switch (walker->step)
    {
    case STEP_LEADER:
      return feed_leader (walker, bytes, error);

    case STEP_HEAD:
      data = g_bytes_get_data (bytes, &len);
      if (len < 16)
        return corrupt (error, _("a thread list head could not be read"), walker->head);
      return follow_thread (walker, read_word (data, 0), error);

    case STEP_THREAD:
      if (!kwb_task_record_parse (&walker->layout, thread_at (walker), bytes, &record, error))
        return FALSE;
      if (!mark_seen (walker, record.address, error))
        {
          kwb_task_record_clear (&record);
          return FALSE;
        }
      {
        guint64 next = record.thread_next;

        add_record (walker, &record);
        return follow_thread (walker, next, error);
      }

    case STEP_DONE:
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* ---- CPUs ---- */

GArray *
kwb_task_parse_cpu_mask (GBytes *mask,
                         guint   nr_cpus)
{
  GArray *cpus = g_array_new (FALSE, FALSE, sizeof (guint));
  gsize len;
  const guint8 *data = g_bytes_get_data (mask, &len);

  for (guint cpu = 0; cpu < nr_cpus && cpu / 8 < len; cpu++)
    if (data[cpu / 8] & (1u << (cpu % 8)))
      g_array_append_val (cpus, cpu);
  return cpus;
}

/* ---- a sleeping task's stack ---- */

GArray *
kwb_task_unwind (const KwbTaskFrameLayout  *frame,
                 guint64                    base,
                 GBytes                    *stack,
                 guint64                    sp,
                 GError                   **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (stack, &len);
  g_autoptr(GArray) addresses = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint64 top = base + len;
  guint64 ret, bp, low;

  if (sp < base || sp % 8 != 0 || sp > top || top - sp < frame->size)
    {
      g_set_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_STACK,
                   _("The task's saved stack pointer 0x%llx is not inside its kernel stack"),
                   (unsigned long long) sp);
      return NULL;
    }
  ret = read_word (data, sp - base + frame->ret_addr);
  bp = read_word (data, sp - base + frame->bp);
  if (!kwb_task_is_kernel_address (ret))
    {
      g_set_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_STACK,
                   _("The task's saved context holds no kernel return address"));
      return NULL;
    }
  g_array_append_val (addresses, ret);

  /* Each frame: [bp] the caller's bp, [bp + 8] the return address. The
   * chain climbs the stack; it ends at a zero bp (the entry code clears
   * it), at an odd one (the entry code's pointer to its saved registers)
   * or anywhere it would leave the stack or not climb. */
  low = sp + frame->size;
  while (addresses->len < KWB_TASK_LIST_MAX_FRAMES &&
         bp % 8 == 0 && bp >= low && bp < top && top - bp >= 16)
    {
      ret = read_word (data, bp - base + 8);
      if (!kwb_task_is_kernel_address (ret))
        break;
      g_array_append_val (addresses, ret);
      low = bp + 16;
      bp = read_word (data, bp - base);
    }
  return g_steal_pointer (&addresses);
}

/* ---- GDB's answers about code addresses ---- */

/* "… <func+12> …": func, or NULL. */
static char *
symbol_in (const char *text)
{
  const char *open = strchr (text, '<');
  const char *end;

  if (open == NULL)
    return NULL;
  open++;
  end = open + strcspn (open, "+>");
  if (*end == '\0' || end == open)
    return NULL;
  return g_strndup (open, end - open);
}

void
kwb_task_parse_info_line (const char  *answer,
                          char       **function,
                          char       **file,
                          guint       *line)
{
  guint number;

  *function = NULL;
  *file = NULL;
  *line = 0;
  if (answer == NULL)
    return;

  /* Line 6554 of "kernel/sched/core.c" starts at address 0x… <__schedule+496> and ends at 0x… <…>.
   * Line 109 of "arch/x86/entry/entry_64.S" is at address 0x… <entry_SYSCALL_64+34> but contains no code.
   * No line number information available for address 0x… <entry_SYSCALL_64+34> */
  if (sscanf (answer, "Line %u of \"", &number) == 1)
    {
      const char *start = strchr (answer, '"') + 1;
      const char *end = strstr (start, "\" starts at address");

      if (end == NULL)
        end = strstr (start, "\" is at address");
      if (end != NULL && end > start)
        {
          *file = g_strndup (start, end - start);
          *line = number;
          *function = symbol_in (end);
          return;
        }
    }
  *function = symbol_in (answer);
}
