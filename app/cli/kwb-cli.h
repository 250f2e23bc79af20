/* kwb-cli.h — the kwb subcommands, one function each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exit status of every command: 0 success, 1 the work failed (message on
 * stderr), 2 bad usage (usage on stderr).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KWB_EXIT_OK      0
#define KWB_EXIT_FAILED  1
#define KWB_EXIT_USAGE   2

typedef int (*KwbCommandFunc) (int argc, char **argv);

typedef struct {
  const char     *name;
  KwbCommandFunc  func;
  const char     *parameter; /* e.g. "DIR" */
  const char     *summary;   /* N_() */
} KwbCommand;

/* Parses argv (argv[0] is the subcommand's name) for a subcommand with a uniform --help and exit 2 on bad usage.
 * Returns FALSE with *exit_status set when the command must stop. */
gboolean  kwb_cli_parse               (GOptionContext  *context,
                                       int             *argc,
                                       char          ***argv,
                                       int             *exit_status);
int       kwb_cli_usage_error         (GOptionContext  *context,
                                       const char      *format,
                                       ...) G_GNUC_PRINTF (2, 3);
int       kwb_cli_fail                (GError          *error);
gboolean  kwb_cli_stdout_is_terminal  (void);

int       kwb_cmd_build               (int argc, char **argv);
int       kwb_cmd_init                (int argc, char **argv);
int       kwb_cmd_show                (int argc, char **argv);
int       kwb_cmd_set                 (int argc, char **argv);
int       kwb_cmd_mi                  (int argc, char **argv);
int       kwb_cmd_initramfs           (int argc, char **argv);
int       kwb_cmd_busybox             (int argc, char **argv);
int       kwb_cmd_debug               (int argc, char **argv);
int       kwb_cmd_record              (int argc, char **argv);
int       kwb_cmd_replay              (int argc, char **argv);
int       kwb_cmd_boot                (int argc, char **argv);
int       kwb_cmd_version             (int argc, char **argv);
int       kwb_cmd_kernel              (int argc, char **argv);
int       kwb_cmd_module              (int argc, char **argv);

G_END_DECLS
