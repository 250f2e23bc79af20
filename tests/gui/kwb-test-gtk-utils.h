/* kwb-test-gtk-utils.h — what every GUI test needs: waiting, frames, screenshots, widgets, actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GUI tests drive the real widgets inside their own process. They wait
 * by turning the main loop until a condition holds (never by sleeping), look
 * widgets up by the names the .ui files give them, and save screenshots of
 * what was on screen for a person to look at. One copy of each of these
 * lives here, compiled into every test under tests/gui.
 */
#pragma once

#include <adwaita.h>

#include "kwb-application.h"
#include "kwb-window.h"

G_BEGIN_DECLS

/* A hang guard, not a timing assertion: a wait that runs out fails with what
 * it was waiting for. Builds and boots pass a longer one. */
#define KWB_TEST_WAIT_SECONDS 180

typedef gboolean (*KwbTestCondition) (gpointer data);

void       kwb_test_wait_until        (KwbTestCondition  condition,
                                       gpointer          data,
                                       const char       *what);
void       kwb_test_wait_until_full   (KwbTestCondition  condition,
                                       gpointer          data,
                                       guint             seconds,
                                       const char       *what);
gboolean   kwb_test_flag_set          (gpointer          flag);
/* Called before a wait gives up, to print what explains it (a session's
 * GDB transcript); NULL for none. */
void       kwb_test_set_give_up_hook  (void (*hook) (void));

void       kwb_test_wait_for_draw     (GtkWidget        *widget);
void       kwb_test_save_screenshot   (GtkWidget        *widget,
                                       const char       *name);

GtkWidget *kwb_test_find_widget       (gpointer          root,
                                       const char       *name);
GtkWidget *kwb_test_require_widget    (gpointer          root,
                                       const char       *name);
GPtrArray *kwb_test_find_all          (gpointer          root,
                                       const char       *name);
GtkWidget *kwb_test_find_by_type      (gpointer          root,
                                       GType             type);
GtkWidget *kwb_test_find_by_label     (gpointer          root,
                                       const char       *label);
gpointer   kwb_test_find_toplevel     (GType             type);
gpointer   kwb_test_wait_toplevel     (GType             type,
                                       const char       *what);

int        kwb_test_source_columns    (KwbSourceView    *view);
void       kwb_test_set_window_size   (int               width,
                                       int               height);
void       kwb_test_wait_window_width (GtkWidget        *window,
                                       int               width);
void       kwb_test_wait_widget_size  (GtkWidget        *root,
                                       const char       *name,
                                       GtkOrientation    orientation,
                                       int               size);

void       kwb_test_click             (GtkWidget        *button);
void       kwb_test_activate_action   (gpointer          widget,
                                       const char       *name,
                                       GVariant         *parameter);
void       kwb_test_activate_app_action (GApplication   *app,
                                         const char     *name,
                                         GVariant       *parameter);

typedef void (*KwbTestAppFunc) (KwbApplication *app,
                                gpointer        data);

void       kwb_test_run_app           (const char * const *args,
                                       KwbTestAppFunc      body,
                                       gpointer            data);

typedef void (*KwbTestWindowFunc) (KwbApplication *app,
                                   KwbWindow      *window,
                                   gpointer        data);

void       kwb_test_run_app_with_window (const char * const *args,
                                         KwbTestWindowFunc   check,
                                         gpointer            data);

void       kwb_test_gtk_init          (void);
gboolean   kwb_test_init              (int               *argc,
                                       char            ***argv);

/* Each case in a process of its own: a fresh GTK, GSettings memory backend
 * and application, and a crash that fails one case, not the run. */
#define KWB_TEST_IN_SUBPROCESS()                                              \
  G_STMT_START {                                                              \
    if (!g_test_subprocess ())                                                \
      {                                                                       \
        g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);   \
        g_test_trap_assert_passed ();                                         \
        return;                                                               \
      }                                                                       \
  } G_STMT_END

G_END_DECLS
