/* kwb-task-list-private.h — the task_struct walker behind KwbTaskList (kwb-task-walker.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Split out so that unit tests run the walker, the stack unwinder and the
 * parsers of GDB's answers on bytes made or recorded without a guest.
 * Every offset comes from the kernel's debug information (sizeof/offsetof
 * through GDB), never from a copy of its headers.
 */
#pragma once

#include "kwb-task-list.h"

G_BEGIN_DECLS

/* The walk gives up past this many tasks: the kernel's PID_MAX_LIMIT. */
#define KWB_TASK_LIST_MAX_TASKS  (4u * 1024 * 1024)
#define KWB_TASK_LIST_MAX_CPUS   8192u
#define KWB_TASK_LIST_MAX_FRAMES 64u

/* Offsets and sizes in bytes, of the kernel's structures and variables. */
typedef struct {
  guint   task_size;          /* struct task_struct */
  guint   tasks;              /* the list of thread group leaders */
  guint   pid;
  guint   tgid;
  guint   comm;
  guint   comm_size;
  guint   thread_node;        /* on signal->thread_head (Linux 3.14+) */
  guint   signal;
  guint   signal_thread_head; /* in struct signal_struct */
  guint   flags;
  guint   exit_state;
  guint   stack;
  guint   thread_sp;          /* thread.sp: the saved inactive_task_frame */
  guint   state;              /* __state (5.14+) or state */
  guint   state_size;
  guint   cpu;                /* thread_info.cpu or cpu */
  guint   cpu_size;           /* 0: no such member (a uniprocessor kernel) */
  guint   on_cpu;
  guint   on_cpu_size;        /* 0: no such member (a uniprocessor kernel) */
  guint   thread_size;        /* THREAD_SIZE, from sizeof (init_stack) */
  guint64 init_task;
  guint64 current_task;       /* per-CPU: an offset on SMP, the address on UP */
  guint64 per_cpu_offset;     /* &__per_cpu_offset, 0 on a uniprocessor kernel */
  guint   nr_cpus;            /* its length (NR_CPUS), 1 on a uniprocessor kernel */
  guint64 online_mask;        /* &__cpu_online_mask, 0 when unknown */
  guint   online_mask_size;
  guint64 runqueues;          /* per-CPU &runqueues, 0 when unknown */
  guint   rq_idle;            /* runqueues.idle */
  guint   read_size;          /* bytes read of each task_struct: up to its last member used */
} KwbTaskLayout;

/* The saved context at thread.sp (x86-64's struct inactive_task_frame). */
typedef struct {
  guint size;
  guint bp;
  guint ret_addr;
} KwbTaskFrameLayout;

/* What one task_struct says, as read. */
typedef struct {
  guint64 address;
  gint32  pid;
  gint32  tgid;
  char   *comm;               /* valid UTF-8 */
  char    state;              /* a KWB_TASK_STATE_ letter */
  guint32 flags;
  gboolean has_cpu;
  guint32 cpu;
  gboolean has_on_cpu;
  gboolean on_cpu;
  guint64 stack;
  guint64 signal;
  guint64 tasks_next;
  guint64 thread_next;
  guint64 thread_prev;
} KwbTaskRecord;

/* The GDB commands whose answers kwb_task_layout_parse() reads: printf
 * lines, one per alternative of what differs between kernel versions and
 * configurations, so that several fail on any one kernel. */
guint        kwb_task_layout_n_commands (void);
const char  *kwb_task_layout_command    (guint                 i);
/* ANSWERS[i]: what command i printed, or NULL where GDB refused it. */
gboolean     kwb_task_layout_parse      (KwbTaskLayout        *layout,
                                         const char * const   *answers,
                                         GError              **error);
const char  *kwb_task_frame_layout_command (void);
gboolean     kwb_task_frame_layout_parse   (KwbTaskFrameLayout  *frame,
                                            const char          *answer,
                                            GError             **error);

/* In the kernel's half of the address space: the top bit set, whether
 * the kernel runs with 4-level paging (from 0xffff800000000000) or with
 * 5-level paging (from 0xff00000000000000, QEMU's `-cpu max` has LA57). */
gboolean     kwb_task_is_kernel_address (guint64               address);

/* The letter ps prints for __state and exit_state. */
char         kwb_task_state_letter      (guint64               state,
                                         guint32               exit_state);
/* A little-endian unsigned of SIZE (1, 2, 4, 8) bytes at OFFSET of DATA. */
guint64      kwb_task_read_uint         (const guint8         *data,
                                         gsize                 offset,
                                         gsize                 size);
/* BYTES: layout->read_size bytes of the task_struct at ADDRESS. */
gboolean     kwb_task_record_parse      (const KwbTaskLayout  *layout,
                                         guint64               address,
                                         GBytes               *bytes,
                                         KwbTaskRecord        *record,
                                         GError              **error);
void         kwb_task_record_clear      (KwbTaskRecord        *record);

/* The walk as a series of reads: ask what to read, read it, feed it. */
typedef struct _KwbTaskWalker KwbTaskWalker;
KwbTaskWalker *kwb_task_walker_new      (const KwbTaskLayout  *layout);
void         kwb_task_walker_free       (KwbTaskWalker        *walker);
/* FALSE once the walk is over. */
gboolean     kwb_task_walker_next_read  (KwbTaskWalker        *walker,
                                         guint64              *address,
                                         gsize                *length);
gboolean     kwb_task_walker_feed       (KwbTaskWalker        *walker,
                                         GBytes               *bytes,
                                         GError              **error);
/* KwbTaskRecord items, in lx-ps's order. */
GArray      *kwb_task_walker_get_records (KwbTaskWalker       *walker);
gboolean     kwb_task_walker_contains   (KwbTaskWalker        *walker,
                                         guint64               address);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbTaskWalker, kwb_task_walker_free)

/* The online CPUs (ascending, at most NR_CPUS) in the bytes of a cpumask. */
GArray      *kwb_task_parse_cpu_mask    (GBytes               *mask,
                                         guint                 nr_cpus);

/* Return addresses, innermost first, from the saved context at SP of a
 * kernel stack whose bytes STACK were read at BASE: the frame-pointer
 * chain, checked to climb inside the stack. */
GArray      *kwb_task_unwind            (const KwbTaskFrameLayout *frame,
                                         guint64               base,
                                         GBytes               *stack,
                                         guint64               sp,
                                         GError              **error);

/* From GDB's `info line *ADDR` answer: the function (NULL when none), the
 * file (NULL when no line is known) and its line (0 then). */
void         kwb_task_parse_info_line   (const char           *answer,
                                         char                **function,
                                         char                **file,
                                         guint                *line);

G_END_DECLS
