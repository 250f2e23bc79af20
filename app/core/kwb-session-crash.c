/* kwb-session-crash.c — stopping at the guest's oops, BUG, warning or panic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of KwbSession (see kwb-session-private.h). Without this a crash is
 * only text scrolling by in the console, and a panic ends the session
 * (panic=-1 reboots, QEMU exits). The session sets its own breakpoints on
 * the kernel's crash paths, where the report is complete or its facts are
 * in arguments:
 * - oops_end(flags, regs, signr): every oops and BUG() on x86 ends there,
 *   after die() printed the whole report. REGS are the registers at the
 *   faulting instruction. arm64 has no such function: its die(str, regs,
 *   err) is caught at entry, when the kernel has printed the fault's first
 *   lines ("Unable to handle kernel NULL pointer dereference", "kernel BUG
 *   at") but not yet its register dump and call trace.
 * - panic: at its first instruction the format and its arguments are
 *   still in their registers (the message is printed only later).
 * - __warn(file, line, caller, taint, regs, args), when the project asks
 *   for warnings: a WARN() traps with ud2, so REGS is the WARN's site.
 * All three are caught at their first instruction (see catches).
 *
 * GDB's own backtrace from oops_end ends in the exception entry code (it
 * has no unwind information across the trap). So for the stop the faulting
 * registers are put into the CPU: GDB then shows the faulting line, its
 * locals and its callers as for any stop, and the user's `p`, `up` and
 * `info registers` work on the code that crashed. The CPU's own registers
 * are put back before the guest resumes (kwb_session_crash_dup_restore()),
 * so the kernel goes on with its oops handling as if nobody had looked.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kwb-crash.h"
#include "kwb-frame.h"
#include "kwb-kernel-log.h"
#include "kwb-mi-parser.h"
#include "kwb-session-private.h"

/* GDB's register names and the pt_regs members that hold them; a cast
 * for the flags registers, whose GDB types cast only to int. */
typedef struct {
  const char *reg;
  const char *member;
  const char *cast;
} Reg;

static const Reg x86_regs[] = {
  { "$r15", "r15", "long" }, { "$r14", "r14", "long" }, { "$r13", "r13", "long" },
  { "$r12", "r12", "long" }, { "$rbp", "bp", "long" }, { "$rbx", "bx", "long" },
  { "$r11", "r11", "long" }, { "$r10", "r10", "long" }, { "$r9", "r9", "long" },
  { "$r8", "r8", "long" }, { "$rax", "ax", "long" }, { "$rcx", "cx", "long" },
  { "$rdx", "dx", "long" }, { "$rsi", "si", "long" }, { "$rdi", "di", "long" },
  { "$eflags", "flags", "int" }, { "$rsp", "sp", "long" }, { "$rip", "ip", "long" },
  { NULL, NULL, NULL }
};

static const Reg arm64_regs[] = {
  { "$x0", "regs[0]", "long" }, { "$x1", "regs[1]", "long" }, { "$x2", "regs[2]", "long" },
  { "$x3", "regs[3]", "long" }, { "$x4", "regs[4]", "long" }, { "$x5", "regs[5]", "long" },
  { "$x6", "regs[6]", "long" }, { "$x7", "regs[7]", "long" }, { "$x8", "regs[8]", "long" },
  { "$x9", "regs[9]", "long" }, { "$x10", "regs[10]", "long" }, { "$x11", "regs[11]", "long" },
  { "$x12", "regs[12]", "long" }, { "$x13", "regs[13]", "long" }, { "$x14", "regs[14]", "long" },
  { "$x15", "regs[15]", "long" }, { "$x16", "regs[16]", "long" }, { "$x17", "regs[17]", "long" },
  { "$x18", "regs[18]", "long" }, { "$x19", "regs[19]", "long" }, { "$x20", "regs[20]", "long" },
  { "$x21", "regs[21]", "long" }, { "$x22", "regs[22]", "long" }, { "$x23", "regs[23]", "long" },
  { "$x24", "regs[24]", "long" }, { "$x25", "regs[25]", "long" }, { "$x26", "regs[26]", "long" },
  { "$x27", "regs[27]", "long" }, { "$x28", "regs[28]", "long" }, { "$x29", "regs[29]", "long" },
  { "$x30", "regs[30]", "long" }, { "$cpsr", "pstate", "int" }, { "$sp", "sp", "long" },
  { "$pc", "pc", "long" },
  { NULL, NULL, NULL }
};

