/* kwb-session-dump.c — the halted guest's memory as an ELF core, for crash and drgn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of KwbSession. QEMU writes the core itself (QMP dump-guest-memory);
 * this file decides where, shows how far it got and makes the result usable:
 * - "detach": QEMU writes in a thread and keeps answering QMP (a synchronous
 *   dump of a 1 GiB guest blocks it for seconds, long enough for the QMP
 *   watchdog to kill it). query-dump is polled for progress and for the
 *   caller's cancellable; DUMP_COMPLETED ends the wait and carries QEMU's
 *   reason when writing failed (a full disk).
 * - "paging": the core gets the kernel's virtual addresses as well: drgn
 *   reads the page tables through the kernel's own mapping of them, which a
 *   core of physical addresses alone does not have.
 * - a VMCOREINFO note: kdump's vmcores carry one and drgn refuses a QEMU
 *   core without it (QEMU only copies one a guest with fw_cfg and kexec
 *   support handed it). The few keys drgn needs come from the stopped
 *   kernel through GDB and are added after QEMU is done.
 * - the file is written under a hidden temporary name beside the target
 *   and renamed at the end, so a dump under its final name is always whole;
 *   a failure or a cancel removes the temporary file (QEMU cannot be
 *   stopped mid-dump: it finishes writing to the unlinked file).
 * - FILE.build-id holds vmlinux's build-id, to find the vmlinux a dump
 *   belongs to later; vmcoreinfo carries it too.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-elf.h"
#include "kwb-session-private.h"

#define POLL_INTERVAL_MS 200

G_DEFINE_QUARK (kwb-session-dump-error-quark, kwb_session_dump_error)

/* What the stopped kernel is asked before QEMU writes, one GDB command each. */
typedef enum {
  ASK_VMCOREINFO,  /* the keys every x86-64 kernel has */
  ASK_LEVELS,      /* 5-level paging */
  ASK_NR_CPUS,
  ASK_PIDS,        /* the task on each CPU */
  ASK_DONE,
} Ask;

typedef struct {
  KwbQemu                *qemu;
  char                   *path;
  char                   *tmp_path;
  char                   *build_id;
  GString                *vmcoreinfo;
  Ask                     asking;
  guint                   n_cpus;
  GArray                 *pids;      /* guint32, the task on each CPU */
  KwbSessionDumpProgress  progress;
  gpointer                progress_data;
  GDestroyNotify          progress_notify;
  gulong                  event_id;
  guint                   poll_id;
  gboolean                querying;
  gboolean                done;
  guint64                 size;
} Dump;

static void
dump_free (gpointer data)
{
  Dump *dump = data;

  g_clear_signal_handler (&dump->event_id, dump->qemu);
  g_clear_handle_id (&dump->poll_id, g_source_remove);
  if (dump->tmp_path != NULL)
    g_unlink (dump->tmp_path);
  if (dump->progress_notify != NULL)
    dump->progress_notify (dump->progress_data);
  g_clear_object (&dump->qemu);
  g_free (dump->path);
  g_free (dump->tmp_path);
  g_free (dump->build_id);
  if (dump->vmcoreinfo != NULL)
    g_string_free (dump->vmcoreinfo, TRUE);
  g_clear_pointer (&dump->pids, g_array_unref);
  g_free (dump);
}

static void
stop_waiting (Dump *dump)
{
  dump->done = TRUE;
  g_clear_signal_handler (&dump->event_id, dump->qemu);
  g_clear_handle_id (&dump->poll_id, g_source_remove);
}

