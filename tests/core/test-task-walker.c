/* test-task-walker.c — the task list walker, stack unwinder and GDB answer parsers, without a guest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Task structs are laid out by the test in a fake guest memory (a layout
 * of its own, as GDB would report it), and the walker is driven over it as
 * KwbTaskList drives it over the session's reads: lx-ps's order, thread
 * groups whose leader is or is not first on its list, and corrupt lists
 * (a loop, a user-space pointer, a short read) that must end in an error,
 * never a hang. The layout parser gets GDB's answers as a 6.1 uniprocessor
 * and a 6.12 SMP kernel give them.
 */
#include "config.h"

#include <string.h>

#include "kwb-task-list-private.h"

/* ---- a fake guest memory ---- */

#define BASE     G_GUINT64_CONSTANT (0xffff888000100000)
#define MEM_SIZE (64 * 1024)
#define TASK_AT(i) (BASE + 0x400 * (guint64) (i))        /* task i's struct */
#define SIGNAL_AT(i) (BASE + 0x8000 + 0x40 * (guint64) (i)) /* signal_struct i */

/* Small offsets of our own: the walker must take them from the layout. */
static KwbTaskLayout
test_layout (void)
{
  KwbTaskLayout l = { 0, };

  l.task_size = 0x200;
  l.state = 0x00;
  l.state_size = 4;
  l.flags = 0x04;
  l.cpu = 0x08;
  l.cpu_size = 4;
  l.on_cpu = 0x0c;
  l.on_cpu_size = 4;
  l.tasks = 0x10;
  l.pid = 0x20;
  l.tgid = 0x24;
  l.comm = 0x28;
  l.comm_size = 16;
  l.thread_node = 0x40;
  l.signal = 0x50;
  l.exit_state = 0x58;
  l.stack = 0x60;
  l.thread_sp = 0x1f8;
  l.signal_thread_head = 0x08;
  l.thread_size = 16384;
  l.nr_cpus = 1;
  l.init_task = TASK_AT (0);
  l.read_size = 0x68;
  return l;
}

typedef struct {
  guint8        mem[MEM_SIZE];
  KwbTaskLayout layout;
} Guest;

static void
put_word (Guest   *g,
          guint64  address,
          guint64  value)
{
  g_assert_cmpuint (address - BASE + 8, <=, MEM_SIZE);
  for (guint i = 0; i < 8; i++)
    g->mem[address - BASE + i] = (guint8) (value >> (8 * i));
}

static void
put_u32 (Guest   *g,
         guint64  address,
         guint32  value)
{
  for (guint i = 0; i < 4; i++)
    g->mem[address - BASE + i] = (guint8) (value >> (8 * i));
}

static void
make_task (Guest      *g,
           guint       i,
           gint        pid,
           gint        tgid,
           const char *comm,
           guint       signal,
           guint32     state)
{
  guint64 t = TASK_AT (i);

  put_u32 (g, t + g->layout.pid, pid);
  put_u32 (g, t + g->layout.tgid, tgid);
  put_u32 (g, t + g->layout.state, state);
  memcpy (g->mem + (t - BASE) + g->layout.comm, comm, strlen (comm));
  put_word (g, t + g->layout.signal, SIGNAL_AT (signal));
  put_word (g, t + g->layout.stack, BASE + 0x10000 * (guint64) (i + 1));
}

/* Circular lists through the `tasks` member (leaders) or a thread list
 * headed in signal_struct SIGNAL: ITEMS are task indexes, -1 the head. */
static void
link_list (Guest     *g,
           guint64    head,
           guint      member,
           const int *items,
           guint      n)
{
  for (guint k = 0; k < n; k++)
    {
      guint64 here = items[k] < 0 ? head : TASK_AT (items[k]) + member;
      guint64 next = items[(k + 1) % n] < 0 ? head : TASK_AT (items[(k + 1) % n]) + member;

      put_word (g, here, next);
      put_word (g, next + 8, here);
    }
}

static void
link_threads (Guest     *g,
              guint      signal,
              const int *tasks,
              guint      n)
{
  g_autofree int *items = g_new (int, n + 1);

  items[0] = -1;
  memcpy (items + 1, tasks, n * sizeof (int));
  link_list (g, SIGNAL_AT (signal) + g->layout.signal_thread_head, g->layout.thread_node, items, n + 1);
}

