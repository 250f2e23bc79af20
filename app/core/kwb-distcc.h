/* kwb-distcc.h — compile the kernel, modules and BusyBox on distcc hosts, or here when they are gone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-build-runner.h"
#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_DISTCC_ERROR (kwb_distcc_error_quark ())
#define KWB_DISTCC_PORT  3632

typedef enum {
  KWB_DISTCC_ERROR_HOSTS,   /* [kernel] distcc-hosts is not a distcc host list */
} KwbDistccError;

typedef struct {
  char    *spec;      /* as written: what goes into DISTCC_HOSTS */
  char    *address;   /* host name or address; NULL for localhost */
  guint16  port;      /* distccd's port, or ssh's for user@host */
  guint    limit;     /* the /N of the spec, or distcc's default */
} KwbDistccHost;

GQuark      kwb_distcc_error_quark     (void);

void        kwb_distcc_host_free       (KwbDistccHost       *host);
GPtrArray  *kwb_distcc_parse_hosts     (const char          *hosts,
                                        GError             **error);
guint       kwb_distcc_count_jobs      (GPtrArray           *hosts,
                                        guint                local_jobs);
char       *kwb_distcc_dup_hosts_env   (GPtrArray           *hosts);
char       *kwb_distcc_dup_cc_variable (const char          *compiler,
                                        gboolean             ccache,
                                        gboolean             distcc);

void        kwb_distcc_probe_async     (GPtrArray           *hosts,
                                        guint                timeout_ms,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GPtrArray  *kwb_distcc_probe_finish    (GAsyncResult        *result,
                                        GError             **error);

void        kwb_distcc_run_make_async  (KwbBuildRunner      *runner,
                                        KwbProject          *project,
                                        const char * const  *argv,
                                        const char          *compiler,
                                        gboolean             ccache,
                                        guint                jobs,
                                        const char          *cwd,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbDistccHost, kwb_distcc_host_free)

G_END_DECLS