static const Reg *
regs_of (KwbSession *session,
         guint      *n_regs)
{
  const KwbArch *arch = kwb_session_config_get_arch (kwb_session_get_config (session));
  const Reg *regs = g_str_equal (arch->name, "arm64") ? arm64_regs : x86_regs;

  for (*n_regs = 0; regs[*n_regs].reg != NULL; (*n_regs)++)
    ;
  return regs;
}

typedef struct {
  KwbSession       *session;
  KwbCrashKind      kind;
  KwbGdbStop       *stop;
  char             *restore;     /* GDB command that puts the CPU's registers back */
  char             *title;       /* a panic's message */
  guint             first_level; /* frames above it are the crash path's own */
  GListModel       *frames;
  KwbKernelLog     *log;
} Hit;

static void
hit_free (Hit *hit)
{
  g_object_unref (hit->session);
  kwb_gdb_stop_free (hit->stop);
  g_free (hit->restore);
  g_free (hit->title);
  g_clear_object (&hit->frames);
  g_clear_object (&hit->log);
  g_free (hit);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hit, hit_free)

static gboolean
hit_gone (Hit *hit)
{
  KwbSessionState state = kwb_session_get_state (hit->session);

  return state != KWB_SESSION_STATE_RUNNING && state != KWB_SESSION_STATE_STOPPED;
}

/* ---- the report ---- */

static KwbFrame *
first_frame (Hit *hit)
{
  guint n = hit->frames ? g_list_model_get_n_items (hit->frames) : 0;

  return n > 0 ? g_list_model_get_item (hit->frames, 0) : NULL;
}

/* NAME="VALUE", after a comma unless it opens a tuple. */
static void
append_mi_string (GString    *out,
                  const char *name,
                  const char *value)
{
  g_autofree char *escaped = g_strescape (value ? value : "", NULL);

  g_string_append_printf (out, "%s%s=\"%s\"", g_str_has_suffix (out->str, "{") ? "" : ",", name, escaped);
}

/* The stop the user sees: at the faulting frame, with the crash's kind as
 * its reason. Made as GDB would say it, so its strings live in its record. */
static KwbGdbStop *
crash_stop_new (const KwbGdbStop *stop,
                KwbCrashKind      kind,
                KwbFrame         *frame)
{
  g_autoptr(GString) line = g_string_new ("*stopped");
  g_autoptr(KwbMiRecord) record = NULL;

  append_mi_string (line, "reason", kwb_crash_kind_to_string (kind));
  g_string_append (line, ",frame={");
  if (frame != NULL)
    {
      g_autofree char *addr = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", kwb_frame_get_address (frame));
      g_autofree char *number = g_strdup_printf ("%u", kwb_frame_get_line (frame));

      append_mi_string (line, "addr", addr);
      append_mi_string (line, "func", kwb_frame_get_function (frame));
      append_mi_string (line, "file", kwb_frame_get_file (frame));
      append_mi_string (line, "fullname", kwb_frame_get_fullname (frame));
      append_mi_string (line, "line", number);
    }
  g_string_append (line, "}");
  if (stop->thread_id != NULL)
    append_mi_string (line, "thread-id", stop->thread_id);
  record = kwb_mi_parse_line (line->str, (gssize) line->len);
  return record != NULL ? kwb_gdb_stop_new (record) : kwb_gdb_stop_copy (stop);
}