/* Drives the walker over G as KwbTaskList does over the session. */
static GArray *
walk (Guest   *g,
      GError **error)
{
  g_autoptr(KwbTaskWalker) walker = kwb_task_walker_new (&g->layout);
  guint64 address;
  gsize length;
  guint reads = 0;

  while (kwb_task_walker_next_read (walker, &address, &length))
    {
      g_autoptr(GBytes) bytes = NULL;

      /* A hang guard for the test itself. */
      g_assert_cmpuint (++reads, <, 1000);
      if (address < BASE || address - BASE + length > MEM_SIZE)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "unmapped");
          return NULL;
        }
      bytes = g_bytes_new (g->mem + (address - BASE), length);
      if (!kwb_task_walker_feed (walker, bytes, error))
        return NULL;
    }
  return g_array_ref (kwb_task_walker_get_records (walker));
}

static char *
pids_of (GArray *records)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < records->len; i++)
    {
      KwbTaskRecord *r = &g_array_index (records, KwbTaskRecord, i);

      g_string_append_printf (s, "%s%d:%s", i ? " " : "", r->pid, r->comm);
    }
  return g_string_free (s, FALSE);
}

/* init_task (0), a single-threaded process (1), a kernel thread (2) and a
 * process of three threads (3 leader, 4, 5). */
static Guest *
typical_guest (void)
{
  Guest *g = g_new0 (Guest, 1);

  g->layout = test_layout ();
  make_task (g, 0, 0, 0, "swapper/0", 0, 0);
  make_task (g, 1, 1, 1, "init", 1, 1);
  make_task (g, 2, 2, 2, "kthreadd", 2, 1);
  put_u32 (g, TASK_AT (2) + g->layout.flags, 0x00200000);
  make_task (g, 3, 40, 40, "daemon", 3, 1);
  make_task (g, 4, 41, 40, "worker-a", 3, 2);
  make_task (g, 5, 42, 40, "worker-b", 3, 0);
  link_list (g, 0, g->layout.tasks, (const int[]) { 0, 1, 2, 3 }, 4);
  for (guint s = 0; s < 3; s++)
    link_threads (g, s, (const int[]) { (int) s }, 1);
  link_threads (g, 3, (const int[]) { 3, 4, 5 }, 3);
  return g;
}

static void
test_walk_order (void)
{
  g_autofree Guest *g = typical_guest ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) records = walk (g, &error);
  g_autofree char *pids = NULL;
  KwbTaskRecord *r;

  g_assert_no_error (error);
  pids = pids_of (records);
  g_assert_cmpstr (pids, ==, "0:swapper/0 1:init 2:kthreadd 40:daemon 41:worker-a 42:worker-b");
  r = &g_array_index (records, KwbTaskRecord, 4);
  g_assert_cmpint (r->tgid, ==, 40);
  g_assert_cmpint (r->state, ==, 'D');
  g_assert_cmpuint (r->address, ==, TASK_AT (4));
  g_assert_true (r->has_cpu && r->has_on_cpu);
  g_assert_cmpuint (g_array_index (records, KwbTaskRecord, 2).flags, ==, 0x00200000);
  g_assert_cmpuint (g_array_index (records, KwbTaskRecord, 2).stack, ==, BASE + 0x30000);
}

/* A thread group whose leader is not first on its list (after an exec by
 * a thread, say): the list's order is kept, the leader read once. */
static void
test_walk_leader_not_first (void)
{
  g_autofree Guest *g = typical_guest ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) records = NULL;
  g_autofree char *pids = NULL;

  link_threads (g, 3, (const int[]) { 4, 3, 5 }, 3);
  records = walk (g, &error);
  g_assert_no_error (error);
  pids = pids_of (records);
  g_assert_cmpstr (pids, ==, "0:swapper/0 1:init 2:kthreadd 41:worker-a 40:daemon 42:worker-b");
}

/* Only init_task, as at start_kernel: its lists point at themselves. */
static void
test_walk_alone (void)
{
  Guest *g = g_new0 (Guest, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) records = NULL;

  g->layout = test_layout ();
  make_task (g, 0, 0, 0, "swapper", 0, 0);
  link_list (g, 0, g->layout.tasks, (const int[]) { 0 }, 1);
  link_threads (g, 0, (const int[]) { 0 }, 1);
  records = walk (g, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  g_free (g);
}

static void
expect_corrupt (Guest *g)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) records = walk (g, &error);

  g_assert_null (records);
  g_assert_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_CORRUPT);
}

