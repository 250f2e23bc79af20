/* test-modules.c — kernel modules under a real session: symbols, pending breakpoints, unload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Argument --kernel=6.1 (KWB_FIXTURE_PROJECT, core_layout), --kernel=6.12
 * (KWB_FIXTURE_612_PROJECT, mod->mem[]) or --kernel=arm64 (the 6.1 arm64
 * KWB_FIXTURE_ARM64_PROJECT, core_layout, modules cross compiled). The test module in
 * tests/data/modules is built against the fixture kernel by KwbModuleBuild
 * into a project of our own (the fixture stays untouched), the initramfs
 * carries it, and the guest's shell loads it with insmod. Every wait has a
 * deadline that fails the test instead of hanging; no duration is asserted.
 */
#include "config.h"

#include <signal.h>

#include <glib/gstdio.h>

#include "kwb-core.h"
#include "kwb-session-private.h"

#define DEADLINE_S 180

static const char *fixture;
static const char *kernel_name = "6.1";
static char *tmp;
static char *project_dir;
static char *lost_ko;
static char *test_mod_source;
/* A folder name GDB's command line must be given quoted: a space, both
 * quotes, a backslash, a comma and UTF-8. */
static char *odd_dir;
/* The module layout kept by the first session, for the next to read. */
static char *layout_file;
#define LAYOUT_MARK "# marked by test-modules\n"

typedef struct {
  KwbSession *session;
  KwbModules *modules;
  GString    *console;
  GPtrArray  *stops;
  gboolean    done;
  gboolean    ok;
  GError     *error;
  char       *text;
} Ctx;

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*CondFunc) (Ctx *ctx, gconstpointer data);

static gboolean
wait_until (Ctx           *ctx,
            CondFunc       cond,
            gconstpointer  data,
            guint          seconds)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (seconds, deadline_cb, &expired);

  while (!cond (ctx, data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return cond (ctx, data);
}

/* A wait that times out says what the session, the console and GDB were
 * doing: a rare failure is then understood from one log. */
static gboolean
wait_or_report (Ctx           *ctx,
                CondFunc       cond,
                gconstpointer  data,
                const char    *what)
{
  g_autofree char *transcript = NULL;
  gsize len;

  if (wait_until (ctx, cond, data, DEADLINE_S))
    return TRUE;
  g_test_message ("timed out after %d s waiting for %s; session state %s, %u stops",
                  DEADLINE_S, what, kwb_session_state_to_string (kwb_session_get_state (ctx->session)),
                  ctx->stops->len);
  len = ctx->console->len;
  g_test_message ("console (last 2000 bytes):\n%s", ctx->console->str + (len > 2000 ? len - 2000 : 0));
  transcript = kwb_gdb_dup_transcript (kwb_session_get_gdb (ctx->session));
  len = strlen (transcript);
  g_test_message ("GDB transcript (last 60000 bytes):\n%s", transcript + (len > 60000 ? len - 60000 : 0));
  return FALSE;
}

static gboolean cond_done (Ctx *ctx, gconstpointer data) { return ctx->done; }
static gboolean cond_console (Ctx *ctx, gconstpointer data) { return strstr (ctx->console->str, data) != NULL; }
static gboolean cond_state (Ctx *ctx, gconstpointer data) { return kwb_session_get_state (ctx->session) == GPOINTER_TO_INT (data); }
static gboolean cond_module (Ctx *ctx, gconstpointer data) { return kwb_modules_lookup (ctx->modules, data) != NULL; }
static gboolean cond_no_module (Ctx *ctx, gconstpointer data) { return kwb_modules_lookup (ctx->modules, data) == NULL; }
static gboolean cond_ready (Ctx *ctx, gconstpointer data) { return kwb_modules_get_ready (ctx->modules); }

typedef struct {
  const char     *name;
  KwbModuleState  state;
} ModuleIs;

static gboolean
cond_module_is (Ctx           *ctx,
                gconstpointer  data)
{
  const ModuleIs *is = data;
  KwbModule *module = kwb_modules_lookup (ctx->modules, is->name);

  return module != NULL && kwb_module_get_state (module) == is->state;
}

static gboolean
cond_symbols_tried (Ctx           *ctx,
                    gconstpointer  data)
{
  KwbModule *module = kwb_modules_lookup (ctx->modules, data);

  return module != NULL && (kwb_module_get_symbols_loaded (module) || kwb_module_get_symbols_problem (module) != NULL);
}

#define WAIT(ctx, cond, data) g_assert_true (wait_or_report ((ctx), (cond), (data), #cond))

static void
on_console (KwbQemu *qemu,
            GBytes  *bytes,
            Ctx     *ctx)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append_len (ctx->console, data, len);
}

