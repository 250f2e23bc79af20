/* kwb-console-diagnosis.h — recognises the classic boot failures in the serial console
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-session.h"

G_BEGIN_DECLS

typedef enum {
  /* "VFS: Unable to mount root fs", or on a kernel without CONFIG_BLOCK "No
   * working init found" before any initramfs was unpacked */
  KWB_CONSOLE_PROBLEM_NO_INITRAMFS,
  KWB_CONSOLE_PROBLEM_NO_HOTPLUG, /* "can't create /proc/sys/kernel/hotplug" */
  KWB_CONSOLE_PROBLEM_NO_INIT,    /* "No working init found": BusyBox not static, or missing */
  KWB_CONSOLE_PROBLEM_SILENT,     /* the running guest printed nothing: wrong console= */
} KwbConsoleProblem;

/* Running time without a console byte after which a kernel counts as silent:
 * a kernel that works prints its banner within a few seconds even under TCG
 * on a loaded machine (3 s here, at a load of 8). */
#define KWB_CONSOLE_DIAGNOSIS_DEFAULT_SILENCE_MS 20000

#define KWB_TYPE_CONSOLE_DIAGNOSIS (kwb_console_diagnosis_get_type ())
G_DECLARE_FINAL_TYPE (KwbConsoleDiagnosis, kwb_console_diagnosis, KWB, CONSOLE_DIAGNOSIS, GObject)

/* A stable id for scripts: "no-initramfs", "no-hotplug", "no-init", "silent". */
const char          *kwb_console_problem_to_string       (KwbConsoleProblem    problem);
/* The one-line title and what to do, translated. */
const char          *kwb_console_problem_get_title       (KwbConsoleProblem    problem);
const char          *kwb_console_problem_get_advice      (KwbConsoleProblem    problem);

KwbConsoleDiagnosis *kwb_console_diagnosis_new           (void);
/* Console bytes as they come: any split, \r\n or \n, ANSI escapes. */
void                 kwb_console_diagnosis_feed          (KwbConsoleDiagnosis *self,
                                                          const char          *data,
                                                          gssize               length);
/* The console ended (QEMU exited): a last line without its newline counts. */
void                 kwb_console_diagnosis_finish        (KwbConsoleDiagnosis *self);
/* Whether the guest's CPUs run: only running time counts towards silence
 * (a guest halted in GDB prints nothing, rightly). */
void                 kwb_console_diagnosis_set_running   (KwbConsoleDiagnosis *self,
                                                          gboolean             running);
gboolean             kwb_console_diagnosis_get_running   (KwbConsoleDiagnosis *self);
guint                kwb_console_diagnosis_get_silence_ms (KwbConsoleDiagnosis *self);
void                 kwb_console_diagnosis_set_silence_ms (KwbConsoleDiagnosis *self,
                                                          guint                ms);
/* Follows SESSION: running while its state is RUNNING, the end of the console
 * when it exits or fails, and the bytes its QEMU reads when the console is
 * watched (the GUI's terminal reads them itself and feeds them). */
void                 kwb_console_diagnosis_follow_session (KwbConsoleDiagnosis *self,
                                                          KwbSession          *session);
/* Whether PROBLEM has been diagnosed (each kind is reported once). */
gboolean             kwb_console_diagnosis_has_problem   (KwbConsoleDiagnosis *self,
                                                          KwbConsoleProblem    problem);

G_END_DECLS