static void
test_walk_corrupt (void)
{
  g_autofree Guest *g = typical_guest ();

  /* The leaders' list loops back to kthreadd, never to init_task. */
  put_word (g, TASK_AT (3) + g->layout.tasks, TASK_AT (2) + g->layout.tasks);
  expect_corrupt (g);

  /* A thread list that never comes back to its head. */
  g_free (g);
  g = typical_guest ();
  put_word (g, TASK_AT (5) + g->layout.thread_node, TASK_AT (4) + g->layout.thread_node);
  expect_corrupt (g);

  /* A thread list pointing back at its leader instead of the head. */
  g_free (g);
  g = typical_guest ();
  put_word (g, TASK_AT (5) + g->layout.thread_node, TASK_AT (3) + g->layout.thread_node);
  expect_corrupt (g);

  /* A user-space pointer on the leaders' list. */
  g_free (g);
  g = typical_guest ();
  put_word (g, TASK_AT (1) + g->layout.tasks, 0x00007fff12345678);
  expect_corrupt (g);

  /* A misaligned one. */
  g_free (g);
  g = typical_guest ();
  put_word (g, TASK_AT (1) + g->layout.tasks, TASK_AT (2) + g->layout.tasks + 3);
  expect_corrupt (g);

  /* Not a task: a negative PID. */
  g_free (g);
  g = typical_guest ();
  put_u32 (g, TASK_AT (2) + g->layout.pid, 0xffffffff);
  expect_corrupt (g);
}

static void
test_record_short (void)
{
  KwbTaskLayout layout = test_layout ();
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\0\0\0\0", 4);
  g_autoptr(GError) error = NULL;
  KwbTaskRecord record;

  g_assert_false (kwb_task_record_parse (&layout, TASK_AT (0), bytes, &record, &error));
  g_assert_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_CORRUPT);
}

