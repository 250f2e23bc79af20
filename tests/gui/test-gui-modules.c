/* test-gui-modules.c — the Modules page on a real session (fixture kernel, under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test module and one whose .ko is off the search path are built
 * against the fixture kernel and loaded from the guest's shell; the page
 * must list both with their state, address and symbols (or the reason),
 * filter by name, and load symbols from a chosen file. A screenshot goes
 * to BUILD/tests/gui/screenshots/modules-page.png. Needs KWB_FIXTURE_PROJECT.
 */
#include "config.h"

#include <adwaita.h>

#include "kwb-core.h"
#include "kwb-modules-page.h"
#include "kwb-test-gtk-utils.h"

static char *tmp;
static KwbSession *session;
static KwbModules *modules;
static GString *console;

/* The label named NAME in the row whose title is MODULE (NULL: none shown). */
static const char *
row_label (GtkWidget  *root,
           const char *module,
           const char *name)
{
  g_autoptr(GPtrArray) rows = kwb_test_find_all (root, "module_row");
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GPtrArray) titles = kwb_test_find_all (g_ptr_array_index (rows, i), "module_title");
      g_autoptr(GPtrArray) labels = NULL;

      if (titles->len == 0 || !gtk_widget_get_mapped (g_ptr_array_index (rows, i)) ||
          g_strcmp0 (gtk_label_get_label (g_ptr_array_index (titles, 0)), module) != 0)
        continue;
      labels = kwb_test_find_all (g_ptr_array_index (rows, i), name);
      return labels->len ? gtk_label_get_label (g_ptr_array_index (labels, 0)) : NULL;
    }
  return NULL;
}

static GtkWidget *
page_entry (GtkWidget *page)
{
  g_autoptr(GPtrArray) found = kwb_test_find_all (page, "modules_filter");
  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

/* ---- the session ---- */

typedef struct {
  gboolean  done;
  GError   *error;
  char     *text;
} Call;

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  if (tag == kwb_session_start_async)
    kwb_session_start_finish (KWB_SESSION (object), result, &call->error);
  else if (tag == kwb_session_stop_async)
    kwb_session_stop_finish (KWB_SESSION (object), result, &call->error);
  else if (tag == kwb_module_build_build_async)
    kwb_module_build_build_finish (KWB_MODULE_BUILD (object), result, &call->error);
  else if (tag == kwb_initramfs_build_async)
    call->text = kwb_initramfs_build_finish (KWB_INITRAMFS (object), result, &call->error);
  call->done = TRUE;
}

static void
run (Call *call)
{
  kwb_test_wait_until (kwb_test_flag_set, &call->done, "a call to finish");
  g_assert_no_error (call->error);
  g_free (call->text);
}

static KwbProject *
make_project (const char *dir,
              const char *module,
              const char *fixture_build)
{
  g_autofree char *source = g_build_filename (g_getenv ("KWB_SOURCE_ROOT"), "tests", "data", "modules", module, NULL);
  const char *projects[] = { source, NULL };
  KwbProject *project = kwb_project_new (dir);
  g_autoptr(KwbModuleBuild) build = NULL;
  Call call = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  kwb_project_set_string (project, "kernel", "build-dir", fixture_build);
  kwb_project_set_string_list (project, "modules", "projects", projects);
  kwb_project_set_string (project, "qemu", "accel", "tcg");
  kwb_project_set_int (project, "qemu", "memory", 256);
  kwb_project_set_boolean (project, "debug", "break-at-start", FALSE);
  kwb_project_set_boolean (project, "qemu", "freeze", FALSE);
  g_assert_true (kwb_project_save (project, NULL));
  build = kwb_module_build_new (project);
  kwb_module_build_build_async (build, NULL, call_cb, &call);
  run (&call);
  return project;
}

static void
on_console (KwbQemu *qemu,
            GBytes  *bytes,
            gpointer user_data)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append_len (console, data, len);
}

static gboolean console_has (gpointer data) { return strstr (console->str, data) != NULL; }
static gboolean modules_ready (gpointer data) { return kwb_modules_get_ready (modules); }

