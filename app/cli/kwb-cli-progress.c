/* kwb-cli-progress.c — build progress on stdout: a bar on a terminal, lines otherwise
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `kwb kernel build` and `kwb build` print the same progress the same way:
 * the words come from kwb_build_stage_format_progress() (the GUI's build
 * panel shows the same ones). Not a terminal (CI logs): one line per stage
 * and per 10 %, so a log stays short.
 */
#include "config.h"

#include <stdio.h>

#include "kwb-cli.h"
#include "kwb-cli-progress.h"

struct _KwbCliProgress
{
  gboolean  terminal;
  gboolean  drawn;
  char     *last_prefix;
  int       last_stage;
  guint     last_percent;
  gint64    last_print;
};

KwbCliProgress *
kwb_cli_progress_new (void)
{
  KwbCliProgress *self = g_new0 (KwbCliProgress, 1);

  self->terminal = kwb_cli_stdout_is_terminal ();
  self->last_stage = -1;
  return self;
}

/* @prefix: (nullable): what is built ("kernel"), for `kwb build`. */
void
kwb_cli_progress_update (KwbCliProgress *self,
                         const char     *prefix,
                         KwbBuildStage   stage,
                         guint           done,
                         guint           total)
{
  g_autofree char *text = NULL;
  guint percent;
  gboolean same;

  /* A build starting over says nothing yet. */
  if (stage == KWB_BUILD_STAGE_IDLE)
    return;
  text = kwb_build_stage_format_progress (stage, done, total);
  percent = kwb_build_stage_get_percent (stage, done, total);
  same = (int) stage == self->last_stage && g_strcmp0 (prefix, self->last_prefix) == 0;

  if (self->terminal)
    {
      char bar[31];
      guint filled = percent * 30 / 100;
      gint64 now = g_get_monotonic_time ();

      if (same && now - self->last_print < 100000)
        return;
      self->last_print = now;
      for (guint i = 0; i < 30; i++)
        bar[i] = i < filled ? '#' : '.';
      bar[30] = '\0';
      printf ("\r\033[K[%s] %s%s%s", bar, prefix ? prefix : "", prefix ? ": " : "", text);
      self->drawn = TRUE;
    }
  else if (!same || percent / 10 != self->last_percent / 10)
    printf ("%s%s%s\n", prefix ? prefix : "", prefix ? ": " : "", text);
  else
    return;
  fflush (stdout);
  self->last_stage = stage;
  self->last_percent = percent;
  g_free (self->last_prefix);
  self->last_prefix = g_strdup (prefix);
}

/* Ends the bar's line, before other output. */
void
kwb_cli_progress_end (KwbCliProgress *self)
{
  if (self->terminal && self->drawn)
    printf ("\n");
  self->drawn = FALSE;
  self->last_stage = -1;
}

void
kwb_cli_progress_free (KwbCliProgress *self)
{
  if (self == NULL)
    return;
  g_free (self->last_prefix);
  g_free (self);
}
