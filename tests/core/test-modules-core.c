/* test-modules-core.c — the parts of module support that need no guest: .ko search, GDB commands, templates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <elf.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

static char *
make_tmp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("kwb-test-modules-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_rf (const char *dir)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

static void
touch (const char *dir,
       const char *relative)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
}

/* `_` and `-` alike; a kernel build dir through modules.order (6.1's .ko
 * lines and 6.2+'s .o lines), other folders two levels deep. */
static void
test_find_ko (void)
{
  g_autofree char *tmp = make_tmp ();
  g_autofree char *kernel = g_build_filename (tmp, "kernel", NULL);
  g_autofree char *projects = g_build_filename (tmp, "modules", NULL);
  g_autofree char *user = g_build_filename (tmp, "user", NULL);
  const char *dirs[] = { kernel, projects, user, NULL };
  g_autofree char *found = NULL;
  g_autofree char *expected = NULL;

  touch (kernel, "vmlinux");
  touch (kernel, "drivers/net/dummy.ko");
  touch (kernel, "fs/fat/vfat.ko");
  touch (kernel, "drivers/hidden/not_listed.ko"); /* not in modules.order: never walked to */
  {
    g_autofree char *order = g_build_filename (kernel, "modules.order", NULL);

    g_assert_true (g_file_set_contents (order, "drivers/net/dummy.o\nfs/fat/vfat.ko\n", -1, NULL));
  }
  touch (projects, "hello_kwb/hello_kwb.ko");
  touch (user, "a/b/deep-module.ko");
  touch (user, "a/b/c/too_deep.ko");

  found = kwb_module_files_find_in (dirs, "dummy");
  expected = g_build_filename (kernel, "drivers/net/dummy.ko", NULL);
  g_assert_cmpstr (found, ==, expected);
  g_clear_pointer (&found, g_free);
  g_clear_pointer (&expected, g_free);

  found = kwb_module_files_find_in (dirs, "vfat");
  g_assert_nonnull (found);
  g_assert_true (g_str_has_suffix (found, "fs/fat/vfat.ko"));
  g_clear_pointer (&found, g_free);

  g_assert_null (kwb_module_files_find_in (dirs, "not_listed"));

  /* The kernel says hello_kwb; a user may have named the file hello-kwb. */
  found = kwb_module_files_find_in (dirs, "hello-kwb");
  g_assert_nonnull (found);
  g_assert_true (g_str_has_suffix (found, "hello_kwb/hello_kwb.ko"));
  g_clear_pointer (&found, g_free);
  found = kwb_module_files_find_in (dirs, "deep_module");
  g_assert_nonnull (found);
  g_assert_true (g_str_has_suffix (found, "a/b/deep-module.ko"));
  g_clear_pointer (&found, g_free);

  g_assert_null (kwb_module_files_find_in (dirs, "too_deep"));
  g_assert_null (kwb_module_files_find_in (dirs, "nowhere"));
  g_assert_null (kwb_module_files_find_in (NULL, "dummy"));
  rm_rf (tmp);
}

/* The search path of a project, in order, without repeats. */
static void
test_module_files (void)
{
  g_autofree char *tmp = make_tmp ();
  g_autoptr(KwbProject) project = kwb_project_new (tmp);
  g_autoptr(KwbModuleFiles) files = NULL;
  g_autofree char *kernel = g_build_filename (tmp, "kernel", NULL);
  g_autofree char *extra = g_build_filename (tmp, "extra", NULL);
  g_autofree char *found = NULL;
  const char *search[] = { "extra", "/elsewhere", NULL };
  const char * const *path;
  guint n;

  kwb_project_set_string_list (project, "modules", "search-path", search);
  files = kwb_module_files_new_for_project (project, kernel);
  kwb_module_files_add_dir (files, kernel);
  kwb_module_files_add_dir (files, NULL);
  path = kwb_module_files_get_search_path (files);
  n = g_strv_length ((char **) path);
  g_assert_cmpstr (path[0], ==, kernel);
  g_assert_cmpstr (path[n - 2], ==, extra);
  g_assert_cmpstr (path[n - 1], ==, "/elsewhere");
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      g_assert_cmpstr (path[i], !=, path[j]);

  g_assert_null (kwb_module_files_find (files, "hello"));
  touch (extra, "sub/hello.ko");
  found = kwb_module_files_find (files, "hello");
  g_assert_true (g_str_has_suffix (found, "/extra/sub/hello.ko"));
  rm_rf (tmp);
}

