/* test-memory-dump.c — kwb_session_dump_memory_async() on a fixture kernel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Argument --kernel=6.1 (KWB_FIXTURE_PROJECT) or --kernel=6.12
 * (KWB_FIXTURE_612_PROJECT), with KWB_FIXTURE_INITRAMFS. While the guest
 * runs a dump is refused; at the stop in __do_sys_sync it is written
 * with progress up to the total, the session's guest stays stopped, and
 * the core carries what crash and drgn need (checked here with libelf; the
 * tools themselves read it in test-kwb-dump.sh): a VMCOREINFO note with the
 * kernel's release, and the pid of the task stopped in sync in its CPU's
 * NT_PRSTATUS. A cancelled dump leaves no file. Every wait has a deadline;
 * no duration is asserted.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kwb-core.h"
#include "kwb-test-guest.h"

static const char *kernel_name = "6.1";

typedef struct {
  gboolean      done;
  gboolean      ok;
  GError       *error;
  guint64       size;
  char         *build_id;
  guint         n_progress;
  guint64       completed;
  guint64       total;
  GCancellable *cancel_on_progress;
} Dump;

static void
on_progress (guint64  completed,
             guint64  total,
             gpointer user_data)
{
  Dump *d = user_data;

  g_assert_cmpuint (completed, <=, total);
  g_assert_cmpuint (completed, >=, d->completed);
  d->n_progress++;
  d->completed = completed;
  d->total = total;
  if (d->cancel_on_progress != NULL)
    g_cancellable_cancel (d->cancel_on_progress);
}

static void
dump_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Dump *d = user_data;

  d->ok = kwb_session_dump_memory_finish (KWB_SESSION (object), result, &d->size, &d->build_id, &d->error);
  d->done = TRUE;
}

static gboolean
deadline_cb (gpointer data)
{
  g_error ("No end of the memory dump within %u s", GPOINTER_TO_UINT (data));
  return G_SOURCE_REMOVE;
}

static void
run_dump (KwbSession   *session,
          const char   *path,
          Dump         *d,
          GCancellable *cancellable)
{
  guint deadline = g_timeout_add_seconds (120, deadline_cb, GUINT_TO_POINTER (120));

  kwb_session_dump_memory_async (session, path, on_progress, d, NULL, cancellable, dump_cb, d);
  while (!d->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (deadline);
}

static void
dump_clear (Dump *d)
{
  g_clear_error (&d->error);
  g_clear_pointer (&d->build_id, g_free);
  memset (d, 0, sizeof *d);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The files in DIR, sorted, joined by spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* The VMCOREINFO text and the NT_PRSTATUS pids of the core at PATH. */
static void
read_core_notes (const char  *path,
                 char       **vmcoreinfo,
                 GArray      *pids)
{
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) headers = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  elf = kwb_elf_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kwb_elf_get_file_type (elf), ==, ET_CORE);
  headers = kwb_elf_dup_program_headers (elf, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  for (guint i = 0; i < headers->len; i++)
    {
      const GElf_Phdr *phdr = &g_array_index (headers, GElf_Phdr, i);

      if (phdr->p_type != PT_NOTE)
        continue;
      g_assert_cmpuint (phdr->p_offset + phdr->p_filesz, <=, len);
      for (gsize at = phdr->p_offset; at + sizeof (Elf64_Nhdr) <= phdr->p_offset + phdr->p_filesz;)
        {
          const Elf64_Nhdr *nhdr = (const Elf64_Nhdr *) (contents + at);
          const char *name = contents + at + sizeof *nhdr;
          const char *desc = name + ((nhdr->n_namesz + 3) & ~3u);

          if (g_strcmp0 (name, "VMCOREINFO") == 0)
            *vmcoreinfo = g_strndup (desc, nhdr->n_descsz);
          else if (g_strcmp0 (name, "CORE") == 0 && nhdr->n_type == NT_PRSTATUS)
            g_array_append_vals (pids, desc + 32, 1);
          at = desc + ((nhdr->n_descsz + 3) & ~3u) - contents;
        }
    }
}

