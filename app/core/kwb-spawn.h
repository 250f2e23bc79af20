/* kwb-spawn.h — start helper processes so that none can outlive us
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KWB_SPAWN_ERROR (kwb_spawn_error_quark ())

typedef enum {
  KWB_SPAWN_ERROR_NOT_INSTALLED, /* the program is not on PATH */
  KWB_SPAWN_ERROR_FAILED,
} KwbSpawnError;

GQuark                kwb_spawn_error_quark      (void);

GSubprocessLauncher  *kwb_spawn_launcher_new     (GSubprocessFlags     flags);
GSubprocessLauncher  *kwb_spawn_launcher_new_guarded (GSubprocessFlags flags,
                                                  int                 *guard_fd,
                                                  GError             **error);
GSubprocess          *kwb_spawn                  (GSubprocessLauncher *launcher,
                                                  const char * const  *argv,
                                                  const char          *debian_package,
                                                  GError             **error);
pid_t                 kwb_spawn_get_pid          (GSubprocess         *process);
void                  kwb_spawn_kill_group       (GSubprocess         *process,
                                                  int                  signum);
char                 *kwb_spawn_find_program     (const char          *program,
                                                  const char          *debian_package,
                                                  GError             **error);

G_END_DECLS