/* lx-symbols' way: .text positional, the other sections with -s, the
 * loader's symbol tables left out; paths GDB's CLI would split, quoted. */
static void
test_add_symbol_file_command (void)
{
  g_autoptr(KwbModule) module = kwb_module_new ("hello", 0xffffffffa0002000);
  g_autofree char *command = NULL;
  g_autofree char *quoted = NULL;
  guint64 address = 0;

  kwb_module_set_text_address (module, 0xffffffffa0000000);
  kwb_module_add_section (module, ".note.gnu.build-id", 0xffffffffa0001000);
  kwb_module_add_section (module, ".text", 0xffffffffa0000010);
  kwb_module_add_section (module, ".init.text", 0xffffffffa0005000);
  kwb_module_add_section (module, ".data", 0xffffffffa0002000);
  kwb_module_add_section (module, ".bss", 0xffffffffa00022c0);
  kwb_module_add_section (module, ".symtab", 0xffffffffa0003000);
  kwb_module_add_section (module, ".strtab", 0xffffffffa0004000);
  g_assert_cmpuint (kwb_module_get_n_sections (module), ==, 7);
  g_assert_true (kwb_module_lookup_section (module, ".bss", &address));
  g_assert_cmphex (address, ==, 0xffffffffa00022c0);
  g_assert_false (kwb_module_lookup_section (module, ".rodata", NULL));

  command = kwb_module_dup_add_symbol_file_command (module, "/b/hello.ko");
  g_assert_cmpstr (command, ==,
                   "add-symbol-file /b/hello.ko 0xffffffffa0000010"
                   " -s .note.gnu.build-id 0xffffffffa0001000"
                   " -s .init.text 0xffffffffa0005000"
                   " -s .data 0xffffffffa0002000"
                   " -s .bss 0xffffffffa00022c0");
  quoted = kwb_module_dup_add_symbol_file_command (module, "/my modules/\"x\".ko");
  g_assert_true (g_str_has_prefix (quoted, "add-symbol-file \"/my modules/\\\"x\\\".ko\" 0x"));
}

/* Names come from guest memory: anything outside [A-Za-z0-9_.-] (or
 * leading '-', or too long, or empty) is shown escaped and never reaches a
 * GDB command. */