static void
report (Hit *hit,
        char       **lines)
{
  g_autoptr(KwbFrame) frame = first_frame (hit);
  g_autoptr(KwbCrash) crash = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autoptr(KwbGdbStop) stop = NULL;
  KwbCrashKind kind = hit->kind;
  gint start = -1;

  if (kind == KWB_CRASH_OOPS)
    start = kwb_crash_find_report ((const char * const *) lines, &kind, &title);
  if (start >= 0)
    text = g_strjoinv ("\n", lines + start);
  else if (kind == KWB_CRASH_PANIC)
    {
      title = g_strdup_printf ("Kernel panic - not syncing: %s", hit->title ? hit->title : "?");
      text = g_strdup (title);
    }
  else if (kind == KWB_CRASH_WARNING)
    {
      /* The WARN's own message is printed before it traps: the last record. */
      guint n = lines ? g_strv_length (lines) : 0;

      text = g_strdup (n > 0 ? lines[n - 1] : "");
      title = g_strdup_printf ("WARNING: %s", n > 0 ? lines[n - 1] : "");
    }
  else
    {
      title = g_strdup ("Oops");
      text = g_strdup (title);
    }

  crash = kwb_crash_new (kind, title, text, hit->frames);
  stop = crash_stop_new (hit->stop, kind, frame);
  kwb_session_report_crash (hit->session, stop, crash, hit->restore, hit->first_level);
}

static void
log_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Hit) hit = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;

  if (hit_gone (hit))
    return;
  /* Without the log (no printk, an unknown layout) the stop still comes. */
  if (kwb_kernel_log_refresh_finish (KWB_KERNEL_LOG (object), result, &error))
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (object)); i++)
      {
        g_autoptr(KwbLogRecord) record = g_list_model_get_item (G_LIST_MODEL (object), i);

        g_strv_builder_add (builder, kwb_log_record_get_text (record));
      }
  else
    g_debug ("crash: no kernel log: %s", error->message);
  lines = g_strv_builder_end (builder);
  report (hit, lines);
}

static void
frames_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Hit *hit = user_data;
  g_autoptr(GListModel) frames = kwb_session_list_frames_finish (KWB_SESSION (object), result, NULL);
  GListStore *kept = g_list_store_new (KWB_TYPE_FRAME);

  for (guint i = 0; frames != NULL && i < g_list_model_get_n_items (frames); i++)
    {
      g_autoptr(KwbFrame) frame = g_list_model_get_item (frames, i);

      if (kwb_frame_get_level (frame) >= hit->first_level)
        g_list_store_append (kept, frame);
    }
  hit->frames = G_LIST_MODEL (kept);
  if (hit_gone (hit))
    {
      hit_free (hit);
      return;
    }
  hit->log = kwb_kernel_log_new (hit->session);
  kwb_kernel_log_refresh_async (hit->log, NULL, log_cb, hit);
}

static void
list_frames (Hit *hit)
{
  kwb_session_list_frames_async (hit->session, NULL, frames_cb, hit);
}

/* ---- the faulting registers ---- */

static void
swapped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Hit *hit = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, &error);

  if (out == NULL)
    {
      /* Nothing was changed, or GDB could not say: show the crash path. */
      g_debug ("crash: faulting registers not set: %s", error->message);
      g_clear_pointer (&hit->restore, g_free);
    }
  list_frames (hit);
}

static void
regs_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Hit *hit = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, &error);
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) swap = g_string_new ("set var ");
  g_autoptr(GString) restore = g_string_new ("set var ");
  guint n_regs;
  const Reg *regs = regs_of (hit->session, &n_regs);

  if (out != NULL)
    words = g_strsplit_set (g_strstrip (out), " \n", -1);
  if (words == NULL || g_strv_length (words) != 2 * n_regs)
    {
      g_debug ("crash: cannot read the faulting registers: %s", error ? error->message : out);
      list_frames (hit);
      return;
    }
  for (guint i = 0; i < n_regs; i++)
    {
      const char *sep = i > 0 ? ", " : "";

      g_string_append_printf (swap, "%s%s = 0x%s", sep, regs[i].reg, words[i]);
      g_string_append_printf (restore, "%s%s = 0x%s", sep, regs[i].reg, words[n_regs + i]);
    }
  hit->restore = g_string_free (g_steal_pointer (&restore), FALSE);
  kwb_session_console_async (hit->session, swap->str, NULL, swapped_cb, hit);
}