/* Ends the wait for QEMU once; dump_free removes what is left behind. */
static void
dump_return_error (GTask  *task,
                   GError *error)
{
  Dump *dump = g_task_get_task_data (task);

  if (dump->done)
    {
      g_error_free (error);
      return;
    }
  stop_waiting (dump);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
write_build_id (Dump    *dump,
                GError **error)
{
  g_autofree char *id_path = NULL;
  g_autofree char *text = NULL;

  if (dump->build_id == NULL)
    return TRUE;
  id_path = g_strconcat (dump->path, ".build-id", NULL);
  text = g_strconcat (dump->build_id, "\n", NULL);
  return g_file_set_contents (id_path, text, -1, error);
}

/* The last steps, back on the main thread: the build-id beside the dump,
 * then the dump under its own name. */
static void
dump_finish (GTask *task)
{
  Dump *dump = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      dump_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!write_build_id (dump, &error))
    {
      dump_return_error (task, g_error_new (KWB_SESSION_DUMP_ERROR, KWB_SESSION_DUMP_ERROR_FAILED,
                                            _("Cannot write the build-id beside the memory dump: %s"),
                                            error->message));
      return;
    }
  if (g_rename (dump->tmp_path, dump->path) != 0)
    {
      int errsv = errno;

      dump_return_error (task, g_error_new (G_FILE_ERROR, g_file_error_from_errno (errsv),
                                            _("Cannot move the memory dump to %s: %s"),
                                            dump->path, g_strerror (errsv)));
      return;
    }
  g_clear_pointer (&dump->tmp_path, g_free);
  dump->size = g_stat (dump->path, &st) == 0 ? (guint64) st.st_size : 0;
  stop_waiting (dump);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* What the thread below writes into the core, copied: the dump's own data
 * stays the main thread's. */
typedef struct {
  char    *path;
  GString *vmcoreinfo;
  GArray  *pids;
} Notes;

static void
notes_free (gpointer data)
{
  Notes *notes = data;

  g_free (notes->path);
  if (notes->vmcoreinfo != NULL)
    g_string_free (notes->vmcoreinfo, TRUE);
  g_clear_pointer (&notes->pids, g_array_unref);
  g_free (notes);
}

/* Adding a note rewrites the whole core (kwb_elf_core_add_note moves the
 * memory up behind it): a thread, so that the window stays responsive. */
static void
notes_thread (GTask        *thread_task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Notes *notes = task_data;
  GError *error = NULL;

  if ((notes->vmcoreinfo != NULL &&
       !kwb_elf_core_add_note (notes->path, "VMCOREINFO", 0, notes->vmcoreinfo->str,
                               notes->vmcoreinfo->len, &error)) ||
      (notes->pids != NULL && notes->pids->len > 0 &&
       !kwb_elf_core_set_prstatus_pids (notes->path, (const guint32 *) notes->pids->data,
                                        notes->pids->len, &error)))
    g_task_return_error (thread_task, error);
  else
    g_task_return_boolean (thread_task, TRUE);
}

static void
notes_written_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;  /* the thread's reference */
  Dump *dump = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (dump->done)
    return;  /* cancelled meanwhile: the dump is gone with the task */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      dump_return_error (task, g_error_new (KWB_SESSION_DUMP_ERROR, KWB_SESSION_DUMP_ERROR_FAILED,
                                            _("Cannot finish the memory dump %s: %s"),
                                            dump->path, error->message));
      return;
    }
  dump_finish (task);
}

static void
dump_complete (GTask *task)
{
  Dump *dump = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) thread_task = NULL;
  Notes *notes;

  /* A cancel that came while QEMU wrote wins over its success. */
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      dump_return_error (task, g_steal_pointer (&error));
      return;
    }
  notes = g_new0 (Notes, 1);
  notes->path = g_strdup (dump->tmp_path);
  if (dump->vmcoreinfo != NULL)
    notes->vmcoreinfo = g_string_new_len (dump->vmcoreinfo->str, dump->vmcoreinfo->len);
  if (dump->pids != NULL)
    notes->pids = g_array_ref (dump->pids);
  thread_task = g_task_new (NULL, NULL, notes_written_cb, g_object_ref (task));
  g_task_set_task_data (thread_task, notes, notes_free);
  g_task_run_in_thread (thread_task, notes_thread);
}

static void
report_progress (Dump       *dump,
                 JsonObject *info)
{
  if (dump->progress != NULL && info != NULL && json_object_has_member (info, "total"))
    dump->progress (json_object_get_int_member (info, "completed"),
                    json_object_get_int_member (info, "total"), dump->progress_data);
}