static void
test_hostile_names (void)
{
  static const char * const hostile[] = {
    "evil\nshell rm -rf ~",          /* a newline ends a GDB command */
    "a;b",
    "x\" -s .text 0",
    "$(reboot)",
    "-readnow",                     /* an option, not a section */
    "caf\xc3\xa9",                   /* valid UTF-8, still not a module name */
    "bad\xff\xfeutf8",
    "tab\there",
    "",
  };
  g_autofree char *long_name = g_strnfill (KWB_MODULE_NAME_MAX + 1, 'a');
  g_autofree char *longest = g_strnfill (KWB_MODULE_NAME_MAX, 'a');
  g_autoptr(KwbModule) module = NULL;
  g_autofree char *command = NULL;

  g_assert_true (kwb_module_name_is_safe ("kwb_test_mod"));
  g_assert_true (kwb_module_name_is_safe (".note.gnu.build-id"));
  g_assert_true (kwb_module_name_is_safe ("__ksymtab_gpl"));
  g_assert_true (kwb_module_name_is_safe (longest));
  g_assert_false (kwb_module_name_is_safe (long_name));
  g_assert_false (kwb_module_name_is_safe (NULL));

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(KwbModule) evil = kwb_module_new (hostile[i], 0x1000 + i);
      const char *shown = kwb_module_get_name (evil);

      g_assert_false (kwb_module_name_is_safe (hostile[i]));
      g_assert_false (kwb_module_get_name_is_safe (evil));
      /* Shown as printable ASCII, one line, and still not a valid name. */
      g_assert_true (g_utf8_validate (shown, -1, NULL));
      for (const char *c = shown; *c != '\0'; c++)
        g_assert_true (g_ascii_isprint (*c));
      g_assert_false (kwb_module_name_is_safe (shown));
    }
  {
    g_autoptr(KwbModule) evil = kwb_module_new ("evil\nshell", 1);

    g_assert_cmpstr (kwb_module_get_name (evil), ==, "evil\\x0ashell");
  }
  {
    g_autoptr(KwbModule) evil = kwb_module_new (long_name, 1);

    g_assert_true (g_str_has_suffix (kwb_module_get_name (evil), "…"));
    g_assert_cmpuint (strlen (kwb_module_get_name (evil)), <=, KWB_MODULE_NAME_MAX + strlen ("…"));
  }

  /* Sections: a hostile name is kept (escaped) but left out of
   * add-symbol-file, and never found by its raw name. */
  module = kwb_module_new ("hello", 0xffffffffa0002000);
  kwb_module_add_section (module, ".text", 0xffffffffa0000000);
  kwb_module_add_section (module, ".data", 0xffffffffa0001000);
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    kwb_module_add_section (module, hostile[i], 0xffffffffa0009000 + i);
  kwb_module_add_section (module, ".text\nshell id", 0xffffffffa000f000);
  g_assert_cmpuint (kwb_module_get_n_sections (module), ==, 3 + G_N_ELEMENTS (hostile));
  g_assert_false (kwb_module_lookup_section (module, "a;b", NULL));
  g_assert_cmpstr (kwb_module_get_section (module, 3, NULL), ==, "a\\x3bb");
  command = kwb_module_dup_add_symbol_file_command (module, "/b/hello.ko");
  g_assert_cmpstr (command, ==, "add-symbol-file /b/hello.ko 0xffffffffa0000000 -s .data 0xffffffffa0001000");
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_module_properties (void)
{
  g_autoptr(KwbModule) module = kwb_module_new ("hello", 0x1000);
  const char *searched[] = { "/k", "/m", NULL };
  g_autofree char *text = NULL;
  guint notified = 0;

  g_signal_connect (module, "notify::symbols-loaded", G_CALLBACK (count_cb), &notified);

  g_assert_cmpstr (kwb_module_state_to_string (kwb_module_get_state (module)), ==, "live");
  kwb_module_set_symbols_problem (module, "Symbols not found: …", searched);
  g_assert_false (kwb_module_get_symbols_loaded (module));
  g_assert_cmpstr (kwb_module_get_searched (module)[1], ==, "/m");
  text = kwb_module_dup_symbols_text (module);
  g_assert_cmpstr (text, ==, "Symbols not found: …");
  g_clear_pointer (&text, g_free);

  kwb_module_set_symbols (module, "/m/hello.ko");
  g_assert_true (kwb_module_get_symbols_loaded (module));
  g_assert_null (kwb_module_get_symbols_problem (module));
  g_assert_null (kwb_module_get_searched (module));
  g_assert_cmpuint (notified, ==, 1);
  text = kwb_module_dup_symbols_text (module);
  g_assert_nonnull (strstr (text, "/m/hello.ko"));
  kwb_module_set_symbols (module, NULL);
  g_assert_cmpuint (notified, ==, 2);
}

/* An ELF64 relocatable file with three sections; SECOND_ADDR for .data. */
static char *
write_elf (const char *dir,
           const char *name,
           guint64     second_addr)
{
  struct {
    Elf64_Ehdr ehdr;
    Elf64_Shdr shdr[3];
  } file = { 0 };
  char *path = g_build_filename (dir, name, NULL);

  memcpy (file.ehdr.e_ident, ELFMAG, SELFMAG);
  file.ehdr.e_ident[EI_CLASS] = ELFCLASS64;
  file.ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
  file.ehdr.e_ident[EI_VERSION] = EV_CURRENT;
  file.ehdr.e_type = ET_REL;
  file.ehdr.e_machine = EM_X86_64;
  file.ehdr.e_version = EV_CURRENT;
  file.ehdr.e_shoff = sizeof file.ehdr;
  file.ehdr.e_ehsize = sizeof file.ehdr;
  file.ehdr.e_shentsize = sizeof (Elf64_Shdr);
  file.ehdr.e_shnum = 3;
  file.shdr[1].sh_type = SHT_PROGBITS;
  file.shdr[2].sh_type = SHT_PROGBITS;
  file.shdr[2].sh_addr = second_addr;
  g_assert_true (g_file_set_contents (path, (const char *) &file, sizeof file, NULL));
  return path;
}

/* GDB 13 places a relocatable file's sections only when none has an
 * address (6.12's .data has one): the copy it gets has them cleared, the
 * user's file is left alone, and a clean file is used as it is. */
