/* kwb-build-problem.c — a compiler or linker error of a build, with its file and line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every build (kernel, BusyBox, modules) runs gcc and ld through make with
 * LC_ALL=C, so one parser turns their first error into something the GUI
 * can open at FILE:LINE and the CLI can print the way gcc does.
 */
#include "config.h"

#include <string.h>

#include "kwb-build-problem.h"

G_DEFINE_BOXED_TYPE (KwbBuildProblem, kwb_build_problem, kwb_build_problem_copy, kwb_build_problem_free)

KwbBuildProblem *
kwb_build_problem_copy (const KwbBuildProblem *problem)
{
  KwbBuildProblem *copy = g_new0 (KwbBuildProblem, 1);

  copy->file = g_strdup (problem->file);
  copy->line = problem->line;
  copy->column = problem->column;
  copy->message = g_strdup (problem->message);
  return copy;
}

void
kwb_build_problem_free (KwbBuildProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->file);
  g_free (problem->message);
  g_free (problem);
}

static guint
parse_uint (const char  *s,
            const char **end)
{
  guint64 v = g_ascii_strtoull (s, (char **) end, 10);

  return (guint) MIN (v, G_MAXUINT);
}

static void
make_absolute (KwbBuildProblem *problem,
               const char      *build_dir)
{
  if (problem->file != NULL && build_dir != NULL && !g_path_is_absolute (problem->file))
    {
      char *abs = g_canonicalize_filename (problem->file, build_dir);

      g_free (problem->file);
      problem->file = abs;
    }
}

/**
 * kwb_build_problem_parse:
 * @build_dir: (nullable): relative paths in messages are relative to it
 *
 * Returns: (nullable): a compiler error "FILE:LINE[:COL]: [fatal ]error: MSG"
 * or a linker error "ld: …: MSG" as structured data
 */
KwbBuildProblem *
kwb_build_problem_parse (const char *line,
                         const char *build_dir)
{
  const char *marker;

  while (*line == ' ')
    line++;

  /* Compiler: search the ": error: " marker, then read back file:line:col. */
  marker = strstr (line, ": error: ");
  if (marker == NULL)
    marker = strstr (line, ": fatal error: ");
  if (marker != NULL)
    {
      g_autofree char *head = g_strndup (line, marker - line);
      g_auto(GStrv) parts = g_strsplit (head, ":", -1);
      guint n = g_strv_length (parts);
      const char *end;
      guint first_num = 0;

      /* head is FILE:LINE:COL or FILE:LINE (FILE may hold a colon). */
      for (guint i = 1; i < n; i++)
        {
          parse_uint (parts[i], &end);
          if (*parts[i] != '\0' && *end == '\0')
            {
              first_num = i;
              break;
            }
        }
      if (first_num > 0)
        {
          KwbBuildProblem *problem = g_new0 (KwbBuildProblem, 1);
          GString *file = g_string_new (parts[0]);

          for (guint i = 1; i < first_num; i++)
            g_string_append_printf (file, ":%s", parts[i]);
          problem->file = g_string_free (file, FALSE);
          problem->line = parse_uint (parts[first_num], NULL);
          problem->column = first_num + 1 < n ? parse_uint (parts[first_num + 1], NULL) : 0;
          problem->message = g_strdup (strstr (marker, "error: ") + strlen ("error: "));
          make_absolute (problem, build_dir);
          return problem;
        }
    }

  /* GNU ld: "ld: init/main.o: in function `x': main.c:(.text+0x1): undefined …"
   * or "ld: cannot find …". */
  if (g_str_has_prefix (line, "ld: ") || strstr (line, "/ld: ") != NULL ||
      g_str_has_prefix (line, "ld.bfd: "))
    {
      KwbBuildProblem *problem = g_new0 (KwbBuildProblem, 1);
      const char *msg = strstr (line, "ld: ");
      const char *colon;

      msg = msg ? msg + 4 : strchr (line, ' ') + 1;
      colon = strstr (msg, ": ");
      if (colon != NULL && strchr (msg, ' ') > colon)
        problem->file = g_strndup (msg, colon - msg);
      problem->message = g_strdup (msg);
      make_absolute (problem, build_dir);
      return problem;
    }
  return NULL;
}

/**
 * kwb_build_problem_find_in_log:
 *
 * Returns: (nullable): the first error of a build log
 */
KwbBuildProblem *
kwb_build_problem_find_in_log (const char *log_text,
                               const char *build_dir)
{
  g_auto(GStrv) lines = g_strsplit (log_text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      KwbBuildProblem *problem = kwb_build_problem_parse (lines[i], build_dir);

      if (problem != NULL)
        return problem;
    }
  return NULL;
}

/**
 * kwb_build_problem_to_string:
 *
 * As gcc prints it, "FILE:LINE:COL: error: MSG" (what editors and
 * terminals recognise), or the linker's message.
 */
char *
kwb_build_problem_to_string (const KwbBuildProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);
  if (problem->file != NULL && problem->line > 0)
    return g_strdup_printf ("%s:%u:%u: error: %s", problem->file, problem->line, problem->column,
                            problem->message ? problem->message : "");
  return g_strdup (problem->message ? problem->message : "");
}

/**
 * kwb_build_problem_remap:
 *
 * A build of a copy (the module build copies the user's folder) reports
 * the copy's file: point it at the same file under @to_dir.
 *
 * Returns: whether the file was under @from_dir
 */
gboolean
kwb_build_problem_remap (KwbBuildProblem *problem,
                         const char      *from_dir,
                         const char      *to_dir)
{
  gsize n;

  if (problem == NULL || problem->file == NULL || from_dir == NULL || to_dir == NULL)
    return FALSE;
  n = strlen (from_dir);
  if (!g_str_has_prefix (problem->file, from_dir) || problem->file[n] != '/')
    return FALSE;
  {
    char *mapped = g_build_filename (to_dir, problem->file + n + 1, NULL);

    g_free (problem->file);
    problem->file = mapped;
  }
  return TRUE;
}
