/* module-load.c — insmod with automatic module symbols vs no debugger vs the kernel's lx-symbols
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test module (tests/data/modules/kwb_test_mod) is built against the
 * fixture kernel; the same guest (TCG) boots three ways and its shell runs
 * `insmod kwb_test_mod.ko; echo MARK` RUNS times
 * (rmmod in between, not timed), timed from the keystrokes to the marker
 * on the console:
 *   bare        QEMU alone, no debugger attached
 *   kwb         KwbSession + KwbModules (under TCG: silent watchpoints on
 *               the module list and the module's sect_attrs,
 *               add-symbol-file, continue)
 *   lx-symbols  KwbSession + the kernel's own `lx-symbols DIR` (its Python
 *               breakpoint reloads every module's symbols on each load)
 * Medians and ratios are printed; never fails on time. Needs
 * KWB_FIXTURE_PROJECT, or with --kernel=6.12 KWB_FIXTURE_612_PROJECT
 * (struct module's mem[] layout).
 */
#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

#define DEADLINE_S 180

static int runs = 5;

typedef enum { MODE_BARE, MODE_KWB, MODE_LX } Mode;

typedef struct {
  KwbProject *project;
  KwbQemu    *qemu;      /* MODE_BARE */
  KwbSession *session;
  KwbModules *modules;
  GString    *console;
  gboolean    done;
  gboolean    ok;
  char       *text;
  GError     *error;
} Guest;

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_flag (gboolean *flag)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (DEADLINE_S, deadline_cb, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return *flag;
}

static gboolean
wait_console (Guest      *guest,
              const char *needle,
              gsize       from)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (DEADLINE_S, deadline_cb, &expired);

  while (strstr (guest->console->str + from, needle) == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return strstr (guest->console->str + from, needle) != NULL;
}

static void
on_console (KwbQemu *qemu,
            GBytes  *bytes,
            Guest   *guest)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append_len (guest->console, data, len);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Guest *guest = user_data;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  g_clear_error (&guest->error);
  g_clear_pointer (&guest->text, g_free);
  if (tag == kwb_session_start_async)
    guest->ok = kwb_session_start_finish (KWB_SESSION (object), result, &guest->error);
  else if (tag == kwb_session_stop_async)
    guest->ok = kwb_session_stop_finish (KWB_SESSION (object), result, &guest->error);
  else if (tag == kwb_session_console_async)
    {
      guest->text = kwb_session_console_finish (KWB_SESSION (object), result, &guest->error);
      guest->ok = guest->text != NULL;
    }
  else if (tag == kwb_qemu_start_async)
    guest->ok = kwb_qemu_start_finish (KWB_QEMU (object), result, &guest->error);
  else if (tag == kwb_qemu_stop_async)
    guest->ok = kwb_qemu_stop_finish (KWB_QEMU (object), result, &guest->error);
  else if (tag == kwb_module_build_build_async)
    guest->ok = kwb_module_build_build_finish (KWB_MODULE_BUILD (object), result, &guest->error);
  else if (tag == kwb_initramfs_build_async)
    {
      guest->text = kwb_initramfs_build_finish (KWB_INITRAMFS (object), result, &guest->error);
      guest->ok = guest->text != NULL;
    }
  guest->done = TRUE;
}

