/* kwb-cli-run.h — wait for one async operation, Ctrl+C cancelling it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  GAsyncResult *result;
  guint         sigint;
  guint         sigterm;
} KwbCliRun;

void kwb_cli_run_start (KwbCliRun    *run);
void kwb_cli_run_done  (GObject      *source,
                        GAsyncResult *result,
                        gpointer      run);
void kwb_cli_run_wait  (KwbCliRun    *run);
void kwb_cli_run_clear (KwbCliRun    *run);

G_END_DECLS
