/* kwb-cmd-project.c — kwb init, show, set, version
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kwb-cli.h"
#include "kwb-core.h"

static void
warn_missing_defaults (KwbProject *project)
{
  g_autofree char *source = kwb_project_dup_path (project, "kernel", "source");
  g_autofree char *busybox = kwb_project_dup_path (project, "busybox", "binary");

  if (source == NULL || !g_file_test (source, G_FILE_TEST_EXISTS))
    fprintf (stderr, _("Note: no kernel source yet (%s). Install Debian's with: "
                       "sudo apt-get install linux-source-6.1\n"), source ? source : "?");
  if (!kwb_arch_is_native (kwb_arch_for_project (project)))
    {
      const KwbArch *arch = kwb_arch_for_project (project);
      const char *dir = kwb_project_get_directory (project);
      g_autofree char *missing = kwb_arch_dup_packages (arch, TRUE);

      if (*missing != '\0')
        fprintf (stderr, _("Note: an %s guest needs these Debian packages: sudo apt-get install %s\n"),
                 arch->label, missing);

      /* The host's busybox-static cannot run in this guest. */
      fprintf (stderr, _("Note: this %s guest needs a static BusyBox built for it, here from source with %sgcc. "
                         "Point the project at BusyBox's sources (apt-get source busybox, or a tarball "
                         "from busybox.net): kwb set %s busybox.tree PATH\n"),
               arch->label, arch->cross_compile, dir);
      return;
    }
  if (busybox == NULL || !g_file_test (busybox, G_FILE_TEST_IS_EXECUTABLE))
    fprintf (stderr, _("Note: no static BusyBox yet (%s). Install it with: "
                       "sudo apt-get install busybox-static\n"), busybox ? busybox : "?");
}

int
kwb_cmd_init (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *arch_name = NULL;
  const KwbArch *arch = kwb_arch_get_default ();
  int status;
  const GOptionEntry entries[] = {
    { "arch", 0, 0, G_OPTION_ARG_STRING, &arch_name,
      N_("Guest architecture: x86_64 (default) or arm64"), "ARCH" },
    { NULL }
  };

  context = g_option_context_new (_("DIR — create a project"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Creates DIR (if needed) and writes DIR/kernel-workbench.ini with defaults that work\n"
      "on Debian 12: the kernel from linux-source-6.1, BusyBox from busybox-static,\n"
      "a fast debug kernel (tinyconfig + DWARF 4, GDB scripts, no KASLR).\n"
      "An existing project is never overwritten."));
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("init takes one folder"));
  if (arch_name != NULL && (arch = kwb_arch_lookup (arch_name)) == NULL)
    return kwb_cli_usage_error (context, _("“%s” is not an architecture we run: use x86_64 or arm64"), arch_name);

  project = kwb_project_init_directory (argv[1], &error);
  if (project == NULL)
    return kwb_cli_fail (error);
  if (arch != kwb_arch_get_default () &&
      (!kwb_arch_apply_to_project (arch, project, &error) || !kwb_project_save (project, &error)))
    return kwb_cli_fail (error);

  path = kwb_project_dup_file_path (project);
  printf (_("Created %s\n"), path);
  warn_missing_defaults (project);
  return KWB_EXIT_OK;
}

static void
print_key (KwbProject          *project,
           const KwbProjectKey *k,
           gboolean             verbose)
{
  g_autofree char *value = NULL;

  if (k->type == KWB_PROJECT_VALUE_STRING_LIST)
    {
      g_auto(GStrv) list = kwb_project_dup_string_list (project, k->group, k->key);

      /* Printed as kwb set reads it back. */
      value = kwb_project_format_list ((const char * const *) list);
    }
  else
    value = kwb_project_dup_string (project, k->group, k->key);

  printf ("  %-16s = %s", k->key, value);
  if (k->type == KWB_PROJECT_VALUE_PATH && *value != '\0')
    {
      g_autofree char *resolved = kwb_project_dup_path (project, k->group, k->key);

      if (!g_str_equal (resolved, value))
        printf ("  → %s", resolved);
    }
  if (!kwb_project_is_set (project, k->group, k->key))
    printf ("  %s", _("(default)"));
  printf ("\n");
  if (verbose)
    printf ("  %-16s   %s\n", "", _(k->summary));
}