static gboolean
module_tried (gpointer data)
{
  KwbModule *module = kwb_modules_lookup (modules, data);

  return module != NULL && (kwb_module_get_symbols_loaded (module) || kwb_module_get_symbols_problem (module));
}

static gboolean
symbols_loaded (gpointer data)
{
  KwbModule *module = kwb_modules_lookup (modules, data);

  return module != NULL && kwb_module_get_symbols_loaded (module);
}

static gboolean
one_module_shown (gpointer page)
{
  return g_list_model_get_n_items (kwb_modules_page_get_model (page)) == 1;
}

static gboolean
module_gone (gpointer name)
{
  return kwb_modules_lookup (modules, name) == NULL;
}

typedef struct {
  GtkWidget  *root;
  const char *module;
  const char *name;
  const char *needle;
} RowWait;

static gboolean
row_shows (gpointer data)
{
  RowWait *w = data;
  const char *text = row_label (w->root, w->module, w->name);

  return text != NULL && strstr (text, w->needle) != NULL;
}

static void
shell (const char *command,
       const char *marker)
{
  g_autofree char *line = g_strdup_printf ("%s\r", command);

  kwb_qemu_console_write (kwb_session_get_qemu (session), line, -1, NULL);
  kwb_test_wait_until (console_has, (gpointer) marker, marker);
}