static void
test_dump (void)
{
  KwbTestGuest *guest = kwb_test_guest_new (kernel_name, NULL, "__do_sys_sync");
  g_autofree char *dir = g_dir_make_tmp ("kwb-test-dump-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sub", "vmcore", NULL);
  g_autofree char *sub = g_path_get_dirname (path);
  g_autofree char *id_path = g_strconcat (path, ".build-id", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *vmcoreinfo = NULL;
  g_autofree char *release = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *id_text = NULL;
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KwbElf) vmlinux = NULL;
  g_autofree char *want_id = NULL;
  g_autofree char *command = NULL;
  Dump d = { 0 };
  GStatBuf st;
  gboolean found = FALSE;

  g_assert_nonnull (guest);
  kwb_test_guest_boot_to_shell (guest);

  /* The guest runs: refused, and nothing written. */
  run_dump (guest->session, path, &d, NULL);
  g_assert_false (d.ok);
  g_assert_error (d.error, KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE);
  g_assert_false (g_file_test (sub, G_FILE_TEST_EXISTS));
  dump_clear (&d);

  kwb_test_guest_type (guest, "sync\r");
  kwb_test_guest_wait_stops (guest, 1);

  run_dump (guest->session, path, &d, NULL);
  g_assert_no_error (d.error);
  g_assert_true (d.ok);
  g_assert_cmpuint (d.n_progress, >=, 1);
  g_assert_cmpuint (d.completed, ==, d.total);
  g_assert_cmpuint (d.total, >=, 200 * 1024 * 1024);  /* the guest's 256 MiB and a little */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (d.size, ==, (guint64) st.st_size);
  g_assert_cmpint (kwb_session_get_state (guest->session), ==, KWB_SESSION_STATE_STOPPED);
  listing = list_dir (sub);
  g_assert_cmpstr (listing, ==, "vmcore vmcore.build-id");

  vmlinux = kwb_elf_open (kwb_session_config_get_vmlinux (kwb_session_get_config (guest->session)), NULL);
  g_assert_nonnull (vmlinux);
  want_id = kwb_elf_dup_build_id (vmlinux);
  g_assert_nonnull (want_id);
  g_assert_cmpstr (d.build_id, ==, want_id);
  g_assert_true (g_file_get_contents (id_path, &id_text, NULL, NULL));
  g_assert_cmpstr (g_strstrip (id_text), ==, want_id);

  /* What the kernel itself says, through GDB, against the notes. */
  KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session,
                                                         "printf \"%s\\n\", init_uts_ns.name.release",
                                                         NULL, kwb_test_guest_done_cb, guest));
  release = g_strdup_printf ("OSRELEASE=%s", g_strstrip (guest->text));
  KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session,
                                                         "printf \"%d\\n\", $lx_current().pid",
                                                         NULL, kwb_test_guest_done_cb, guest));
  pid_text = g_strdup (g_strstrip (guest->text));
  read_core_notes (path, &vmcoreinfo, pids);
  g_assert_nonnull (vmcoreinfo);
  g_assert_true (g_str_has_prefix (vmcoreinfo, release));
  g_assert_nonnull (strstr (vmcoreinfo, "\nSYMBOL(swapper_pg_dir)="));
  command = g_strdup_printf ("\nBUILD-ID=%s\n", want_id);
  g_assert_nonnull (strstr (vmcoreinfo, command));
  g_assert_cmpuint (pids->len, ==, 2);  /* the fixture's 2 vCPUs */
  for (guint i = 0; i < pids->len; i++)
    found |= g_array_index (pids, guint32, i) == g_ascii_strtoull (pid_text, NULL, 10);
  g_assert_true (found);
  g_assert_cmpuint (g_ascii_strtoull (pid_text, NULL, 10), >, 2);

  /* Cancelled at its first progress: an error, and no file, not even the
   * temporary one (QEMU finishes writing to it unlinked). */
  g_unlink (path);
  g_unlink (id_path);
  dump_clear (&d);
  d.cancel_on_progress = cancellable;
  run_dump (guest->session, path, &d, cancellable);
  g_assert_false (d.ok);
  g_assert_error (d.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_free (listing);
  listing = list_dir (sub);
  g_assert_cmpstr (listing, ==, "");
  dump_clear (&d);

  g_rmdir (sub);
  g_rmdir (dir);
  kwb_test_guest_free (guest);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  kernel_name = kwb_test_guest_kernel_arg (argc, argv);
  g_test_add_func ("/memory-dump/write", test_dump);
  return g_test_run ();
}