static void
on_stopped (KwbSession *session,
            KwbGdbStop *stop,
            Ctx        *ctx)
{
  g_ptr_array_add (ctx->stops, kwb_gdb_stop_copy (stop));
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Ctx *ctx = user_data;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  g_clear_error (&ctx->error);
  g_clear_pointer (&ctx->text, g_free);
  if (tag == kwb_session_start_async)
    ctx->ok = kwb_session_start_finish (KWB_SESSION (object), result, &ctx->error);
  else if (tag == kwb_session_stop_async)
    ctx->ok = kwb_session_stop_finish (KWB_SESSION (object), result, &ctx->error);
  else if (tag == kwb_session_break_insert_async)
    {
      g_autoptr(KwbBreakpoint) bp = kwb_session_break_insert_finish (KWB_SESSION (object), result, &ctx->error);

      ctx->ok = bp != NULL;
      ctx->text = bp ? g_strdup (kwb_breakpoint_get_number (bp)) : NULL;
    }
  else if (tag == kwb_session_console_async)
    {
      ctx->text = kwb_session_console_finish (KWB_SESSION (object), result, &ctx->error);
      ctx->ok = ctx->text != NULL;
    }
  else if (tag == kwb_session_exec_async)
    ctx->ok = kwb_session_exec_finish (KWB_SESSION (object), result, &ctx->error);
  else if (tag == kwb_module_build_build_async)
    ctx->ok = kwb_module_build_build_finish (KWB_MODULE_BUILD (object), result, &ctx->error);
  else if (tag == kwb_initramfs_build_async)
    {
      ctx->text = kwb_initramfs_build_finish (KWB_INITRAMFS (object), result, &ctx->error);
      ctx->ok = ctx->text != NULL;
    }
  else if (tag == kwb_modules_load_symbols_async)
    ctx->ok = kwb_modules_load_symbols_finish (KWB_MODULES (object), result, &ctx->error);
  else
    ctx->ok = kwb_session_break_change_finish (KWB_SESSION (object), result, &ctx->error);
  ctx->done = TRUE;
}