static void
test_modules_page (void)
{
  const char *fixture = g_getenv ("KWB_FIXTURE_PROJECT");
  g_autoptr(KwbProject) fixture_project = NULL;
  g_autofree char *fixture_build = NULL;
  g_autofree char *lost_dir = g_build_filename (tmp, "lost", NULL);
  g_autofree char *main_dir = g_build_filename (tmp, "p", NULL);
  g_autoptr(KwbProject) lost = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbInitramfs) initramfs = NULL;
  g_autoptr(KwbSessionConfig) config = NULL;
  g_auto(GStrv) lost_kos = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *address = NULL;
  GtkWidget *window, *page;
  KwbModule *module;
  Call call = { 0 };

  if (fixture == NULL)
    g_error ("KWB_FIXTURE_PROJECT is not set: run build-aux/test");
  fixture_project = kwb_project_load (fixture, NULL);
  g_assert_nonnull (fixture_project);
  fixture_build = kwb_project_dup_path (fixture_project, "kernel", "build-dir");
  lost = make_project (lost_dir, "kwb_lost_mod", fixture_build);
  lost_kos = kwb_module_build_dup_built_modules (lost);
  project = make_project (main_dir, "kwb_test_mod", fixture_build);
  kwb_project_set_string_list (project, "initramfs", "modules", (const char * const *) lost_kos);
  g_assert_true (kwb_project_save (project, NULL));
  initramfs = kwb_initramfs_new (project);
  kwb_initramfs_build_async (initramfs, NULL, call_cb, &call);
  run (&call);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 480);
  page = kwb_modules_page_new ();
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpuint (g_list_model_get_n_items (kwb_modules_page_get_model (KWB_MODULES_PAGE (page))), ==, 0);

  config = kwb_session_config_new_for_project (project, NULL);
  g_assert_nonnull (config);
  session = kwb_session_new (config);
  modules = kwb_modules_new (session);
  kwb_modules_page_set_modules (KWB_MODULES_PAGE (page), modules);
  memset (&call, 0, sizeof call);
  kwb_session_start_async (session, NULL, call_cb, &call);
  run (&call);
  g_signal_connect (kwb_session_get_qemu (session), "console-output", G_CALLBACK (on_console), NULL);
  kwb_test_wait_until (modules_ready, NULL, "the module breakpoints");
  kwb_test_wait_until (console_has, (gpointer) "Please press Enter", "the shell");
  shell ("", "/ # ");
  shell ("insmod /lib/modules/$(uname -r)/kwb_test_mod.ko", "kwb_test_mod: loaded");
  shell ("insmod /lib/modules/$(uname -r)/kwb_lost_mod.ko", "kwb_lost_mod: loaded");
  kwb_test_wait_until (module_tried, (gpointer) "kwb_lost_mod", "the lost module");

  /* Both rows: name, state, address; symbols or why not. */
  module = kwb_modules_lookup (modules, "kwb_test_mod");
  address = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", kwb_module_get_text_address (module));
  {
    RowWait w = { window, "kwb_test_mod", "module_subtitle", address };

    kwb_test_wait_until (row_shows, &w, "the test module's row");
  }
  {
    RowWait w = { window, "kwb_lost_mod", "module_subtitle", "live" };

    kwb_test_wait_until (row_shows, &w, "the lost module to be live");
  }
  g_assert_nonnull (strstr (row_label (window, "kwb_test_mod", "module_symbols"), "kwb_test_mod.ko"));
  g_assert_nonnull (strstr (row_label (window, "kwb_lost_mod", "module_symbols"), "not found"));
  g_assert_cmpuint (g_list_model_get_n_items (kwb_modules_page_get_model (KWB_MODULES_PAGE (page))), ==, 2);
  kwb_test_save_screenshot (window, "modules-page.png");

  /* The filter: by name, `-` and `_` alike. */
  kwb_modules_page_set_filter_text (KWB_MODULES_PAGE (page), "lost");
  g_assert_cmpuint (g_list_model_get_n_items (kwb_modules_page_get_model (KWB_MODULES_PAGE (page))), ==, 1);
  kwb_modules_page_set_filter_text (KWB_MODULES_PAGE (page), "KWB-TEST");
  g_assert_cmpuint (g_list_model_get_n_items (kwb_modules_page_get_model (KWB_MODULES_PAGE (page))), ==, 1);
  {
    g_autoptr(KwbModule) shown = g_list_model_get_item (kwb_modules_page_get_model (KWB_MODULES_PAGE (page)), 0);

    g_assert_cmpstr (kwb_module_get_name (shown), ==, "kwb_test_mod");
  }
  /* Typed in the entry, as a user does. */
  gtk_editable_set_text (GTK_EDITABLE (page_entry (page)), "lost_m");
  kwb_test_wait_until (one_module_shown, page, "the typed filter");
  kwb_modules_page_set_filter_text (KWB_MODULES_PAGE (page), "");
  g_assert_cmpuint (g_list_model_get_n_items (kwb_modules_page_get_model (KWB_MODULES_PAGE (page))), ==, 2);

  /* Load Symbols From… a chosen file: the row follows. */
  {
    g_autoptr(GFile) ko = g_file_new_for_path (lost_kos[0]);
    RowWait w = { window, "kwb_lost_mod", "module_symbols", "kwb_lost_mod.ko" };

    kwb_modules_page_load_symbols_from (KWB_MODULES_PAGE (page), kwb_modules_lookup (modules, "kwb_lost_mod"), ko);
    kwb_test_wait_until (symbols_loaded, (gpointer) "kwb_lost_mod", "symbols from the chosen file");
    kwb_test_wait_until (row_shows, &w, "the lost module's row to show its symbols");
  }

  /* rmmod: the row goes. */
  shell ("rmmod kwb_test_mod; echo gone-$((6*7))", "gone-42");
  {
    RowWait w = { window, "kwb_lost_mod", "module_title", "kwb_lost_mod" };

    kwb_test_wait_until (row_shows, &w, "the list to settle");
  }
  kwb_test_wait_until (module_gone, (gpointer) "kwb_test_mod", "the removed module to leave the list");
  g_assert_cmpuint (g_list_model_get_n_items (kwb_modules_page_get_model (KWB_MODULES_PAGE (page))), ==, 1);

  memset (&call, 0, sizeof call);
  kwb_session_stop_async (session, NULL, call_cb, &call);
  run (&call);
  kwb_modules_page_set_modules (KWB_MODULES_PAGE (page), NULL);
  g_clear_object (&modules);
  g_clear_object (&session);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!kwb_test_init (&argc, &argv))
    return g_test_run ();
  console = g_string_new (NULL);
  tmp = g_dir_make_tmp ("kwb-gui-modules-XXXXXX", NULL);
  g_test_add_func ("/gui/modules/page", test_modules_page);
  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmp);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return status;
}
