/* kwb-test-guest.h — a debug session on a fixture kernel, for tests and benchmarks of the kernel views
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernel views (log, tasks, per-CPU data) are all tested the same way:
 * boot a fixture kernel under TCG, get to the BusyBox shell, type a command
 * that ends in a breakpoint, then read the view at that stop. This holds
 * the session, the console text and the waits (each with a deadline that
 * aborts instead of hanging), so a test says only what it checks.
 */
#pragma once

#include "kwb-core.h"

G_BEGIN_DECLS

typedef struct {
  KwbSession *session;
  GString    *console;   /* everything the guest printed */
  guint       n_stops;
  gboolean    done;      /* set by kwb_test_guest_done_cb */
  GError     *error;
  char       *text;      /* what a console command returned */
} KwbTestGuest;

/* KERNEL_NAME "6.1" or "6.12": the fixture project of that kernel (from
 * build-aux/fixtures' variables) with TCG, 256 MB, KWB_FIXTURE_INITRAMFS,
 * no start breakpoint, CMDLINE added to the kernel's command line, and
 * BREAKPOINT set before the guest runs. NULL with a message when the
 * fixtures are missing. */
KwbTestGuest *kwb_test_guest_new        (const char   *kernel_name,
                                         const char   *cmdline,
                                         const char   *breakpoint);
void          kwb_test_guest_free       (KwbTestGuest *guest);
/* Starts the session and waits for the shell's prompt. */
void          kwb_test_guest_boot_to_shell (KwbTestGuest *guest);
void          kwb_test_guest_type       (KwbTestGuest *guest,
                                         const char   *text);
/* Waits until the guest stopped N_STOPS times in all and is stopped. */
void          kwb_test_guest_wait_stops (KwbTestGuest *guest,
                                         guint         n_stops);
/* For the async calls of the session and of the kernel views: finishes
 * them into guest->error / guest->text and sets guest->done. */
void          kwb_test_guest_done_cb    (GObject      *object,
                                         GAsyncResult *result,
                                         gpointer      user_data);
/* Runs EXPR (an async call with kwb_test_guest_done_cb) and waits for it;
 * aborts on its error. */
#define KWB_TEST_GUEST_CALL(guest, expr) \
  G_STMT_START { (guest)->done = FALSE; expr; kwb_test_guest_wait_done (guest); } G_STMT_END
void          kwb_test_guest_wait_done  (KwbTestGuest *guest);

/* The kernel's name from a --kernel=NAME argument ("6.1" without one). */
const char   *kwb_test_guest_kernel_arg (int           argc,
                                         char        **argv);
/* The median of N timings (sorts VALUES), for the benchmarks. */
double        kwb_test_guest_median     (double       *values,
                                         guint         n);

G_END_DECLS