static void
regs_pointer_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Hit *hit = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, &error);
  g_autoptr(GString) command = g_string_new ("printf \"");
  guint64 pt_regs = out ? g_ascii_strtoull (g_strstrip (out), NULL, 16) : 0;
  guint n_regs;
  const Reg *regs = regs_of (hit->session, &n_regs);

  if (pt_regs == 0)
    {
      /* A warning without a trap (warn_slowpath_fmt): its caller is the site. */
      if (hit->kind == KWB_CRASH_WARNING)
        hit->first_level = 2;
      list_frames (hit);
      return;
    }
  for (guint i = 0; i < 2 * n_regs; i++)
    g_string_append (command, i > 0 ? " %lx" : "%lx");
  g_string_append (command, "\\n\"");
  for (guint i = 0; i < n_regs; i++)
    g_string_append_printf (command, ", ((struct pt_regs *) 0x%" G_GINT64_MODIFIER "x)->%s",
                            pt_regs, regs[i].member);
  for (guint i = 0; i < n_regs; i++)
    g_string_append_printf (command, ", (unsigned %s) %s", regs[i].cast, regs[i].reg);
  kwb_session_console_async (hit->session, command->str, NULL, regs_cb, hit);
}

/* ---- a panic's message ---- */

static void
message_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Hit *hit = user_data;
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, NULL);

  if (out != NULL && *g_strstrip (out) != '\0')
    {
      g_free (hit->title);
      hit->title = g_strdup (out);
    }
  list_frames (hit);
}

static void
format_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Hit *hit = user_data;
  g_autofree char *format = kwb_session_console_finish (KWB_SESSION (object), result, NULL);
  /* The format is the first argument, what it formats the next five. */
  const char * const *args = kwb_session_config_get_arch (kwb_session_get_config (hit->session))->arguments + 1;
  g_autofree char *command = NULL;

  if (format == NULL)
    {
      list_frames (hit);
      return;
    }
  hit->title = g_strdup (g_strstrip (format));
  command = kwb_crash_dup_printf_command (format, args);
  if (command == NULL)
    list_frames (hit);
  else
    kwb_session_console_async (hit->session, command, NULL, message_cb, hit);
}

/* ---- the breakpoints ---- */

static void
crash_hit (KwbSession       *session,
           const KwbGdbStop *stop,
           gpointer          user_data)
{
  Hit *hit = g_new0 (Hit, 1);

  hit->session = g_object_ref (session);
  hit->kind = GPOINTER_TO_INT (user_data);
  hit->stop = kwb_gdb_stop_copy (stop);
  switch (hit->kind)
    {
    case KWB_CRASH_PANIC:
      /* At panic()'s first instruction: the caller is where it was decided. */
      hit->first_level = 1;
      {
        const KwbArch *arch = kwb_session_config_get_arch (kwb_session_get_config (session));
        g_autofree char *command = g_strdup_printf ("printf \"%%s\\n\", (char *) %s", arch->arguments[0]);

        kwb_session_console_async (session, command, NULL, format_cb, hit);
      }
      break;
    case KWB_CRASH_WARNING:
    case KWB_CRASH_OOPS:
    case KWB_CRASH_BUG:
    default:
      kwb_session_console_async (session, "printf \"%lx\\n\", (unsigned long) regs", NULL,
                                 regs_pointer_cb, hit);
      break;
    }
}