#define CALL(ctx, expr) \
  G_STMT_START { (ctx)->done = FALSE; expr; g_assert_true (wait_or_report ((ctx), cond_done, NULL, #expr)); } G_STMT_END

static guint
line_of (const char *path,
         const char *needle)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      return i + 1;
  g_assert_not_reached ();
}

/* A breakpoint on a function stops after its prologue: on its first body
 * line, or (with -Os and IBT's endbr64 the line table can say so) on the
 * line that names the function. Anything else is a wrong line. */
static void
assert_in_function (const KwbGdbStop *stop,
                    const char       *c_file,
                    const char       *definition,
                    const char       *marker)
{
  guint def_line = line_of (c_file, definition);
  guint marker_line = line_of (c_file, marker);

  g_assert_cmpstr (stop->fullname, ==, c_file);
  g_assert_cmpint (stop->line, >=, def_line);
  g_assert_cmpint (stop->line, <=, marker_line);
}

/* ---- the projects: built once for every test ---- */

static char *
fixture_build_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = kwb_project_load (fixture, &error);

  g_assert_no_error (error);
  return kwb_project_dup_path (project, "kernel", "build-dir");
}

static KwbProject *
make_project (const char *dir,
              const char *module_source)
{
  g_autofree char *build = fixture_build_dir ();
  const char *projects[] = { module_source, NULL };
  KwbProject *project = kwb_project_new (dir);
  g_autoptr(GError) error = NULL;

  g_autoptr(KwbProject) fixture_project = kwb_project_load (fixture, &error);
  const KwbArch *arch;

  g_assert_no_error (error);
  /* Another architecture's fixture brings its own BusyBox, built for it. */
  arch = kwb_arch_for_project (fixture_project);
  if (arch != kwb_arch_get_default ())
    {
      g_autofree char *busybox = kwb_project_dup_path (fixture_project, "busybox", "binary");

      g_assert_true (kwb_arch_apply_to_project (arch, project, &error));
      kwb_project_set_string (project, "busybox", "source", "binary");
      kwb_project_set_string (project, "busybox", "binary", busybox);
    }
  kwb_project_set_string (project, "kernel", "build-dir", build);
  kwb_project_set_string_list (project, "modules", "projects", projects);
  kwb_project_set_string (project, "qemu", "accel", "tcg");
  kwb_project_set_int (project, "qemu", "memory", 256);
  kwb_project_set_boolean (project, "debug", "break-at-start", FALSE);
  kwb_project_set_boolean (project, "qemu", "freeze", FALSE);
  g_assert_true (g_mkdir_with_parents (dir, 0755) == 0);
  g_assert_true (kwb_project_save (project, &error));
  g_assert_no_error (error);
  return project;
}

static void
build_modules (KwbProject *project)
{
  g_autoptr(KwbModuleBuild) build = kwb_module_build_new (project);
  Ctx ctx = { 0 };

  CALL (&ctx, kwb_module_build_build_async (build, NULL, done_cb, &ctx));
  if (ctx.error != NULL)
    g_printerr ("module build: %s\n", ctx.error->message);
  g_assert_no_error (ctx.error);
  g_assert_cmpuint (kwb_module_build_get_modules (build)->len, ==, 1);
}

static void
prepare_projects (void)
{
  g_autofree char *lost_dir = g_build_filename (tmp, "lost", NULL);
  g_autofree char *lost_source = g_test_build_filename (G_TEST_DIST, "data", "modules", "kwb_lost_mod", NULL);
  g_autoptr(KwbProject) lost = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbInitramfs) initramfs = NULL;
  g_autofree char *lost_abs = g_canonicalize_filename (lost_source, NULL);
  g_autofree char *test_abs = NULL;
  Ctx ctx = { 0 };

  test_mod_source = g_test_build_filename (G_TEST_DIST, "data", "modules", "kwb_test_mod", NULL);
  test_abs = g_canonicalize_filename (test_mod_source, NULL);
  g_free (test_mod_source);
  /* The user's module folder has an odd name (kbuild builds the copy, whose
   * name is plain): GDB maps the copy's file names to it. */
  odd_dir = g_build_filename (tmp, "dir a'b\"c\\d,\xc3\xa9", NULL);
  g_assert_cmpint (g_mkdir (odd_dir, 0700), ==, 0);
  {
    const char *argv[] = { "cp", "-R", test_abs, odd_dir, NULL };
    int status = -1;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  test_mod_source = g_build_filename (odd_dir, "kwb_test_mod", NULL);

  /* A module whose .ko is in nobody's search path. */
  lost = make_project (lost_dir, lost_abs);
  build_modules (lost);
  {
    g_auto(GStrv) built = kwb_module_build_dup_built_modules (lost);

    g_assert_cmpuint (g_strv_length (built), ==, 1);
    lost_ko = g_strdup (built[0]);
  }

  project_dir = g_build_filename (tmp, "p", NULL);
  project = make_project (project_dir, test_mod_source);
  {
    const char *extra[] = { lost_ko, NULL };

    kwb_project_set_string_list (project, "initramfs", "modules", extra);
    g_assert_true (kwb_project_save (project, NULL));
  }
  build_modules (project);

  /* The module project's .ko goes in without being listed. */
  initramfs = kwb_initramfs_new (project);
  CALL (&ctx, kwb_initramfs_build_async (initramfs, NULL, done_cb, &ctx));
  g_assert_no_error (ctx.error);
  g_free (ctx.text);

  /* The user's folder stays clean: kbuild wrote into the copy. */
  {
    g_autofree char *o = g_build_filename (test_mod_source, "kwb_test_mod.o", NULL);

    g_assert_false (g_file_test (o, G_FILE_TEST_EXISTS));
  }
}

/* ---- sessions ---- */

static Ctx *
ctx_new (gboolean with_modules)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = kwb_project_load (project_dir, &error);
  g_autoptr(KwbSessionConfig) config = NULL;
  Ctx *ctx = g_new0 (Ctx, 1);

  g_assert_no_error (error);
  config = kwb_session_config_new_for_project (project, &error);
  g_assert_no_error (error);
  ctx->session = kwb_session_new (config);
  if (with_modules)
    ctx->modules = kwb_modules_new (ctx->session);
  ctx->console = g_string_new (NULL);
  ctx->stops = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_gdb_stop_free);
  g_signal_connect (ctx->session, "stopped", G_CALLBACK (on_stopped), ctx);
  return ctx;
}