/* QEMU's word on how the dump ended: DUMP_COMPLETED {result, error?}. */
static void
on_qmp_event (KwbQemu    *qemu,
              const char *name,
              JsonNode   *data,
              GTask      *task)
{
  Dump *dump = g_task_get_task_data (task);
  JsonObject *obj;
  const char *reason;

  if (!g_str_equal (name, "DUMP_COMPLETED") || dump->done)
    return;
  obj = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  reason = obj != NULL && json_object_has_member (obj, "error") ?
           json_object_get_string_member (obj, "error") : NULL;
  if (reason != NULL)
    {
      /* QEMU says strerror() in its own locale, usually C. */
      gboolean full = strstr (reason, "No space left on device") != NULL ||
                      strstr (reason, g_strerror (ENOSPC)) != NULL;
      int code = full ? KWB_SESSION_DUMP_ERROR_NO_SPACE : KWB_SESSION_DUMP_ERROR_FAILED;

      dump_return_error (task, g_error_new (KWB_SESSION_DUMP_ERROR, code,
                                            code == KWB_SESSION_DUMP_ERROR_NO_SPACE ?
                                            _("The memory dump did not fit on the disk of %s: %s. "
                                              "Free some space or choose another folder.") :
                                            _("QEMU could not write the memory dump %s: %s"),
                                            dump->path, reason));
      return;
    }
  if (obj != NULL && json_object_has_member (obj, "result"))
    report_progress (dump, json_object_get_object_member (obj, "result"));
  dump_complete (task);
}

static void
query_dump_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Dump *dump = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ret = kwb_qemu_qmp_finish (KWB_QEMU (object), result, &error);

  dump->querying = FALSE;
  if (dump->done)
    return;
  if (ret == NULL)
    {
      /* The wait's own reference goes; this query's stays until return. */
      dump_return_error (task, g_error_new (KWB_SESSION_DUMP_ERROR, KWB_SESSION_DUMP_ERROR_FAILED,
                                            _("The memory dump stopped: %s"), error->message));
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (ret))
    report_progress (dump, json_node_get_object (ret));
}

static gboolean
poll_dump (gpointer user_data)
{
  GTask *task = user_data;
  Dump *dump = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      dump->poll_id = 0;
      dump_return_error (task, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }
  if (!dump->querying)
    {
      dump->querying = TRUE;
      kwb_qemu_qmp_async (dump->qemu, "query-dump", NULL, NULL, query_dump_cb, g_object_ref (task));
    }
  return G_SOURCE_CONTINUE;
}

static void
dump_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Dump *dump = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ret = kwb_qemu_qmp_finish (KWB_QEMU (object), result, &error);

  if (dump->done)
    return;
  if (ret == NULL && g_error_matches (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_QMP))
    {
      /* No dump-guest-memory in this QEMU, or a dump already running. */
      dump_return_error (task, g_error_new (KWB_SESSION_DUMP_ERROR, KWB_SESSION_DUMP_ERROR_UNSUPPORTED,
                                            _("QEMU refused to write a memory dump: %s"), error->message));
      return;
    }
  if (ret == NULL)
    {
      dump_return_error (task, g_error_new (KWB_SESSION_DUMP_ERROR, KWB_SESSION_DUMP_ERROR_FAILED,
                                            _("The memory dump stopped: %s"), error->message));
      return;
    }
  dump->poll_id = g_timeout_add (POLL_INTERVAL_MS, poll_dump, task);
}

static void
start_qemu_dump (GTask *task)
{
  Dump *dump = g_task_get_task_data (task);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autofree char *protocol = g_strconcat ("file:", dump->tmp_path, NULL);

  /* The questions to GDB took a while: the guest may have been resumed. */
  if (kwb_session_get_state (g_task_get_source_object (task)) != KWB_SESSION_STATE_STOPPED)
    {
      dump_return_error (task, g_error_new_literal (KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE,
                                                    _("The guest did not stay stopped until its memory "
                                                      "was dumped")));
      return;
    }
  json_object_set_boolean_member (args, "paging", TRUE);
  json_object_set_string_member (args, "protocol", protocol);
  json_object_set_boolean_member (args, "detach", TRUE);
  dump->event_id = g_signal_connect (dump->qemu, "qmp-event", G_CALLBACK (on_qmp_event), task);
  kwb_qemu_qmp_async (dump->qemu, "dump-guest-memory", args, NULL, dump_started_cb, task);
}

static void ask_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data);

/* A task's registers at the stop are in its CPU's NT_PRSTATUS note, not in
 * the task: the note names the task by pid, as the kernel's own vmcores do
 * (see kwb_elf_core_set_prstatus_pids()). runqueues exists on every SMP
 * kernel; a kernel without it, or a UP one, keeps QEMU's numbers. */