typedef struct {
  const char   *location;
  KwbCrashKind  kind;
} Catch;

/* The oops catch is the architecture's (catch_location); the others are
 * generic. Each is set at the function's first instruction, "*NAME": GDB
 * places that from the symbol table alone. By name it would look for the
 * end of the prologue in the function's compilation unit, which on a
 * distribution's vmlinux cost 1.5 s before the guest first ran. */
static const Catch catches[] = {
  { NULL, KWB_CRASH_OOPS },
  { "panic", KWB_CRASH_PANIC },
  { "__warn", KWB_CRASH_WARNING },
};

static char *
dup_catch_location (KwbSession *session,
                    guint       index)
{
  const KwbArch *arch = kwb_session_config_get_arch (kwb_session_get_config (session));

  return g_strdup_printf ("*%s", catches[index].location != NULL ? catches[index].location
                                                                   : arch->oops_function);
}

static void insert_next (KwbSession *session, guint index);

static void
inserted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  KwbSession *session = KWB_SESSION (object);
  guint index = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *number = kwb_session_add_internal_breakpoint_finish (session, result, &error);

  /* A kernel without the function (another architecture, a stripped
   * vmlinux) loses that kind of stop, nothing else. */
  if (number == NULL)
    {
      g_autofree char *location = dup_catch_location (session, index);

      g_debug ("crash: no breakpoint at %s: %s", location, error->message);
    }
  insert_next (session, index + 1);
}

static void
insert_next (KwbSession *session,
             guint       index)
{
  KwbProject *project = kwb_session_config_get_project (kwb_session_get_config (session));
  g_autofree char *location = NULL;

  if (index < G_N_ELEMENTS (catches) && catches[index].kind == KWB_CRASH_WARNING &&
      !kwb_project_get_boolean (project, "debug", "stop-on-warn"))
    index++;
  if (index >= G_N_ELEMENTS (catches))
    {
      kwb_session_setup_done (session);
      return;
    }
  location = dup_catch_location (session, index);
  kwb_session_add_internal_breakpoint_async (session, location, KWB_GDB_BREAK_NONE,
                                             crash_hit, GINT_TO_POINTER (catches[index].kind), NULL,
                                             inserted_cb, GUINT_TO_POINTER (index));
}

static void
insert_at_first_stop (KwbSession *session,
                      KwbGdbStop *stop,
                      gpointer    user_data)
{
  g_signal_handlers_disconnect_by_func (session, insert_at_first_stop, user_data);
  insert_next (session, 0);
}

void
kwb_session_crash_setup (KwbSession *session,
                         gpointer    user_data)
{
  /* Under KVM a software breakpoint written before the kernel has mapped
   * its text is lost, and the four debug registers are the user's: ours
   * wait for the first stop, when the kernel is up (kwb_session_setup_done
   * does nothing once the session has started). */
  if (g_strcmp0 (kwb_qemu_get_accelerator (kwb_session_get_qemu (session)), "kvm") == 0)
    {
      g_signal_connect (session, "stopped", G_CALLBACK (insert_at_first_stop), NULL);
      kwb_session_setup_done (session);
      return;
    }
  insert_next (session, 0);
}

/* Commands that let the guest run: the faulting registers go first. */
gboolean
kwb_session_crash_is_resume_command (const char *command)
{
  static const char * const resumes[] = {
    "c", "continue", "fg", "s", "step", "n", "next", "si", "stepi", "ni", "nexti", "finish", "fin",
    "u", "until", "advance", "jump", "j", "signal", "queue-signal", "run", "r", "start", "starti",
    "reverse-step", "reverse-next", "reverse-continue", "reverse-finish", "rs", "rn", "rc",
    NULL,
  };
  g_autofree char *word = NULL;
  const char *p = command;

  while (g_ascii_isspace (*p))
    p++;
  word = g_strndup (p, strcspn (p, " \t"));
  return g_strv_contains (resumes, word);
}