static void
ctx_start (Ctx *ctx)
{
  CALL (ctx, kwb_session_start_async (ctx->session, NULL, done_cb, ctx));
  g_assert_no_error (ctx->error);
  g_signal_connect (kwb_session_get_qemu (ctx->session), "console-output", G_CALLBACK (on_console), ctx);
}

static void
ctx_free (Ctx *ctx)
{
  GPid qemu_pid = kwb_session_get_qemu (ctx->session) ? kwb_qemu_get_pid (kwb_session_get_qemu (ctx->session)) : 0;

  if (kwb_session_get_state (ctx->session) != KWB_SESSION_STATE_FAILED &&
      kwb_session_get_state (ctx->session) != KWB_SESSION_STATE_IDLE)
    CALL (ctx, kwb_session_stop_async (ctx->session, NULL, done_cb, ctx));
  if (qemu_pid > 0)
    g_assert_cmpint (kill (qemu_pid, 0), !=, 0);
  g_clear_object (&ctx->modules);
  g_object_unref (ctx->session);
  g_string_free (ctx->console, TRUE);
  g_ptr_array_unref (ctx->stops);
  g_clear_error (&ctx->error);
  g_free (ctx->text);
  g_free (ctx);
}

static void
type (Ctx        *ctx,
      const char *line)
{
  kwb_qemu_console_write (kwb_session_get_qemu (ctx->session), line, -1, NULL);
}

static void
boot_to_shell (Ctx *ctx)
{
  WAIT (ctx, cond_console, "Please press Enter");
  type (ctx, "\r");
  WAIT (ctx, cond_console, "/ # ");
}

/* Runs a shell command and waits for its end marker. */
static void
shell (Ctx        *ctx,
       const char *command)
{
  static guint serial;
  guint id = ++serial;
  g_autofree char *marker = g_strdup_printf ("done-%u-%u", id, id * 7);
  g_autofree char *marker_cmd = g_strdup_printf ("done-%u-$((%u*7))", id, id);
  g_autofree char *line = g_strdup_printf ("%s; echo %s\r", command, marker_cmd);

  type (ctx, line);
  WAIT (ctx, cond_console, marker);
}

static const KwbGdbStop *
wait_stop (Ctx *ctx,
           guint n_before)
{
  WAIT (ctx, cond_state, GINT_TO_POINTER (KWB_SESSION_STATE_STOPPED));
  g_assert_cmpuint (ctx->stops->len, ==, n_before + 1);
  return g_ptr_array_index (ctx->stops, ctx->stops->len - 1);
}

static void
resume (Ctx *ctx)
{
  CALL (ctx, kwb_session_exec_async (ctx->session, KWB_GDB_EXEC_CONTINUE, NULL, done_cb, ctx));
  g_assert_no_error (ctx->error);
  WAIT (ctx, cond_state, GINT_TO_POINTER (KWB_SESSION_STATE_RUNNING));
}

