/* kwb-cli-trust.c — the --trust option, and the check before a command runs a project's programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command that runs a program the project chooses (QEMU, GDB, make on
 * its source trees, its BusyBox) loads the project, then calls
 * kwb_cli_check_trust() before anything starts. An untrusted project (see
 * kwb-project-trust.c) stops the command with exit status 1, the reason and
 * the list of what it would run; `--trust` trusts it and records that, so
 * the next command does not ask. Commands that run nothing of the
 * project's (init, show, set, module new, kernel doctor) do not ask.
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "kwb-cli.h"
#include "kwb-cli-trust.h"

void
kwb_cli_add_trust_option (GOptionContext *context,
                          gboolean       *trust)
{
  const GOptionEntry entries[] = {
    { "trust", 0, 0, G_OPTION_ARG_NONE, trust,
      N_("Trust this project to run the programs it names (asked once per project)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static void
print_runs (KwbProject *project)
{
  g_auto(GStrv) runs = kwb_project_trust_dup_runs (project);

  for (guint i = 0; runs[i] != NULL; i++)
    fprintf (stderr, "  %s\n", runs[i]);
}

/* Returns KWB_EXIT_OK when the command may go on. */
int
kwb_cli_check_trust (KwbProject *project,
                     gboolean    trust)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = kwb_project_dup_file_path (project);

  if (kwb_project_trust_check (project, &error))
    return KWB_EXIT_OK;

  if (!trust)
    {
      fprintf (stderr, "kwb: %s\n%s\n", error->message, _("It would run:"));
      print_runs (project);
      fprintf (stderr, "%s\n", _("Check these, then run again with --trust to trust this project."));
      return KWB_EXIT_FAILED;
    }

  g_clear_error (&error);
  fprintf (stderr, _("kwb: trusting %s, which runs:\n"), file);
  print_runs (project);
  if (!kwb_project_trust_grant (project, &error))
    fprintf (stderr, _("kwb: warning: %s This run goes on; the next one will ask again.\n"), error->message);
  return KWB_EXIT_OK;
}
