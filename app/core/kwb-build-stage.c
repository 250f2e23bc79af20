/* kwb-build-stage.c — names of the build stages, as progress lines show them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `kwb build`, `kwb kernel build` and the GUI's build panel show the same
 * words for the same progress: they all format it here.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-build-stage.h"

const char *
kwb_build_stage_to_string (KwbBuildStage stage)
{
  switch (stage)
    {
    case KWB_BUILD_STAGE_IDLE: return _("idle");
    case KWB_BUILD_STAGE_EXTRACT: return _("extract");
    case KWB_BUILD_STAGE_CONFIG: return _("config");
    case KWB_BUILD_STAGE_COMPILE: return _("compile");
    case KWB_BUILD_STAGE_LINK: return _("link");
    case KWB_BUILD_STAGE_MODULES: return _("modules");
    case KWB_BUILD_STAGE_GDB_SCRIPTS: return _("gdb scripts");
    case KWB_BUILD_STAGE_INDEX: return _("gdb index");
    case KWB_BUILD_STAGE_INSTALL: return _("install");
    case KWB_BUILD_STAGE_DONE: return _("done");
    default: return "?";
    }
}

/* 0…100, below 100 until DONE: an estimate can be low. */
guint
kwb_build_stage_get_percent (KwbBuildStage stage,
                             guint         done,
                             guint         total)
{
  if (stage == KWB_BUILD_STAGE_DONE)
    return 100;
  if (total == 0)
    return 0;
  return (guint) (MIN (0.99, (double) done / total) * 100);
}

/**
 * kwb_build_stage_format_progress:
 *
 * "compile: 345/1147 objects (30%)", or the stage's name alone when it
 * counts nothing.
 */
char *
kwb_build_stage_format_progress (KwbBuildStage stage,
                                 guint         done,
                                 guint         total)
{
  const char *unit = stage == KWB_BUILD_STAGE_EXTRACT ? "MB" : _("objects");

  if (total == 0)
    return g_strdup (kwb_build_stage_to_string (stage));
  /* TRANSLATORS: stage: done/total unit (percent%) */
  return g_strdup_printf (_("%s: %u/%u %s (%u%%)"), kwb_build_stage_to_string (stage), done, total, unit,
                          kwb_build_stage_get_percent (stage, done, total));
}
