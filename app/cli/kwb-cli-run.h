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
} KwbCliRun;

void          kwb_cli_run_start          (KwbCliRun    *run);
void          kwb_cli_run_done           (GObject      *source,
                                          GAsyncResult *result,
                                          gpointer      run);
void          kwb_cli_run_wait           (KwbCliRun    *run);
void          kwb_cli_run_clear          (KwbCliRun    *run);

void          kwb_cli_catch_signals      (void);
int           kwb_cli_get_signal         (void);
GCancellable *kwb_cli_get_cancellable    (void);
int           kwb_cli_exit_status        (int           status);

G_END_DECLS
