/* kwb-cli-show.h — kwb debug --show KIND[:ARG]: kernel views printed at each stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table (kwb-cli-show.c) names every kind: whether it takes an
 * argument, how to make its core model (a KwbKernelView) for a session and
 * how to print it as text or JSON lines. Each kind's printer lives in its own
 * kwb-cli-show-KIND.c; kwb debug only parses the options, refreshes the
 * views in the order given at each stop and prints them.
 */
#pragma once

#include "kwb-cli-json.h"
#include "kwb-core.h"

G_BEGIN_DECLS

typedef struct _KwbCliShow KwbCliShow;

/* Parses one --show value; NULL with a message for the user when the kind
 * is unknown or its argument is missing or not wanted. */
KwbCliShow *kwb_cli_show_new            (const char    *spec,
                                         GError       **error);
void        kwb_cli_show_free           (KwbCliShow    *show);
/* Makes the view's model once the session exists. */
void        kwb_cli_show_attach         (KwbCliShow    *show,
                                         KwbSession    *session);
/* Refreshes the view at a stop and prints it (text, or JSON lines). */
void        kwb_cli_show_print_async    (KwbCliShow    *show,
                                         gboolean       json,
                                         GCancellable  *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer       user_data);
gboolean    kwb_cli_show_print_finish   (KwbCliShow    *show,
                                         GAsyncResult  *result,
                                         GError       **error);
/* The kinds, for --help: "log, tasks, percpu:VAR, …". */
char       *kwb_cli_show_dup_kinds      (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbCliShow, kwb_cli_show_free)

/* Each kind: make the model for ARG (the text after the colon, or NULL);
 * print what a refresh left in it. */
typedef KwbKernelView *(*KwbCliShowNewFunc)   (KwbSession    *session,
                                               const char    *arg);
typedef void           (*KwbCliShowPrintFunc) (KwbKernelView *view,
                                               const char    *arg,
                                               gboolean       json);
/* Optional: checks ARG when the options are read, so a bad one is a usage
 * error before any VM starts. */
typedef gboolean       (*KwbCliShowCheckFunc) (const char    *arg,
                                               GError       **error);

/* kwb-cli-show-log.c */
KwbKernelView *kwb_cli_show_log_new   (KwbSession    *session,
                                       const char    *arg);
void           kwb_cli_show_log_print (KwbKernelView *view,
                                       const char    *arg,
                                       gboolean       json);

/* kwb-cli-show-tasks.c */
KwbKernelView *kwb_cli_show_tasks_new   (KwbSession    *session,
                                         const char    *arg);
void           kwb_cli_show_tasks_print (KwbKernelView *view,
                                         const char    *arg,
                                         gboolean       json);
/* kwb-cli-show-mem.c */
gboolean       kwb_cli_show_mem_check (const char    *arg,
                                       GError       **error);
KwbKernelView *kwb_cli_show_mem_new   (KwbSession    *session,
                                       const char    *arg);
void           kwb_cli_show_mem_print (KwbKernelView *view,
                                       const char    *arg,
                                       gboolean       json);
/* kwb-cli-show-watch.c */
KwbKernelView *kwb_cli_show_watch_new    (KwbSession    *session,
                                          const char    *arg);
void           kwb_cli_show_watch_print  (KwbKernelView *view,
                                          const char    *arg,
                                          gboolean       json);
KwbKernelView *kwb_cli_show_percpu_new   (KwbSession    *session,
                                          const char    *arg);
void           kwb_cli_show_percpu_print (KwbKernelView *view,
                                          const char    *arg,
                                          gboolean       json);

G_END_DECLS