#define CALL(g, expr) \
  G_STMT_START { (g)->done = FALSE; expr; if (!wait_flag (&(g)->done)) g_error ("timed out: %s", #expr); \
                 if ((g)->error) g_error ("%s: %s", #expr, (g)->error->message); } G_STMT_END

static KwbQemu *
guest_qemu (Guest *guest)
{
  return guest->qemu ? guest->qemu : kwb_session_get_qemu (guest->session);
}

static void
type (Guest      *guest,
      const char *text)
{
  kwb_qemu_console_write (guest_qemu (guest), text, -1, NULL);
}

static void
shell (Guest      *guest,
       const char *command)
{
  static guint serial;
  guint id = ++serial;
  g_autofree char *marker = g_strdup_printf ("mark-%u-%u", id, id * 7);
  g_autofree char *line = g_strdup_printf ("%s; echo mark-%u-$((%u*7))\r", command, id, id);
  gsize from = guest->console->len;

  type (guest, line);
  if (!wait_console (guest, marker, from))
    g_error ("no marker after “%s”; console:\n%s", command, guest->console->str);
}

static void
guest_boot (Guest      *guest,
            Mode        mode,
            const char *module_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbSessionConfig) config = kwb_session_config_new_for_project (guest->project, &error);

  if (config == NULL)
    g_error ("%s", error->message);
  guest->console = g_string_new (NULL);
  if (mode == MODE_BARE)
    {
      guest->qemu = kwb_session_config_create_qemu (config);
      kwb_qemu_set_freeze (guest->qemu, FALSE);
      kwb_qemu_set_watch_console (guest->qemu, TRUE);
      g_signal_connect (guest->qemu, "console-output", G_CALLBACK (on_console), guest);
      CALL (guest, kwb_qemu_start_async (guest->qemu, NULL, done_cb, guest));
    }
  else
    {
      guest->session = kwb_session_new (config);
      if (mode == MODE_KWB)
        guest->modules = kwb_modules_new (guest->session);
      CALL (guest, kwb_session_start_async (guest->session, NULL, done_cb, guest));
      g_signal_connect (kwb_session_get_qemu (guest->session), "console-output", G_CALLBACK (on_console), guest);
    }
  if (!wait_console (guest, "Please press Enter", 0))
    g_error ("the guest did not boot:\n%s", guest->console->str);
  type (guest, "\r");
  if (!wait_console (guest, "/ # ", 0))
    g_error ("no shell:\n%s", guest->console->str);
  /* Once the kernel is up: lx-symbols reads `modules` at once. */
  if (mode == MODE_LX)
    {
      g_autofree char *command = g_strdup_printf ("lx-symbols %s", module_dir);

      CALL (guest, kwb_session_console_async (guest->session, command, NULL, done_cb, guest));
    }
}

static void
guest_stop (Guest *guest)
{
  if (guest->qemu != NULL)
    CALL (guest, kwb_qemu_stop_async (guest->qemu, NULL, done_cb, guest));
  else
    CALL (guest, kwb_session_stop_async (guest->session, NULL, done_cb, guest));
  g_clear_object (&guest->modules);
  g_clear_object (&guest->session);
  g_clear_object (&guest->qemu);
  g_string_free (guest->console, TRUE);
  guest->console = NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median_of (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

/* RUNS timed insmods in one booted guest. */
static GArray *
measure (Guest      *guest,
         Mode        mode,
         const char *module_dir)
{
  GArray *times = g_array_new (FALSE, FALSE, sizeof (double));

  guest_boot (guest, mode, module_dir);
  for (int i = 0; i < runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double seconds;

      shell (guest, "insmod /lib/modules/$(uname -r)/kwb_test_mod.ko");
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      g_array_append_val (times, seconds);
      if (strstr (guest->console->str, "kwb_test_mod: loaded") == NULL)
        g_error ("insmod did not load the module:\n%s", guest->console->str);

      /* The debugger sides did their work: the symbols are there. */
      if (mode != MODE_BARE && i == 0)
        {
          CALL (guest, kwb_session_console_async (guest->session, "info address kwb_test_mod_poke",
                                                  NULL, done_cb, guest));
          if (strstr (guest->text, "kwb_test_mod_poke") == NULL)
            g_error ("no module symbols after insmod: %s", guest->text);
        }
      shell (guest, "rmmod kwb_test_mod");
    }
  guest_stop (guest);
  return times;
}

int
main (int    argc,
      char **argv)
{
  const char *kernel_name = "6.1";
  const char *variable = "KWB_FIXTURE_PROJECT";
  const char *fixture;
  g_autofree char *tmp = g_dir_make_tmp ("kwb-bench-modules-XXXXXX", NULL);
  g_autofree char *project_dir = g_build_filename (tmp, "p", NULL);
  g_autofree char *source = NULL;
  g_autofree char *module_dir = NULL;
  g_autoptr(KwbProject) fixture_project = NULL;
  g_autoptr(KwbModuleBuild) build = NULL;
  g_autoptr(KwbInitramfs) initramfs = NULL;
  g_autofree char *kernel_build = NULL;
  g_autoptr(GError) error = NULL;
  Guest guest = { 0 };
  GArray *bare, *ours, *lx;
  double m_bare, m_ours, m_lx;
  const char *env_runs = g_getenv ("KWB_BENCH_RUNS");

  if (env_runs != NULL && atoi (env_runs) > 0)
    runs = atoi (env_runs);
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--kernel=6.12"))
      {
        kernel_name = "6.12";
        variable = "KWB_FIXTURE_612_PROJECT";
      }
  fixture = g_getenv (variable);
  if (fixture == NULL)
    {
      g_printerr ("%s is not set: run build-aux/test, or export what build-aux/fixtures prints\n", variable);
      return 1;
    }
  fixture_project = kwb_project_load (fixture, &error);
  if (fixture_project == NULL)
    g_error ("%s", error->message);
  kernel_build = kwb_project_dup_path (fixture_project, "kernel", "build-dir");

  /* A project of our own on the fixture's kernel, with the test module. */
  {
    g_autofree char *srcdir = g_strdup (g_getenv ("KWB_SOURCE_ROOT"));
    const char *projects[2] = { NULL, NULL };

    if (srcdir == NULL)
      srcdir = g_get_current_dir ();
    source = g_build_filename (srcdir, "tests", "data", "modules", "kwb_test_mod", NULL);
    projects[0] = source;
    g_mkdir_with_parents (project_dir, 0755);
    guest.project = kwb_project_new (project_dir);
    kwb_project_set_string (guest.project, "kernel", "build-dir", kernel_build);
    kwb_project_set_string_list (guest.project, "modules", "projects", projects);
    kwb_project_set_string (guest.project, "qemu", "accel", "tcg");
    kwb_project_set_int (guest.project, "qemu", "memory", 256);
    kwb_project_set_boolean (guest.project, "debug", "break-at-start", FALSE);
    kwb_project_set_boolean (guest.project, "qemu", "freeze", FALSE);
    if (!kwb_project_save (guest.project, &error))
      g_error ("%s", error->message);
  }
  build = kwb_module_build_new (guest.project);
  CALL (&guest, kwb_module_build_build_async (build, NULL, done_cb, &guest));
  initramfs = kwb_initramfs_new (guest.project);
  CALL (&guest, kwb_initramfs_build_async (initramfs, NULL, done_cb, &guest));
  module_dir = kwb_module_build_dup_build_dir (guest.project, source);

  /* Interleaved would boot 3×RUNS guests; one guest per side is enough for
   * a figure that is dominated by the insmod itself. */
  bare = measure (&guest, MODE_BARE, module_dir);
  ours = measure (&guest, MODE_KWB, module_dir);
  lx = measure (&guest, MODE_LX, module_dir);
  m_bare = median_of (bare);
  m_ours = median_of (ours);
  m_lx = median_of (lx);

  g_print ("module-load, %s (insmod kwb_test_mod.ko until the shell's next command runs; %d runs each, TCG):\n",
           kernel_name, runs);
  g_print ("  no debugger:                          median %.3f s\n", m_bare);
  g_print ("  kwb (KwbModules, automatic symbols):  median %.3f s\n", m_ours);
  g_print ("  kernel's lx-symbols (same session):   median %.3f s\n", m_lx);
  g_print ("  ratio kwb/no-debugger:   %.2f\n", m_ours / m_bare);
  g_print ("  ratio kwb/lx-symbols:    %.2f\n", m_ours / m_lx);
  g_print ("  ratio lx-symbols/no-debugger: %.2f\n", m_lx / m_bare);

  g_array_unref (bare);
  g_array_unref (ours);
  g_array_unref (lx);
  g_clear_object (&guest.project);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmp);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return 0;
}