static void
test_gdb_readable_ko (void)
{
  g_autofree char *tmp = make_tmp ();
  g_autofree char *clean = write_elf (tmp, "clean.ko", 0);
  g_autofree char *placed = write_elf (tmp, "placed.ko", 0x30);
  g_autofree char *junk = g_build_filename (tmp, "junk.ko", NULL);
  g_autofree char *result = NULL;
  g_autofree char *again = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *original = NULL;
  g_autoptr(GError) error = NULL;
  gsize len, original_len;
  const Elf64_Shdr *shdr;

  g_setenv ("XDG_CACHE_HOME", tmp, TRUE);

  result = kwb_module_files_dup_gdb_readable (clean, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, clean);
  g_clear_pointer (&result, g_free);

  result = kwb_module_files_dup_gdb_readable (placed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, !=, placed);
  g_assert_true (g_str_has_suffix (result, "-placed.ko"));
  g_assert_true (g_file_get_contents (result, &contents, &len, NULL));
  shdr = (const Elf64_Shdr *) (contents + sizeof (Elf64_Ehdr));
  g_assert_cmphex (shdr[2].sh_addr, ==, 0);
  g_assert_true (g_file_get_contents (placed, &original, &original_len, NULL));
  shdr = (const Elf64_Shdr *) (original + sizeof (Elf64_Ehdr));
  g_assert_cmphex (shdr[2].sh_addr, ==, 0x30);
  /* Every other byte as it was: GDB reads the same file otherwise. */
  g_assert_cmpuint (len, ==, original_len);
  {
    gsize addr_at = sizeof (Elf64_Ehdr) + 2 * sizeof (Elf64_Shdr) + G_STRUCT_OFFSET (Elf64_Shdr, sh_addr);

    for (gsize i = 0; i < len; i++)
      if (i < addr_at || i >= addr_at + sizeof (Elf64_Addr))
        g_assert_cmpint (contents[i], ==, original[i]);
  }
  /* Cached: the same copy next time. */
  again = kwb_module_files_dup_gdb_readable (placed, &error);
  g_assert_cmpstr (again, ==, result);

  /* Not ELF: handed to GDB as it is (GDB says what is wrong). */
  g_assert_true (g_file_set_contents (junk, "not an ELF file", -1, NULL));
  g_clear_pointer (&result, g_free);
  result = kwb_module_files_dup_gdb_readable (junk, &error);
  g_assert_cmpstr (result, ==, junk);
  g_clear_pointer (&result, g_free);
  result = kwb_module_files_dup_gdb_readable ("/nonexistent/x.ko", &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  rm_rf (tmp);
}

/* kwb module new: the files, the project entry; bad names refused. */
static void
test_template (void)
{
  g_autofree char *tmp = make_tmp ();
  g_autoptr(KwbProject) project = kwb_project_new (tmp);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *source = NULL;
  g_autofree char *build_dir = NULL;
  g_auto(GStrv) projects = NULL;
  g_auto(GStrv) built = NULL;

  dir = kwb_module_build_new_template (project, "hello_kwb", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (dir, "/modules/hello_kwb"));
  {
    g_autofree char *c_file = g_build_filename (dir, "hello_kwb.c", NULL);

    g_assert_true (g_file_get_contents (c_file, &source, NULL, NULL));
  }
  g_assert_nonnull (strstr (source, "static int __init hello_kwb_init(void)"));
  g_assert_nonnull (strstr (source, "module_exit(hello_kwb_exit);"));
  g_assert_nonnull (strstr (source, "module_param(greeting, charp, 0644);"));
  {
    g_autofree char *kbuild = g_build_filename (dir, "Kbuild", NULL);

    g_assert_true (g_file_test (kbuild, G_FILE_TEST_IS_REGULAR));
  }
  projects = kwb_project_dup_string_list (project, "modules", "projects");
  g_assert_cmpstr (projects[0], ==, "modules/hello_kwb");
  g_assert_null (projects[1]);

  g_assert_null (kwb_module_build_new_template (project, "hello_kwb", &error));
  g_assert_error (error, KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (kwb_module_build_new_template (project, "2fast", &error));
  g_assert_error (error, KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kwb_module_build_new_template (project, "a-b", &error));
  g_assert_error (error, KWB_MODULE_BUILD_ERROR, KWB_MODULE_BUILD_ERROR_INVALID);
  g_clear_error (&error);

  /* Built modules are found in [modules] build-dir/NAME, sorted. */
  build_dir = kwb_module_build_dup_build_dir (project, "modules/hello_kwb");
  g_assert_true (g_str_has_suffix (build_dir, "/build/modules/hello_kwb"));
  touch (build_dir, "z.ko");
  touch (build_dir, "a.ko");
  touch (build_dir, "a.o");
  built = kwb_module_build_dup_built_modules (project);
  g_assert_cmpuint (g_strv_length (built), ==, 2);
  g_assert_true (g_str_has_suffix (built[0], "/a.ko"));
  g_assert_true (g_str_has_suffix (built[1], "/z.ko"));
  rm_rf (tmp);
}

/* The module's address from the arguments GDB prints in the stop, as
 * GDB 13 printed them at do_init_module and free_module (recorded). */
static void
test_stop_pointer_arg (void)
{
  static const char *init_line =
    "*stopped,reason=\"breakpoint-hit\",disp=\"keep\",bkptno=\"1\",frame={addr=\"0xffffffff8107ffe2\","
    "func=\"do_init_module\",args=[{name=\"mod\",value=\"0xffffffffa0002040\"},"
    "{name=\"mod@entry\",value=\"0xffffffffa0002040\"}],file=\"include/linux/slab.h\",line=\"568\","
    "arch=\"i386:x86-64\"},thread-id=\"1\",stopped-threads=\"all\"";
  static const char *free_line =
    "*stopped,reason=\"breakpoint-hit\",disp=\"keep\",bkptno=\"2\",frame={addr=\"0xffffffff8107ff10\","
    "func=\"free_module\",args=[{name=\"mod\",value=\"0xffffffffa0002040 <__this_module>\"},"
    "{name=\"mod@entry\",value=\"0xffffffffa0002040 <__this_module>\"}],arch=\"i386:x86-64\"},"
    "thread-id=\"1\",stopped-threads=\"all\"";
  static const char *hidden_line =
    "*stopped,reason=\"breakpoint-hit\",bkptno=\"1\",frame={addr=\"0xffffffff8107ffe2\","
    "func=\"do_init_module\",args=[{name=\"mod\",value=\"<optimized out>\"},{name=\"n\",value=\"0x10zz\"}]},"
    "thread-id=\"1\"";
  g_autoptr(KwbMiRecord) init_record = kwb_mi_parse_line (init_line, -1);
  g_autoptr(KwbMiRecord) free_record = kwb_mi_parse_line (free_line, -1);
  g_autoptr(KwbMiRecord) hidden_record = kwb_mi_parse_line (hidden_line, -1);
  g_autoptr(KwbGdbStop) init_stop = kwb_gdb_stop_new (init_record);
  g_autoptr(KwbGdbStop) free_stop = kwb_gdb_stop_new (free_record);
  g_autoptr(KwbGdbStop) hidden_stop = kwb_gdb_stop_new (hidden_record);
  guint64 address = 0;

  g_assert_true (kwb_gdb_stop_get_pointer_arg (init_stop, "mod", &address));
  g_assert_cmphex (address, ==, 0xffffffffa0002040);
  address = 0;
  g_assert_true (kwb_gdb_stop_get_pointer_arg (free_stop, "mod", &address));
  g_assert_cmphex (address, ==, 0xffffffffa0002040);
  g_assert_false (kwb_gdb_stop_get_pointer_arg (free_stop, "info", &address));
  /* Not a number, or not only one: no address. */
  g_assert_false (kwb_gdb_stop_get_pointer_arg (hidden_stop, "mod", &address));
  g_assert_false (kwb_gdb_stop_get_pointer_arg (hidden_stop, "n", &address));
  g_assert_cmphex (address, ==, 0xffffffffa0002040);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/modules/find-ko", test_find_ko);
  g_test_add_func ("/modules/module-files", test_module_files);
  g_test_add_func ("/modules/add-symbol-file-command", test_add_symbol_file_command);
  g_test_add_func ("/modules/module-properties", test_module_properties);
  g_test_add_func ("/modules/hostile-names", test_hostile_names);
  g_test_add_func ("/modules/gdb-readable-ko", test_gdb_readable_ko);
  g_test_add_func ("/modules/template", test_template);
  g_test_add_func ("/modules/stop-pointer-arg", test_stop_pointer_arg);
  return g_test_run ();
}