/* Whether kwb build, boot, debug, … will run it without --trust, and what it runs. */
static void
print_trust (KwbProject *project)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) runs = kwb_project_trust_dup_runs (project);

  if (kwb_project_trust_check (project, &error))
    printf ("%s\n", _("Trusted on this computer to run:"));
  else
    printf (_("Not trusted: %s Commands that run it need --trust. It would run:\n"), error->message);
  for (guint i = 0; runs[i] != NULL; i++)
    printf ("  %s\n", runs[i]);
}

int
kwb_cmd_show (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  const KwbProjectKey *schema;
  gboolean keys = FALSE;
  const char *group = NULL;
  guint n_keys;
  int status;
  GOptionEntry entries[] = {
    { "keys", 'k', 0, G_OPTION_ARG_NONE, &keys, N_("Explain every key"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("DIR — print a project"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("show takes one project folder"));

  project = kwb_project_load (argv[1], &error);
  if (project == NULL)
    return kwb_cli_fail (error);

  path = kwb_project_dup_file_path (project);
  name = kwb_project_dup_name (project);
  printf (_("Project %s (%s)\n"), name, path);
  print_trust (project);

  schema = kwb_project_get_schema (&n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      if (group == NULL || !g_str_equal (group, schema[i].group))
        {
          group = schema[i].group;
          printf ("[%s]\n", group);
        }
      print_key (project, &schema[i], keys);
    }
  return KWB_EXIT_OK;
}

/* The value of "kwb set DIR GROUP.KEY -VALUE", which GOption would report as
 * an unknown option without saying what to do. */
static const char *
find_dash_value (int    argc,
                 char **argv)
{
  int positional = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        return NULL;
      if (argv[i][0] != '-' || argv[i][1] == '\0')
        positional++;
      else if (positional == 2 && !g_str_has_prefix (argv[i], "--help") &&
               !g_str_equal (argv[i], "-h") && !g_str_equal (argv[i], "-?"))
        return argv[i];
    }
  return NULL;
}

int
kwb_cmd_set (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;
  const char *dash_value;
  int status;

  context = g_option_context_new (_("DIR GROUP.KEY [--] VALUE — change one setting"));
  g_option_context_set_summary (context,
    _("Example: kwb set myproject qemu.memory 2048\n"
      "Lists take ';' between items; inside an item write \\; for ';' and \\\\ for '\\'.\n"
      "A value that begins with '-' goes after --: kwb set myproject qemu.extra-args -- -nographic\n"
      "Values are one line: newlines and other control characters are refused.\n"
      "Other keys and comments in the file are kept."));
  if ((dash_value = find_dash_value (argc, argv)) != NULL)
    {
      g_autofree char *quoted = g_shell_quote (dash_value);

      g_set_prgname ("kwb set");
      return kwb_cli_usage_error (context, _("the value “%s” begins with '-': put -- before it "
                                             "(kwb set DIR GROUP.KEY -- %s)"), dash_value, quoted);
    }
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  /* GOption keeps "--" when what follows it begins with '-': drop it here,
   * so "kwb set P qemu.extra-args -- -nographic" sets -nographic. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--"))
      {
        memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof *argv);
        argc--;
        break;
      }
  if (argc != 4)
    return kwb_cli_usage_error (context, _("set takes a folder, GROUP.KEY and a value"));

  parts = g_strsplit (argv[2], ".", 2);
  if (g_strv_length (parts) != 2)
    {
      const KwbProjectKey *near = kwb_project_suggest_key (argv[2]);

      if (near != NULL)
        return kwb_cli_usage_error (context, _("“%s” is not GROUP.KEY; did you mean %s.%s?"),
                                    argv[2], near->group, near->key);
      return kwb_cli_usage_error (context, _("“%s” is not GROUP.KEY (e.g. qemu.memory)"), argv[2]);
    }

  project = kwb_project_load (argv[1], &error);
  if (project == NULL)
    return kwb_cli_fail (error);
  if (!kwb_project_set_value (project, parts[0], parts[1], argv[3], &error) ||
      !kwb_project_save (project, &error))
    return kwb_cli_fail (error);
  return KWB_EXIT_OK;
}

int
kwb_cmd_version (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  int status;

  context = g_option_context_new (_("— print the version"));
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return kwb_cli_usage_error (context, _("version takes no arguments"));
  printf ("kwb %s\n", PACKAGE_VERSION);
  return KWB_EXIT_OK;
}
