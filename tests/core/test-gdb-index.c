/* test-gdb-index.c — GDB's index written in the background, by a real GDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file indexed is this test's own executable: it has debug information
 * and a build-id, as a vmlinux does, and is small enough for GDB to read in
 * a moment. The cache folder is private to the run.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"

static char *tmp;

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
  guint     writing_changes;
} Wait;

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = kwb_gdb_index_write_finish (KWB_GDB_INDEX (object), result, &wait->error);
  wait->done = TRUE;
}

static void
on_writing (KwbGdbIndex *index,
            GParamSpec  *pspec,
            Wait        *wait)
{
  wait->writing_changes++;
}

static void
wait_done (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
}

static char *
self_path (void)
{
  return g_file_read_link ("/proc/self/exe", NULL);
}

static void
test_write (void)
{
  g_autofree char *exe = self_path ();
  g_autoptr(KwbGdbIndex) index = kwb_gdb_index_new ("gdb", exe);
  g_autofree char *dir = kwb_gdb_index_dup_cache_dir ();
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  Wait wait = { 0 };

  g_assert_true (g_str_has_prefix (dir, tmp));
  g_assert_nonnull (kwb_gdb_index_get_build_id (index));
  name = g_strconcat (kwb_gdb_index_get_build_id (index), ".gdb-index", NULL);
  path = g_build_filename (dir, name, NULL);
  g_assert_false (kwb_gdb_index_is_kept (index));

  g_signal_connect (index, "notify::writing", G_CALLBACK (on_writing), &wait);
  kwb_gdb_index_write_async (index, NULL, write_cb, &wait);
  g_assert_true (kwb_gdb_index_get_writing (index));
  wait_done (&wait);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_false (kwb_gdb_index_get_writing (index));
  g_assert_cmpuint (wait.writing_changes, ==, 2);
  g_assert_true (kwb_gdb_index_is_kept (index));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* GDB itself reads it back: the index cache says so. */
  {
    g_autofree char *set_dir = g_strdup_printf ("set index-cache directory %s", dir);
    const char *argv[] = { "gdb", "-batch", "-nx", "-iex", set_dir, "-iex", "set index-cache on",
                           "-ex", "show index-cache stats", exe, NULL };
    g_autofree char *out = NULL;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, &out, NULL, &status, NULL));
    g_test_message ("%s", out);
    g_assert_nonnull (strstr (out, "Cache hits (this session): 1"));
  }
}

/* A file that keeps the relocations of its debug information (as a
 * relocatable kernel's vmlinux does): a copy without them is kept beside
 * the index, and is what a session's GDB is given. */
static void
test_strip_relocations (void)
{
  static const char source[] = "int kwb_counter;\nint main (void) { return kwb_counter; }\n";
  g_autofree char *c_file = g_build_filename (tmp, "prog.c", NULL);
  g_autofree char *prog = g_build_filename (tmp, "prog", NULL);
  const char *cc[] = { "cc", "-g", "-O0", "-Wl,--emit-relocs", "-Wl,--build-id", "-o", prog, c_file, NULL };
  g_autoptr(KwbGdbIndex) index = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  KwbElf *elf;
  Wait wait = { 0 };
  int status;

  g_assert_true (g_file_set_contents (c_file, source, -1, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) cc, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  elf = kwb_elf_open (prog, NULL);
  g_assert_nonnull (elf);
  g_assert_true (kwb_elf_has_section (elf, ".rela.debug_info"));
  kwb_elf_free (elf);

  index = kwb_gdb_index_new ("gdb", prog);
  before = kwb_gdb_index_dup_symbol_file (index);
  g_assert_cmpstr (before, ==, prog);
  g_assert_false (kwb_gdb_index_is_kept (index));
  kwb_gdb_index_write_async (index, NULL, write_cb, &wait);
  wait_done (&wait);
  g_assert_no_error (wait.error);
  g_assert_true (kwb_gdb_index_is_kept (index));
  after = kwb_gdb_index_dup_symbol_file (index);
  g_assert_cmpstr (after, !=, prog);
  g_assert_true (g_str_has_prefix (after, tmp));
  elf = kwb_elf_open (after, NULL);
  g_assert_nonnull (elf);
  g_assert_false (kwb_elf_has_section (elf, ".rela.debug_info"));
  g_assert_true (kwb_elf_has_section (elf, ".debug_info"));
  kwb_elf_free (elf);
  /* GDB finds the same lines in the copy, through the index. */
  {
    g_autofree char *dir = kwb_gdb_index_dup_cache_dir ();
    g_autofree char *set_dir = g_strdup_printf ("set index-cache directory %s", dir);
    const char *argv[] = { "gdb", "-batch", "-nx", "-iex", set_dir, "-iex", "set index-cache on",
                           "-ex", "info line main", "-ex", "show index-cache stats", after, NULL };
    g_autofree char *out = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, &out, NULL, &status, NULL));
    g_test_message ("%s", out);
    g_assert_nonnull (strstr (out, "prog.c\" starts at address"));
    g_assert_nonnull (strstr (out, "Cache hits (this session): 1"));
  }
}

/* Cancelled: GDB is killed, no success, and "writing" ends. */
static void
test_cancel (void)
{
  g_autofree char *exe = self_path ();
  g_autoptr(KwbGdbIndex) index = kwb_gdb_index_new ("gdb", exe);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait wait = { 0 };

  kwb_gdb_index_write_async (index, cancellable, write_cb, &wait);
  g_assert_true (kwb_gdb_index_get_writing (index));
  g_cancellable_cancel (cancellable);
  wait_done (&wait);
  g_assert_false (wait.ok);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (kwb_gdb_index_get_writing (index));
  g_clear_error (&wait.error);
}

/* No build-id: nothing to name an index by, said at once. */
static void
test_no_build_id (void)
{
  g_autofree char *path = g_build_filename (tmp, "no-elf", NULL);
  g_autoptr(KwbGdbIndex) index = NULL;
  Wait wait = { 0 };

  g_assert_true (g_file_set_contents (path, "not an ELF file", -1, NULL));
  index = kwb_gdb_index_new ("gdb", path);
  g_assert_null (kwb_gdb_index_get_build_id (index));
  g_assert_false (kwb_gdb_index_is_kept (index));
  kwb_gdb_index_write_async (index, NULL, write_cb, &wait);
  wait_done (&wait);
  g_assert_error (wait.error, KWB_GDB_INDEX_ERROR, KWB_GDB_INDEX_ERROR_NO_BUILD_ID);
  g_assert_false (kwb_gdb_index_get_writing (index));
  g_clear_error (&wait.error);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache = NULL;
  g_autofree char *gdb = g_find_program_in_path ("gdb");
  g_autofree char *command = NULL;
  int status;

  tmp = g_dir_make_tmp ("kwb-gdb-index-XXXXXX", NULL);
  cache = g_build_filename (tmp, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);
  if (gdb == NULL)
    {
      g_printerr ("gdb is not installed (Debian package gdb)\n");
      return 1;
    }
  g_test_add_func ("/gdb-index/write", test_write);
  g_test_add_func ("/gdb-index/strip-relocations", test_strip_relocations);
  g_test_add_func ("/gdb-index/cancel", test_cancel);
  g_test_add_func ("/gdb-index/no-build-id", test_no_build_id);
  status = g_test_run ();
  command = g_strdup_printf ("rm -rf '%s'", tmp);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  return status;
}