static char *
pids_command (guint n_cpus)
{
  GString *command = g_string_new ("printf \"");

  for (guint i = 0; i < n_cpus; i++)
    g_string_append (command, "%d ");
  g_string_append (command, "\\n\"");
  for (guint i = 0; i < n_cpus; i++)
    g_string_append_printf (command, ", ((struct rq *) ((char *) &runqueues + __per_cpu_offset[%u]))->curr->pid", i);
  return g_string_free (command, FALSE);
}

static void
ask (KwbSession *self,
     GTask      *task)
{
  Dump *dump = g_task_get_task_data (task);
  g_autofree char *command = NULL;

  switch (dump->asking)
    {
    case ASK_VMCOREINFO:
      /* x86-64: 4 KiB pages; kwb boots without KASLR, so the kernel sits
       * where vmlinux says. */
      command = g_strdup ("printf \"OSRELEASE=%s\\nPAGESIZE=4096\\nSYMBOL(swapper_pg_dir)=%lx\\n"
                          "NUMBER(phys_base)=%ld\\nKERNELOFFSET=0\\n\", init_uts_ns.name.release, "
                          "(unsigned long) &init_top_pgt, (long) phys_base");
      break;
    case ASK_LEVELS:
      /* 5-level paging is chosen at boot (CONFIG_X86_5LEVEL and a CPU with
       * LA57, as QEMU's "max" has): without the key tools walk the page
       * tables with 4 levels. No such variable means 4 levels. */
      command = g_strdup ("printf \"NUMBER(pgtable_l5_enabled)=%d\\n\", __pgtable_l5_enabled");
      break;
    case ASK_NR_CPUS:
      command = g_strdup ("printf \"%u\\n\", nr_cpu_ids");
      break;
    case ASK_PIDS:
      command = pids_command (dump->n_cpus);
      break;
    case ASK_DONE:
    default:
      start_qemu_dump (task);
      return;
    }
  kwb_session_console_async (self, command, NULL, ask_cb, task);
}

static void
ask_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  Dump *dump = g_task_get_task_data (task);
  KwbSession *self = KWB_SESSION (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = kwb_session_console_finish (self, result, &error);

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      dump_return_error (task, g_steal_pointer (&error));
      return;
    }
  switch (dump->asking++)
    {
    case ASK_VMCOREINFO:
      if (text != NULL && g_str_has_prefix (text, "OSRELEASE="))
        {
          dump->vmcoreinfo = g_string_new (text);
          if (dump->build_id != NULL)
            g_string_append_printf (dump->vmcoreinfo, "BUILD-ID=%s\n", dump->build_id);
        }
      else
        {
          /* crash still reads such a dump; drgn will not. */
          g_autofree char *message =
            g_strdup_printf (_("The memory dump gets no VMCOREINFO note (drgn needs one): %s"),
                             error != NULL ? error->message : text);

          kwb_session_log_message (self, message);
          dump->asking = ASK_NR_CPUS;
        }
      break;
    case ASK_LEVELS:
      if (text != NULL && g_str_has_prefix (text, "NUMBER("))
        g_string_append (dump->vmcoreinfo, text);
      break;
    case ASK_NR_CPUS:
      dump->n_cpus = text != NULL ? (guint) g_ascii_strtoull (text, NULL, 10) : 0;
      /* One printf argument per CPU: beyond a few hundred, keep QEMU's numbers. */
      if (dump->n_cpus == 0 || dump->n_cpus > 256)
        dump->asking = ASK_DONE;
      break;
    case ASK_PIDS:
      {
        g_auto(GStrv) words = text != NULL ? g_strsplit_set (g_strstrip (text), " ", -1) : NULL;

        dump->pids = g_array_new (FALSE, FALSE, sizeof (guint32));
        for (guint i = 0; words != NULL && words[i] != NULL && i < dump->n_cpus; i++)
          {
            guint64 pid;

            if (!g_ascii_string_to_unsigned (words[i], 10, 0, G_MAXINT32, &pid, NULL))
              {
                g_array_set_size (dump->pids, 0);
                break;
              }
            g_array_append_vals (dump->pids, &(guint32) { pid }, 1);
          }
      }
      break;
    case ASK_DONE:
    default:
      break;
    }
  ask (self, task);
}

