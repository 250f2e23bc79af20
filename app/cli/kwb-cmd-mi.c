/* kwb-cmd-mi.c — kwb mi parse: GDB/MI output to JSON lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "kwb-cli.h"
#include "kwb-core.h"

typedef struct {
  GString *out;
  guint    n_errors;
} ParseState;

static gboolean
flush_out (GString *out)
{
  gsize done = 0;

  while (done < out->len)
    {
      ssize_t n = write (STDOUT_FILENO, out->str + done, out->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  g_string_truncate (out, 0);
  return TRUE;
}

static void
print_record (KwbMiRecord *record,
              gpointer     user_data)
{
  ParseState *state = user_data;

  if (kwb_mi_record_get_record_type (record) == KWB_MI_RECORD_ERROR)
    state->n_errors++;
  kwb_mi_record_append_json (record, state->out);
  g_string_append_c (state->out, '\n');
}

static int
mi_parse (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbMiParser) parser = NULL;
  g_autoptr(GString) out = g_string_sized_new (1 << 17);
  ParseState state = { out, 0 };
  gboolean strict = FALSE;
  char buffer[1 << 16];
  int status;
  GOptionEntry entries[] = {
    { "strict", 's', 0, G_OPTION_ARG_NONE, &strict,
      N_("Exit with status 1 if any line is not MI"), NULL },
    { NULL }
  };

  /* Usage then reads "kwb mi parse [OPTION…]". */
  argv[0] = (char *) "mi parse";
  context = g_option_context_new (_("— GDB/MI output on stdin to JSON lines on stdout"));
  g_option_context_set_summary (context,
    _("Reads what “gdb --interpreter=mi3” writes and prints one JSON object per record:\n"
      "  {\"type\":\"result\",\"token\":12,\"class\":\"done\",\"results\":[[\"bkpt\",{\"tuple\":[…]}]]}\n"
      "  type: result, exec, status, notify (token is null when absent), console, target,\n"
      "  log (with \"text\"), prompt, or error (a line that is not MI: \"error\", \"column\",\n"
      "  \"text\" cut to 256 bytes; parsing goes on at the next line).\n"
      "Results and tuples are arrays of [name, value] pairs in GDB's order, so repeated\n"
      "names are kept. A value is a string, {\"tuple\":[[name, value], …]} or {\"list\":[…]}\n"
      "whose items are values, or [name, value] pairs for a list of results. A name GDB\n"
      "left out (MI2 multi-location breakpoints) is null. Strings are the decoded\n"
      "c-strings (octal escapes give back the original bytes); a byte that is not UTF-8\n"
      "is written as \\udc80–\\udcff, as Python's “surrogateescape” does."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return kwb_cli_usage_error (context, _("parse reads stdin and takes no arguments"));

  parser = kwb_mi_parser_new ();
  for (;;)
    {
      ssize_t n = read (STDIN_FILENO, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_autoptr(GError) error = g_error_new (G_IO_ERROR, g_io_error_from_errno (errno),
                                                 _("Cannot read stdin: %s"), g_strerror (errno));
          return kwb_cli_fail (error);
        }
      if (n == 0)
        break;
      kwb_mi_parser_feed (parser, buffer, (gsize) n, print_record, &state);
      if (out->len > (1 << 16) && !flush_out (out))
        return KWB_EXIT_FAILED;
    }
  kwb_mi_parser_finish (parser, print_record, &state);
  if (!flush_out (out))
    return KWB_EXIT_FAILED;

  return strict && state.n_errors > 0 ? KWB_EXIT_FAILED : KWB_EXIT_OK;
}

int
kwb_cmd_mi (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  int status;

  if (argc >= 2 && g_str_equal (argv[1], "parse"))
    return mi_parse (argc - 1, argv + 1);

  context = g_option_context_new (_("parse — GDB/MI tools"));
  g_option_context_set_summary (context,
    _("Subcommands:\n"
      "  parse   read GDB/MI output on stdin, print one JSON object per record\n"
      "Run “kwb mi parse --help” for the output format."));
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return kwb_cli_usage_error (context, _("mi needs a subcommand (parse)"));
  return kwb_cli_usage_error (context, _("no mi subcommand “%s”"), argv[1]);
}