/* A name that is not UTF-8 and fills comm without a NUL. */
static void
test_record_comm (void)
{
  g_autofree Guest *g = g_new0 (Guest, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  KwbTaskRecord record;

  g->layout = test_layout ();
  make_task (g, 0, 7, 7, "abcdefghijklmno\xff", 0, 0);
  bytes = g_bytes_new (g->mem, g->layout.read_size);
  g_assert_true (kwb_task_record_parse (&g->layout, TASK_AT (0), bytes, &record, &error));
  g_assert_true (g_utf8_validate (record.comm, -1, NULL));
  g_assert_true (g_str_has_prefix (record.comm, "abcdefghijklmno"));
  kwb_task_record_clear (&record);
}

static void
test_state_letters (void)
{
  g_assert_cmpint (kwb_task_state_letter (0x0000, 0), ==, 'R');
  g_assert_cmpint (kwb_task_state_letter (0x0001, 0), ==, 'S');
  g_assert_cmpint (kwb_task_state_letter (0x0002, 0), ==, 'D');
  g_assert_cmpint (kwb_task_state_letter (0x0004, 0), ==, 'T');
  g_assert_cmpint (kwb_task_state_letter (0x0008, 0), ==, 't');
  g_assert_cmpint (kwb_task_state_letter (0x0080, 0x0010), ==, 'X');
  g_assert_cmpint (kwb_task_state_letter (0x0080, 0x0020), ==, 'Z');
  g_assert_cmpint (kwb_task_state_letter (0x0040, 0), ==, 'P');
  /* TASK_IDLE: an uninterruptible sleep that does not count as load. */
  g_assert_cmpint (kwb_task_state_letter (0x0402, 0), ==, 'I');
  /* A killable sleep (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE) is D. */
  g_assert_cmpint (kwb_task_state_letter (0x0102, 0), ==, 'D');
  g_assert_cmpint (kwb_task_state_letter (0x1000, 0), ==, 'D');
  g_assert_cmpint (kwb_task_state_letter (G_GUINT64_CONSTANT (0xffffffffffffffff), 0), ==, 'I');
}

/* ---- GDB's answers ---- */

/* What the layout commands printed, by command, for a kernel of that kind
 * (NULL where GDB refused the alternative). */
static void
parse_layout (const char * const *answers,
              KwbTaskLayout      *layout,
              GError            **error)
{
  guint n = kwb_task_layout_n_commands ();
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (all, (gpointer) answers[i]);
  g_ptr_array_add (all, NULL);
  kwb_task_layout_parse (layout, (const char * const *) all->pdata, error);
}

static void
test_layout_commands (void)
{
  guint n = kwb_task_layout_n_commands ();

  g_assert_cmpuint (n, ==, 12);
  for (guint i = 0; i < n; i++)
    {
      const char *command = kwb_task_layout_command (i);

      g_assert_true (g_str_has_prefix (command, "printf \"%lu"));
      /* The same string each time: built once. */
      g_assert_true (command == kwb_task_layout_command (i));
    }
  g_assert_nonnull (strstr (kwb_task_layout_command (0), "&((typeof (&init_task)) 0)->thread_node"));
}

static void
test_layout_uniprocessor_61 (void)
{
  /* 6.1 without CONFIG_SMP: no CPU in the task, no __per_cpu_offset, the
   * old current_task. As GDB answered on the fixture kernel. */
  const char *answers[] = {
    "6080 560 696 700 1040 16 880 1088 16 44 592 32 1688 18446744071587386880\n",
    "24 4\n", NULL,
    NULL, NULL,
    NULL,
    "18446744071587459136\n", NULL,
    NULL,
    "18446744071588346616 8\n",
    "18446744071588333568 1856\n",
    "16384\n",
  };
  KwbTaskLayout l;
  g_autoptr(GError) error = NULL;

  parse_layout (answers, &l, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (l.task_size, ==, 6080);
  g_assert_cmpuint (l.pid, ==, 696);
  g_assert_cmpuint (l.state, ==, 24);
  g_assert_cmpuint (l.cpu_size, ==, 0);
  g_assert_cmpuint (l.on_cpu_size, ==, 0);
  g_assert_cmpuint (l.per_cpu_offset, ==, 0);
  g_assert_cmpuint (l.nr_cpus, ==, 1);
  g_assert_cmpuint (l.current_task, ==, G_GUINT64_CONSTANT (0xffffffff81837040));
  g_assert_cmpuint (l.init_task, ==, G_GUINT64_CONSTANT (0xffffffff81825600));
  g_assert_cmpuint (l.rq_idle, ==, 1856);
  /* Up to signal (1088 + 8): thread.sp (1688) is read only for a stack. */
  g_assert_cmpuint (l.read_size, ==, 1096);
}

static void
test_layout_smp_612 (void)
{
  /* 6.12 with CONFIG_SMP: thread_info.cpu, on_cpu, pcpu_hot, per-CPU offsets. */
  const char *answers[] = {
    "9408 2240 2448 2452 3080 16 2704 3128 16 44 2416 32 5888 18446744071602316608\n",
    "24 4\n", NULL,
    "20 4\n", NULL,
    "48 4\n",
    NULL, "204320\n",
    "18446744071604068480 64\n",
    "18446744071604339360 8\n",
    "241984 3072\n",
    "16384\n",
  };
  KwbTaskLayout l;
  g_autoptr(GError) error = NULL;

  parse_layout (answers, &l, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (l.cpu, ==, 20);
  g_assert_cmpuint (l.cpu_size, ==, 4);
  g_assert_cmpuint (l.on_cpu, ==, 48);
  g_assert_cmpuint (l.current_task, ==, 204320);
  g_assert_cmpuint (l.nr_cpus, ==, 64);
  g_assert_cmpuint (l.per_cpu_offset, !=, 0);
  g_assert_cmpuint (l.online_mask_size, ==, 8);
}

static void
test_layout_bad (void)
{
  const char *no_state[] = {
    "6080 560 696 700 1040 16 880 1088 16 44 592 32 1688 18446744071587386880\n",
    NULL, NULL, NULL, NULL, NULL, "18446744071587459136\n", NULL, NULL, NULL, NULL, NULL,
  };
  const char *outside[] = {
    "6080 560 9696 700 1040 16 880 1088 16 44 592 32 1688 18446744071587714560\n",
    "24 4\n", NULL, NULL, NULL, NULL, "18446744071587459136\n", NULL, NULL, NULL, NULL, NULL,
  };
  const char *garbled[] = {
    "6080 560 696 700 1040 16 880 1088 16 44 592 32 1688\n",
    "24 4\n", NULL, NULL, NULL, NULL, "18446744071587459136\n", NULL, NULL, NULL, NULL, NULL,
  };
  const char * const *cases[] = { no_state, outside, garbled };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KwbTaskLayout l;
      g_autoptr(GError) error = NULL;

      parse_layout (cases[i], &l, &error);
      g_assert_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_LAYOUT);
    }
}

static void
test_frame_layout (void)
{
  KwbTaskFrameLayout frame;
  g_autoptr(GError) error = NULL;

  g_assert_true (kwb_task_frame_layout_parse (&frame, "56 40 48\n", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (frame.bp, ==, 40);
  g_assert_cmpuint (frame.ret_addr, ==, 48);
  g_assert_false (kwb_task_frame_layout_parse (&frame, NULL, &error));
  g_assert_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_LAYOUT);
  g_clear_error (&error);
  g_assert_false (kwb_task_frame_layout_parse (&frame, "56 52 48\n", &error));
  g_clear_error (&error);
}

static void
test_info_line (void)
{
  static const struct {
    const char *answer;
    const char *function;
    const char *file;
    guint       line;
  } cases[] = {
    { "Line 6554 of \"/src/kernel/sched/core.c\" starts at address 0xffffffff811bfbc8 <__schedule+496> "
      "and ends at 0xffffffff811bfbd1 <__schedule+505>.\n", "__schedule", "/src/kernel/sched/core.c", 6554 },
    { "Line 231 of \"./arch/x86/include/generated/asm/syscalls_64.h\" starts at address 0xffffffff81001234 "
      "<x64_sys_call+100> and ends at 0xffffffff81001240 <x64_sys_call+112>.\n",
      "x64_sys_call", "./arch/x86/include/generated/asm/syscalls_64.h", 231 },
    { "Line 109 of \"arch/x86/entry/entry_64.S\" is at address 0xffffffff81200062 <entry_SYSCALL_64+34> "
      "but contains no code.\n", "entry_SYSCALL_64", "arch/x86/entry/entry_64.S", 109 },
    { "No line number information available for address 0xffffffff81200062 <entry_SYSCALL_64_after_hwframe>\n",
      "entry_SYSCALL_64_after_hwframe", NULL, 0 },
    { "No line number information available for address 0xffffffffa0001234\n", NULL, NULL, 0 },
    { "Line 12 of \"unterminated", NULL, NULL, 0 },
    { "", NULL, NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *function = NULL;
      g_autofree char *file = NULL;
      guint line;

      kwb_task_parse_info_line (cases[i].answer, &function, &file, &line);
      g_assert_cmpstr (function, ==, cases[i].function);
      g_assert_cmpstr (file, ==, cases[i].file);
      g_assert_cmpuint (line, ==, cases[i].line);
    }
}

static void
test_cpu_mask (void)
{
  const guint8 mask[] = { 0x05, 0x80, 0xff };
  g_autoptr(GBytes) bytes = g_bytes_new_static (mask, sizeof mask);
  g_autoptr(GArray) cpus = kwb_task_parse_cpu_mask (bytes, 16);

  g_assert_cmpuint (cpus->len, ==, 3);
  g_assert_cmpuint (g_array_index (cpus, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (cpus, guint, 1), ==, 2);
  g_assert_cmpuint (g_array_index (cpus, guint, 2), ==, 15);
}

/* ---- a sleeping task's stack ---- */

#define STACK G_GUINT64_CONSTANT (0xffffc90000010000)
#define TEXT  G_GUINT64_CONSTANT (0xffffffff81000000)

static void
stack_word (guint8  *stack,
            guint64  address,
            guint64  value)
{
  for (guint i = 0; i < 8; i++)
    stack[address - STACK + i] = (guint8) (value >> (8 * i));
}

static GArray *
unwind (guint8   *stack,
        guint64   sp,
        GError  **error)
{
  const KwbTaskFrameLayout frame = { 56, 40, 48 };
  g_autoptr(GBytes) bytes = g_bytes_new (stack + (sp - STACK), 16384 - (sp - STACK));

  return kwb_task_unwind (&frame, sp, bytes, sp, error);
}

static void
test_unwind (void)
{
  g_autofree guint8 *stack = g_malloc0 (16384);
  guint64 sp = STACK + 0x3e00;
  g_autoptr(GArray) addresses = NULL;
  g_autoptr(GError) error = NULL;

  /* Saved context at sp: bp → frame A → frame B → frame C (bp 0). */
  stack_word (stack, sp + 40, STACK + 0x3e80);
  stack_word (stack, sp + 48, TEXT + 0x100);
  stack_word (stack, STACK + 0x3e80, STACK + 0x3ea0);
  stack_word (stack, STACK + 0x3e88, TEXT + 0x200);
  stack_word (stack, STACK + 0x3ea0, STACK + 0x3f00);
  stack_word (stack, STACK + 0x3ea8, TEXT + 0x300);
  stack_word (stack, STACK + 0x3f00, 0);
  stack_word (stack, STACK + 0x3f08, TEXT + 0x400);
  addresses = unwind (stack, sp, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (addresses->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (g_array_index (addresses, guint64, i), ==, TEXT + 0x100 * (i + 1));
  g_clear_pointer (&addresses, g_array_unref);

  /* An odd bp (the entry code's saved registers) ends the chain too. */
  stack_word (stack, STACK + 0x3f00, STACK + 0x3f41);
  addresses = unwind (stack, sp, &error);
  g_assert_cmpuint (addresses->len, ==, 4);
  g_clear_pointer (&addresses, g_array_unref);

  /* A bp that goes down the stack (a loop) is not followed. */
  stack_word (stack, STACK + 0x3ea0, STACK + 0x3e80);
  addresses = unwind (stack, sp, &error);
  g_assert_cmpuint (addresses->len, ==, 3);
  g_clear_pointer (&addresses, g_array_unref);

  /* Nor one out of the stack, nor a user-space return address. */
  stack_word (stack, STACK + 0x3e80, STACK + 0x8000);
  addresses = unwind (stack, sp, &error);
  g_assert_cmpuint (addresses->len, ==, 2);
  g_clear_pointer (&addresses, g_array_unref);
  stack_word (stack, STACK + 0x3e88, 0x401000);
  addresses = unwind (stack, sp, &error);
  g_assert_cmpuint (addresses->len, ==, 1);
  g_clear_pointer (&addresses, g_array_unref);

  /* No kernel address where the task resumes: no stack at all. */
  stack_word (stack, sp + 48, 0);
  addresses = unwind (stack, sp, &error);
  g_assert_null (addresses);
  g_assert_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_STACK);
}

static void
test_unwind_bounds (void)
{
  const KwbTaskFrameLayout frame = { 56, 40, 48 };
  guint8 stack[32] = { 0 };
  g_autoptr(GBytes) bytes = g_bytes_new_static (stack, sizeof stack);
  g_autoptr(GError) error = NULL;

  /* Too little stack above sp for the saved context. */
  g_assert_null (kwb_task_unwind (&frame, STACK, bytes, STACK, &error));
  g_assert_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_STACK);
  g_clear_error (&error);
  g_assert_null (kwb_task_unwind (&frame, STACK, bytes, STACK - 8, &error));
  g_assert_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_STACK);
}

static void
test_kernel_address (void)
{
  g_assert_true (kwb_task_is_kernel_address (G_GUINT64_CONSTANT (0xffffffff81000000)));
  g_assert_true (kwb_task_is_kernel_address (G_GUINT64_CONSTANT (0xffff888000000000)));
  /* 5-level paging's direct map, as QEMU's -cpu max gives the guest. */
  g_assert_true (kwb_task_is_kernel_address (G_GUINT64_CONSTANT (0xff11000000150230)));
  g_assert_false (kwb_task_is_kernel_address (G_GUINT64_CONSTANT (0x00007fffffffe000)));
  g_assert_false (kwb_task_is_kernel_address (0));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/task-walker/walk/order", test_walk_order);
  g_test_add_func ("/task-walker/walk/leader-not-first", test_walk_leader_not_first);
  g_test_add_func ("/task-walker/walk/alone", test_walk_alone);
  g_test_add_func ("/task-walker/walk/corrupt", test_walk_corrupt);
  g_test_add_func ("/task-walker/record/short", test_record_short);
  g_test_add_func ("/task-walker/record/comm", test_record_comm);
  g_test_add_func ("/task-walker/state-letters", test_state_letters);
  g_test_add_func ("/task-walker/layout/commands", test_layout_commands);
  g_test_add_func ("/task-walker/layout/uniprocessor-6.1", test_layout_uniprocessor_61);
  g_test_add_func ("/task-walker/layout/smp-6.12", test_layout_smp_612);
  g_test_add_func ("/task-walker/layout/bad", test_layout_bad);
  g_test_add_func ("/task-walker/frame-layout", test_frame_layout);
  g_test_add_func ("/task-walker/info-line", test_info_line);
  g_test_add_func ("/task-walker/cpu-mask", test_cpu_mask);
  g_test_add_func ("/task-walker/unwind", test_unwind);
  g_test_add_func ("/task-walker/unwind/bounds", test_unwind_bounds);
  g_test_add_func ("/task-walker/kernel-address", test_kernel_address);
  return g_test_run ();
}