/**
 * kwb_session_dump_memory_async:
 * @path: the dump's file; its folder is made if missing
 * @progress: (nullable): called with bytes written and total as QEMU goes
 *
 * Writes the stopped guest's memory to @path as an ELF core that crash and
 * drgn read with the session's vmlinux, and vmlinux's build-id to
 * @path.build-id. The guest stays stopped.
 */
void
kwb_session_dump_memory_async (KwbSession             *self,
                               const char             *path,
                               KwbSessionDumpProgress  progress,
                               gpointer                progress_data,
                               GDestroyNotify          progress_notify,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(KwbElf) vmlinux = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  KwbQemu *qemu;
  Dump *dump;
  int fd;

  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_session_dump_memory_async);
  dump = g_new0 (Dump, 1);
  dump->path = g_strdup (path);
  dump->progress = progress;
  dump->progress_data = progress_data;
  dump->progress_notify = progress_notify;
  g_task_set_task_data (task, dump, dump_free);

  qemu = kwb_session_get_qemu (self);
  if (kwb_session_get_state (self) != KWB_SESSION_STATE_STOPPED || qemu == NULL)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE,
                               _("A memory dump needs a guest stopped in the debugger; "
                                 "start the session and stop it at a breakpoint first"));
      return;
    }
  dump->qemu = g_object_ref (qemu);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int errsv = errno;

      g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (errsv),
                               _("Cannot make the folder %s for the memory dump: %s"), dir, g_strerror (errsv));
      return;
    }
  /* Hidden, and named after the dump: a file manager shows no half dump. */
  dump->tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  if ((fd = g_mkstemp_full (dump->tmp_path, O_RDWR | O_CLOEXEC, 0600)) < 0)
    {
      int errsv = errno;

      g_clear_pointer (&dump->tmp_path, g_free);
      g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (errsv),
                               _("Cannot write the memory dump in %s: %s"), dir, g_strerror (errsv));
      return;
    }
  close (fd);

  vmlinux = kwb_elf_open (kwb_session_config_get_vmlinux (kwb_session_get_config (self)), NULL);
  if (vmlinux != NULL)
    dump->build_id = kwb_elf_dup_build_id (vmlinux);

  /* The VMCOREINFO keys drgn reads are known for x86-64 only. */
  dump->asking = vmlinux != NULL && kwb_elf_get_machine (vmlinux) == EM_X86_64 ? ASK_VMCOREINFO : ASK_NR_CPUS;
  ask (self, g_steal_pointer (&task));
}

/**
 * kwb_session_dump_memory_finish:
 * @size: (out) (optional): the dump's size in bytes
 * @build_id: (out) (optional) (transfer full) (nullable): vmlinux's build-id
 *   in hex, NULL when it has none
 */
gboolean
kwb_session_dump_memory_finish (KwbSession    *self,
                                GAsyncResult  *result,
                                guint64       *size,
                                char         **build_id,
                                GError       **error)
{
  Dump *dump;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_session_dump_memory_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  dump = g_task_get_task_data (G_TASK (result));
  if (size != NULL)
    *size = dump->size;
  if (build_id != NULL)
    *build_id = g_strdup (dump->build_id);
  return TRUE;
}

/**
 * kwb_session_dup_default_dump_path:
 *
 * Where a dump goes unless asked otherwise: dumps/vmcore-YYYYMMDD-HHMMSS
 * (local time) in the project's folder, with -2, -3, … when that exists.
 */
char *
kwb_session_dup_default_dump_path (KwbSession *self)
{
  KwbProject *project;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "vmcore-%Y%m%d-%H%M%S");
  g_autofree char *dir = NULL;
  char *path;

  g_return_val_if_fail (KWB_IS_SESSION (self), NULL);

  project = kwb_session_config_get_project (kwb_session_get_config (self));
  dir = g_build_filename (kwb_project_get_directory (project), "dumps", NULL);
  path = g_build_filename (dir, stamp, NULL);
  for (guint i = 2; g_file_test (path, G_FILE_TEST_EXISTS); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u", stamp, i);

      g_free (path);
      path = g_build_filename (dir, name, NULL);
    }
  return path;
}