static guint64
guest_text_address (Ctx        *ctx,
                    const char *name)
{
  g_autofree char *command = g_strdup_printf ("cat /sys/module/%s/sections/.text", name);
  g_autoptr(GRegex) regex = g_regex_new ("\\n(0x[0-9a-f]+)\\s*\\n", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *hex = NULL;
  gsize start = ctx->console->len;

  shell (ctx, command);
  g_assert_true (g_regex_match (regex, ctx->console->str + start, 0, &match));
  hex = g_match_info_fetch (match, 1);
  return g_ascii_strtoull (hex, NULL, 16);
}

static guint
n_user_breakpoints (Ctx *ctx)
{
  return g_list_model_get_n_items (G_LIST_MODEL (kwb_session_get_breakpoints (ctx->session)));
}

/* The one file in our private cache's module-layout folder. */
static char *
dup_layout_file (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "kernel-workbench", "module-layout", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name, *found = NULL;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_assert_null (found);
      found = name;
    }
  return found ? g_build_filename (dir, found, NULL) : NULL;
}

static void
test_load_break_unload (void)
{
  Ctx *ctx = ctx_new (TRUE);
  g_autofree char *layout = NULL;
  g_autofree char *marked = NULL;
  g_autofree char *c_file = g_build_filename (test_mod_source, "kwb_test_mod.c", NULL);
  g_autofree char *init_bp = NULL;
  g_autofree char *poke_bp = NULL;
  const KwbGdbStop *stop;
  KwbModule *module;
  guint n;

  ctx_start (ctx);
  WAIT (ctx, cond_ready, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ctx->modules)), ==, 0);

  /* Set before the module exists: pending. */
  CALL (ctx, kwb_session_break_insert_async (ctx->session, "kwb_test_mod_init", KWB_GDB_BREAK_PENDING,
                                             NULL, NULL, done_cb, ctx));
  g_assert_no_error (ctx->error);
  init_bp = g_strdup (ctx->text);
  /* The session's own breakpoints and watchpoints are not listed. */
  g_assert_cmpuint (n_user_breakpoints (ctx), ==, 1);

  boot_to_shell (ctx);
  n = ctx->stops->len;
  type (ctx, "insmod /lib/modules/$(uname -r)/kwb_test_mod.ko\r");
  stop = wait_stop (ctx, n);
  g_test_message ("stopped in %s at %s:%d", stop->func, stop->fullname, stop->line);
  g_assert_cmpstr (stop->func, ==, "kwb_test_mod_init");
  g_assert_cmpstr (stop->fullname, ==, c_file);
  assert_in_function (stop, c_file, "kwb_test_mod_init(void)", "KWB-LINE: init");
  /* Before the init function ran: nothing printed yet. */
  g_assert_null (strstr (ctx->console->str, "kwb_test_mod: loaded"));
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (kwb_breakpoints_lookup (kwb_session_get_breakpoints (ctx->session),
                                                                          init_bp)), ==, 1);
  g_assert_cmpuint (n_user_breakpoints (ctx), ==, 1);

  g_test_message ("module layout: %s", kwb_modules_get_layout (ctx->modules) == KWB_MODULES_LAYOUT_MEM ?
                  "mem[]" : "core_layout");
  if (g_str_equal (kernel_name, "6.12"))
    g_assert_cmpint (kwb_modules_get_layout (ctx->modules), ==, KWB_MODULES_LAYOUT_MEM);
  else
    g_assert_cmpint (kwb_modules_get_layout (ctx->modules), ==, KWB_MODULES_LAYOUT_CORE_LAYOUT);
  module = kwb_modules_lookup (ctx->modules, "kwb_test_mod");
  g_assert_nonnull (module);
  g_assert_true (kwb_module_get_symbols_loaded (module));
  g_assert_true (g_str_has_suffix (kwb_module_get_ko_path (module), "/kwb_test_mod.ko"));
  /* Under TCG (as here) loads are followed by watchpoints, on the module
   * list and on each module's sect_attrs: a breakpoint stop would make
   * QEMU drop all the code it has translated. */
  CALL (ctx, kwb_session_console_async (ctx->session, "info breakpoints", NULL, done_cb, ctx));
  g_assert_no_error (ctx->error);
  g_test_message ("%s", ctx->text);
  g_assert_nonnull (strstr (ctx->text, "hw watchpoint"));
  g_assert_null (strstr (ctx->text, "do_init_module"));
  /* The walk at this stop reads the state: init runs. */
  WAIT (ctx, cond_module_is, (&(ModuleIs) { "kwb_test_mod", KWB_MODULE_STATE_COMING }));
  g_assert_cmpuint (kwb_module_get_size (module), >, 0);

  resume (ctx);
  WAIT (ctx, cond_console, "kwb_test_mod: loaded");
  /* Init has returned: live, without any stop the user sees. */
  g_assert_cmpint (kwb_module_get_state (module), ==, KWB_MODULE_STATE_LIVE);
  g_assert_cmpuint (ctx->stops->len, ==, n + 1);
  {
    guint64 guest = guest_text_address (ctx, "kwb_test_mod");

    g_test_message (".text: guest 0x%" G_GINT64_MODIFIER "x, model 0x%" G_GINT64_MODIFIER "x",
                    guest, kwb_module_get_text_address (module));
    g_assert_cmpuint (guest, ==, kwb_module_get_text_address (module));
  }

  /* A function of the loaded module, reached from the console. */
  CALL (ctx, kwb_session_break_insert_async (ctx->session, "kwb_test_mod_poke", 0, NULL, NULL, done_cb, ctx));
  g_assert_no_error (ctx->error);
  poke_bp = g_strdup (ctx->text);
  n = ctx->stops->len;
  type (ctx, "echo 5 > /sys/module/kwb_test_mod/parameters/poke\r");
  stop = wait_stop (ctx, n);
  g_assert_cmpstr (stop->func, ==, "kwb_test_mod_poke");
  assert_in_function (stop, c_file, "kwb_test_mod_poke(int value)", "KWB-LINE: poke");
  /* The walk at this stop reads the state init left. */
  WAIT (ctx, cond_module_is, (&(ModuleIs) { "kwb_test_mod", KWB_MODULE_STATE_LIVE }));
  CALL (ctx, kwb_session_break_delete_async (ctx->session, poke_bp, NULL, done_cb, ctx));
  resume (ctx);
  WAIT (ctx, cond_console, "poked 5, counter 6");

  /* Unload: the model drops it while the guest runs, and GDB forgets it. */
  shell (ctx, "rmmod kwb_test_mod");
  WAIT (ctx, cond_no_module, "kwb_test_mod");
  g_assert_cmpint (kwb_session_get_state (ctx->session), ==, KWB_SESSION_STATE_RUNNING);
  CALL (ctx, kwb_session_console_async (ctx->session, "info address kwb_test_mod_poke", NULL, done_cb, ctx));
  g_test_message ("after rmmod: %s", ctx->error ? ctx->error->message : ctx->text);
  g_assert_nonnull (ctx->error);
  g_assert_nonnull (strstr (ctx->error->message, "No symbol"));

  /* Load again: symbols again, the breakpoint hits again. */
  n = ctx->stops->len;
  type (ctx, "insmod /lib/modules/$(uname -r)/kwb_test_mod.ko\r");
  stop = wait_stop (ctx, n);
  g_assert_cmpstr (stop->func, ==, "kwb_test_mod_init");
  assert_in_function (stop, c_file, "kwb_test_mod_init(void)", "KWB-LINE: init");
  g_assert_nonnull (kwb_modules_lookup (ctx->modules, "kwb_test_mod"));
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (kwb_breakpoints_lookup (kwb_session_get_breakpoints (ctx->session),
                                                                          init_bp)), ==, 2);
  CALL (ctx, kwb_session_break_delete_async (ctx->session, init_bp, NULL, done_cb, ctx));
  resume (ctx);
  WAIT (ctx, cond_console, "/ # ");

  /* No .ko anywhere on the search path: listed, with the reason, no stop. */
  n = ctx->stops->len;
  shell (ctx, "insmod /lib/modules/$(uname -r)/kwb_lost_mod.ko");
  WAIT (ctx, cond_symbols_tried, "kwb_lost_mod");
  module = kwb_modules_lookup (ctx->modules, "kwb_lost_mod");
  g_test_message ("lost module: %s", kwb_module_get_symbols_problem (module));
  g_assert_false (kwb_module_get_symbols_loaded (module));
  g_assert_nonnull (strstr (kwb_module_get_symbols_problem (module), "not found"));
  g_assert_nonnull (kwb_module_get_searched (module));
  g_assert_cmpstr (kwb_module_get_searched (module)[0], ==,
                   kwb_session_config_get_build_dir (kwb_session_get_config (ctx->session)));
  g_assert_nonnull (strstr (kwb_module_get_symbols_problem (module), kwb_module_get_searched (module)[0]));
  g_assert_cmpuint (ctx->stops->len, ==, n);
  g_assert_cmpint (kwb_session_get_state (ctx->session), ==, KWB_SESSION_STATE_RUNNING);

  /* "Load symbols from…" a file GDB refuses: the error says why, the
   * module keeps no symbols, and the guest runs on. */
  {
    g_autofree char *junk = g_build_filename (tmp, "junk.ko", NULL);

    g_assert_true (g_file_set_contents (junk, "not an ELF file", -1, NULL));
    CALL (ctx, kwb_modules_load_symbols_async (ctx->modules, module, junk, NULL, done_cb, ctx));
    g_test_message ("junk: %s", ctx->error ? ctx->error->message : "(no error)");
    g_assert_error (ctx->error, KWB_MODULES_ERROR, KWB_MODULES_ERROR_SYMBOLS);
    g_assert_nonnull (strstr (ctx->error->message, junk));
    g_assert_false (kwb_module_get_symbols_loaded (module));
    g_assert_cmpstr (kwb_module_get_symbols_problem (module), ==, ctx->error->message);
    WAIT (ctx, cond_state, GINT_TO_POINTER (KWB_SESSION_STATE_RUNNING));
  }

  /* "Load symbols from…" a chosen file works while the guest runs, from
   * a path add-symbol-file must be given quoted. */
  {
    g_autofree char *odd_ko = g_build_filename (odd_dir, "kwb lost'mod\"\\,\xc3\xa9.ko", NULL);
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (lost_ko, &contents, &len, NULL));
    g_assert_true (g_file_set_contents (odd_ko, contents, (gssize) len, NULL));
    CALL (ctx, kwb_modules_load_symbols_async (ctx->modules, module, odd_ko, NULL, done_cb, ctx));
    g_assert_no_error (ctx->error);
    g_assert_true (kwb_module_get_symbols_loaded (module));
    g_assert_cmpstr (kwb_module_get_ko_path (module), ==, odd_ko);
  }
  CALL (ctx, kwb_session_console_async (ctx->session, "info address kwb_lost_mod_init", NULL, done_cb, ctx));
  g_assert_no_error (ctx->error);
  g_assert_nonnull (strstr (ctx->text, "kwb_lost_mod_init"));
  WAIT (ctx, cond_state, GINT_TO_POINTER (KWB_SESSION_STATE_RUNNING));

  /* The manual way: a user breakpoint on load_module stops there. */
  shell (ctx, "rmmod kwb_lost_mod");
  WAIT (ctx, cond_no_module, "kwb_lost_mod");
  CALL (ctx, kwb_session_break_insert_async (ctx->session, "load_module", 0, NULL, NULL, done_cb, ctx));
  g_assert_no_error (ctx->error);
  n = ctx->stops->len;
  type (ctx, "insmod /lib/modules/$(uname -r)/kwb_lost_mod.ko\r");
  stop = wait_stop (ctx, n);
  g_assert_cmpstr (stop->func, ==, "load_module");
  CALL (ctx, kwb_session_break_delete_async (ctx->session, ctx->text, NULL, done_cb, ctx));
  resume (ctx);
  WAIT (ctx, cond_module, "kwb_lost_mod");
  WAIT (ctx, cond_console, "kwb_lost_mod: loaded");
  ctx_free (ctx);

  /* The layout the probe found is kept for this vmlinux; marked here so
   * the next session shows whether it read the file or probed again. */
  layout_file = dup_layout_file ();
  g_assert_nonnull (layout_file);
  g_assert_true (g_file_get_contents (layout_file, &layout, NULL, NULL));
  g_assert_nonnull (strstr (layout, "modules-head="));
  marked = g_strconcat (LAYOUT_MARK, layout, NULL);
  g_assert_true (g_file_set_contents (layout_file, marked, -1, NULL));
}

/* GDB attaches (here: the model is made) after the module loaded: its
 * symbols come at once. */
static void
test_already_loaded (void)
{
  Ctx *ctx = ctx_new (FALSE);
  KwbModule *module;

  ctx_start (ctx);
  boot_to_shell (ctx);
  shell (ctx, "insmod /lib/modules/$(uname -r)/kwb_test_mod.ko");
  g_assert_nonnull (strstr (ctx->console->str, "kwb_test_mod: loaded"));

  CALL (ctx, kwb_session_exec_async (ctx->session, KWB_GDB_EXEC_INTERRUPT, NULL, done_cb, ctx));
  g_assert_no_error (ctx->error);
  WAIT (ctx, cond_state, GINT_TO_POINTER (KWB_SESSION_STATE_STOPPED));
  ctx->modules = kwb_modules_new (ctx->session);
  WAIT (ctx, cond_ready, NULL);
  WAIT (ctx, cond_symbols_tried, "kwb_test_mod");
  module = kwb_modules_lookup (ctx->modules, "kwb_test_mod");
  g_assert_true (kwb_module_get_symbols_loaded (module));
  g_assert_cmpint (kwb_module_get_state (module), ==, KWB_MODULE_STATE_LIVE);
  CALL (ctx, kwb_session_console_async (ctx->session, "info line kwb_test_mod_poke", NULL, done_cb, ctx));
  g_assert_no_error (ctx->error);
  g_assert_nonnull (strstr (ctx->text, "kwb_test_mod.c"));

  /* And its unload is followed from here on. */
  resume (ctx);
  shell (ctx, "rmmod kwb_test_mod");
  WAIT (ctx, cond_no_module, "kwb_test_mod");
  ctx_free (ctx);

  /* This session read the layout the first one kept (not rewritten). */
  if (layout_file != NULL)
    {
      g_autofree char *layout = NULL;

      g_assert_true (g_file_get_contents (layout_file, &layout, NULL, NULL));
      g_assert_true (g_str_has_prefix (layout, LAYOUT_MARK));
    }
  else
    g_test_message ("run alone: the layout was probed, not read from a kept file");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache = NULL;
  const char *variable;
  int status;

  /* A cache of our own: what the sessions keep there is checked. */
  tmp = g_dir_make_tmp ("kwb-modules-XXXXXX", NULL);
  cache = g_build_filename (tmp, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  g_test_init (&argc, &argv, NULL);
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--kernel="))
      kernel_name = argv[i] + strlen ("--kernel=");

  variable = g_str_equal (kernel_name, "6.12") ? "KWB_FIXTURE_612_PROJECT" :
             g_str_equal (kernel_name, "arm64") ? "KWB_FIXTURE_ARM64_PROJECT" : "KWB_FIXTURE_PROJECT";
  fixture = g_getenv (variable);
  if (fixture == NULL || !g_file_test (fixture, G_FILE_TEST_IS_DIR))
    {
      /* Missing fixture is a failure, not a skip. */
      g_printerr ("%s is not set: run build-aux/test, or export what build-aux/fixtures "
                  "_build/app/cli/kwb prints\n", variable);
      return 1;
    }

  prepare_projects ();

  g_test_add_func ("/modules/load-break-unload", test_load_break_unload);
  g_test_add_func ("/modules/already-loaded", test_already_loaded);
  status = g_test_run ();

  if (g_getenv ("KWB_TEST_KEEP") == NULL)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmp);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  return status;
}
