/* kwb-console.c — the guest's serial console in a terminal, and the GDB console tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The terminal reads the PTY master the core created for QEMU's serial port
 * (vte_pty_new_foreign_sync on a dup of it), so typing goes to the guest.
 * Kernel oops and call-trace lines, and the FILE:LINE of a WARNING, are
 * links (the patterns of kwb-code-link.h, shared with the kernel log view):
 * a click asks GDB where they are (`info line`) and the window opens that line.
 *
 * The lines the terminal shows also go to a KwbConsoleDiagnosis (the
 * terminal reads the PTY, so the core cannot): a classic boot failure shows
 * above the terminal with what to do, until the next boot or a click on
 * Hide. A line is fed once the cursor has left it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 0
#include <pcre2.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kwb-code-link.h"
#include "kwb-console.h"

/* What a link is: the kernel log view's links are the same (kwb-code-link.h). */
static const char * const link_patterns[] = {
  KWB_CODE_LINK_PATTERN_SIZED, KWB_CODE_LINK_PATTERN_ADDR, KWB_CODE_LINK_PATTERN_SOURCE,
};

struct _KwbConsole
{
  GtkWidget       parent_instance;

  KwbSession     *session;
  GCancellable   *cancellable;
  GSettings      *interface_settings;
  GSettings      *settings;
  gboolean        attached;
  int             link_tags[G_N_ELEMENTS (link_patterns)];

  GtkToggleButton *find_button;
  GtkStack       *stack;
  GtkSearchBar   *search_bar;
  GtkSearchEntry *search_entry;
  GtkButton      *search_previous;
  GtkButton      *search_next;
  GtkBox         *terminal_box;
  VteTerminal    *terminal;
  GtkScrollbar   *scrollbar;
  KwbGdbConsole  *gdb_console;

  KwbConsoleDiagnosis *diagnosis;
  glong           fed_row;      /* the first terminal row not fed to it */
  GtkRevealer    *diagnosis_revealer;
  GtkLabel       *diagnosis_title;
  GtkLabel       *diagnosis_advice;
  GtkButton      *diagnosis_close;
};

G_DEFINE_FINAL_TYPE (KwbConsole, kwb_console, GTK_TYPE_WIDGET)

enum {
  LOCATION_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void create_terminal (KwbConsole *self);

/* ---- the serial PTY ---- */

static void
close_slave (gpointer data)
{
  close (GPOINTER_TO_INT (data) - 1);
}

static void
try_attach (KwbConsole *self)
{
  g_autoptr(VtePty) pty = NULL;
  g_autoptr(GError) error = NULL;
  KwbQemu *qemu;
  int fd;

  if (self->attached || self->session == NULL)
    return;
  qemu = kwb_session_get_qemu (self->session);
  if (qemu == NULL || (fd = kwb_qemu_get_console_fd (qemu)) < 0)
    return;

  fd = dup (fd);
  if (fd < 0 || (pty = vte_pty_new_foreign_sync (fd, NULL, &error)) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The serial console cannot be shown: %s\r\n"),
                                                 error ? error->message : g_strerror (errno));
      if (fd >= 0)
        close (fd);
      vte_terminal_feed (self->terminal, message, -1);
      return;
    }
  vte_terminal_set_pty (self->terminal, pty);
  self->attached = TRUE;

  /* Hold the PTY's other end while the terminal lives: when QEMU exits the
   * master then never reaches its end, a state in which VTE 0.70's clean-up
   * warns (fatal in tests). Closed after the terminal is finalized. */
  if (kwb_qemu_get_console_path (qemu) != NULL)
    {
      int slave = open (kwb_qemu_get_console_path (qemu), O_RDWR | O_NOCTTY | O_CLOEXEC);

      if (slave >= 0)
        g_object_set_data_full (G_OBJECT (self->terminal), "kwb-pty-slave",
                                GINT_TO_POINTER (slave + 1), close_slave);
    }
}

static void
on_session_state_changed (KwbSession      *session,
                          KwbSessionState  old_state,
                          KwbSessionState  new_state,
                          KwbConsole      *self)
{
  try_attach (self);
}

/* ---- diagnosis of the classic boot failures ---- */

static void
on_diagnosed (KwbConsoleDiagnosis *diagnosis,
              KwbConsoleProblem    problem,
              const char          *title,
              const char          *advice,
              KwbConsole          *self)
{
  gtk_label_set_label (self->diagnosis_title, title);
  gtk_label_set_label (self->diagnosis_advice, advice);
  gtk_revealer_set_reveal_child (self->diagnosis_revealer, TRUE);
}

static void
hide_diagnosis (KwbConsole *self)
{
  gtk_revealer_set_reveal_child (self->diagnosis_revealer, FALSE);
}

/* Whether the terminal's row ROW wraps into the next: VTE ends every row
 * of a range with a newline but a wrapping one and the last. */
static gboolean
row_wraps (VteTerminal *terminal,
           glong        row)
{
  g_autofree char *text = vte_terminal_get_text_range (terminal, row, 0, row + 1,
                                                       vte_terminal_get_column_count (terminal) - 1,
                                                       NULL, NULL, NULL);

  return text != NULL && strchr (text, '\n') == NULL;
}

/* Feeds the lines the terminal ended since the last call: the rows up to
 * the cursor's, up to the last newline. The line the cursor is on is read
 * again next time from the row where it starts. */
static void
on_contents_changed (KwbConsole *self)
{
  g_autofree char *text = NULL;
  const char *last_newline;
  glong column, row, start;

  if (self->diagnosis == NULL)
    return;
  vte_terminal_get_cursor_position (self->terminal, &column, &row);
  if (row <= self->fed_row)
    return;
  text = vte_terminal_get_text_range (self->terminal, self->fed_row, 0, row,
                                      vte_terminal_get_column_count (self->terminal) - 1,
                                      NULL, NULL, NULL);
  if (text == NULL || (last_newline = strrchr (text, '\n')) == NULL)
    return;
  kwb_console_diagnosis_feed (self->diagnosis, text, last_newline - text + 1);
  for (start = row; start > self->fed_row && row_wraps (self->terminal, start - 1); start--)
    ;
  self->fed_row = start;
}

static void
set_diagnosis (KwbConsole *self,
               KwbSession *session)
{
  if (self->diagnosis != NULL)
    g_signal_handlers_disconnect_by_data (self->diagnosis, self);
  g_clear_object (&self->diagnosis);
  gtk_revealer_set_reveal_child (self->diagnosis_revealer, FALSE);
  self->fed_row = 0;
  if (session == NULL)
    return;
  self->diagnosis = kwb_console_diagnosis_new ();
  g_signal_connect (self->diagnosis, "diagnosed", G_CALLBACK (on_diagnosed), self);
  kwb_console_diagnosis_follow_session (self->diagnosis, session);
}

KwbConsoleDiagnosis *kwb_console_get_diagnosis (KwbConsole *self) { return self->diagnosis; }

void
kwb_console_set_session (KwbConsole *self,
                         KwbSession *session)
{
  g_return_if_fail (KWB_IS_CONSOLE (self));

  if (self->session == session)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  /* The old PTY stays with its terminal until a new terminal replaces it:
   * VTE 0.70 warns when a foreign PTY that reached its end is set to NULL. */
  self->attached = FALSE;
  g_set_object (&self->session, session);
  kwb_gdb_console_set_session (self->gdb_console, session);
  if (session == NULL)
    set_diagnosis (self, NULL);
  if (session != NULL)
    {
      /* A new boot gets a new terminal: VTE 0.70 does not read a second
       * foreign PTY after the first one ended. The old scrollback goes. */
      create_terminal (self);
      set_diagnosis (self, session);
      self->cancellable = g_cancellable_new ();
      kwb_session_set_console_watched (session, FALSE);
      g_signal_connect_object (session, "state-changed", G_CALLBACK (on_session_state_changed), self, 0);
      try_attach (self);
    }
}

gboolean kwb_console_get_attached (KwbConsole *self) { return self->attached; }
VteTerminal *kwb_console_get_terminal (KwbConsole *self) { return self->terminal; }
KwbGdbConsole *kwb_console_get_gdb_console (KwbConsole *self) { return self->gdb_console; }

void
kwb_console_show_page (KwbConsole *self,
                       const char *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

/* ---- settings: scrollback, the system's monospace font ---- */

static void
update_font (KwbConsole *self)
{
  g_autofree char *name = NULL;
  g_autoptr(PangoFontDescription) font = NULL;

  if (self->interface_settings != NULL)
    name = g_settings_get_string (self->interface_settings, "monospace-font-name");
  font = pango_font_description_from_string (name && *name ? name : "Monospace 11");
  vte_terminal_set_font (self->terminal, font);
}

void
kwb_console_set_settings (KwbConsole *self,
                          GSettings  *settings)
{
  g_return_if_fail (KWB_IS_CONSOLE (self));

  g_set_object (&self->settings, settings);
  if (settings != NULL)
    g_settings_bind (settings, "console-scrollback-lines", self->terminal, "scrollback-lines",
                     G_SETTINGS_BIND_GET);
}

/* Like GNOME Console: the terminal follows the light or dark style. */
static void
update_colors (KwbConsole *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA fg, bg;

  gdk_rgba_parse (&fg, dark ? "#ffffff" : "#1e1e1e");
  gdk_rgba_parse (&bg, dark ? "#1e1e1e" : "#ffffff");
  vte_terminal_set_colors (self->terminal, &fg, &bg, NULL, 0);
}

/* ---- find ---- */

static void
search_changed (KwbConsole *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(VteRegex) regex = NULL;

  if (text != NULL && *text != '\0')
    {
      g_autofree char *escaped = g_regex_escape_string (text, -1);

      regex = vte_regex_new_for_search (escaped, -1, PCRE2_MULTILINE | PCRE2_CASELESS | PCRE2_UTF, NULL);
    }
  vte_terminal_search_set_regex (self->terminal, regex, 0);
  vte_terminal_search_set_wrap_around (self->terminal, TRUE);
  if (regex != NULL)
    vte_terminal_search_find_previous (self->terminal);
}

static void
search_next (KwbConsole *self)
{
  vte_terminal_search_find_next (self->terminal);
}

static void
search_previous (KwbConsole *self)
{
  vte_terminal_search_find_previous (self->terminal);
}

void
kwb_console_start_search (KwbConsole *self)
{
  g_return_if_fail (KWB_IS_CONSOLE (self));

  kwb_console_show_page (self, "serial");
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- terminal actions: copy, paste, zoom ---- */

static void
copy_action (GtkWidget *widget, const char *name, GVariant *param)
{
  vte_terminal_copy_clipboard_format (KWB_CONSOLE (widget)->terminal, VTE_FORMAT_TEXT);
}

static void
paste_action (GtkWidget *widget, const char *name, GVariant *param)
{
  vte_terminal_paste_clipboard (KWB_CONSOLE (widget)->terminal);
}

static void
zoom_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  KwbConsole *self = KWB_CONSOLE (widget);
  double scale = vte_terminal_get_font_scale (self->terminal);

  if (g_str_equal (name, "console.zoom-in"))
    scale = MIN (scale * 1.1, 4.0);
  else if (g_str_equal (name, "console.zoom-out"))
    scale = MAX (scale / 1.1, 0.25);
  else
    scale = 1.0;
  vte_terminal_set_font_scale (self->terminal, scale);
}

static void
find_action (GtkWidget *widget, const char *name, GVariant *param)
{
  kwb_console_start_search (KWB_CONSOLE (widget));
}

/* ---- oops links ---- */

char *
kwb_console_dup_link_at (KwbConsole *self,
                         double      x,
                         double      y)
{
  int tag = -1;
  char *match;

  g_return_val_if_fail (KWB_IS_CONSOLE (self), NULL);

  match = vte_terminal_check_match_at (self->terminal, x, y, &tag);
  for (guint i = 0; match != NULL && i < G_N_ELEMENTS (self->link_tags); i++)
    if (tag == self->link_tags[i])
      return match;
  g_free (match);
  return NULL;
}

static void
info_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KwbConsole) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, &error);
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *file = NULL;
  g_autofree char *line = NULL;
  g_autofree char *local = NULL;

  if (out == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("info line failed: %s", error->message);
      return;
    }
  /* Line 914 of "init/main.c" starts at address 0x… <start_kernel+26> …,
   * and for FILE:LINE also "Line 914 of "init/main.c" is at address …". */
  regex = g_regex_new ("Line ([0-9]+) of \"([^\"]+)\"", 0, 0, NULL);
  if (!g_regex_match (regex, out, 0, &match))
    {
      g_autofree char *message = g_strdup_printf (_("No source line for this address: %s"), g_strstrip (out));
      g_signal_emit (self, signals[LOCATION_ACTIVATED], 0, NULL, 0u, message);
      return;
    }
  line = g_match_info_fetch (match, 1);
  file = g_match_info_fetch (match, 2);
  local = kwb_session_map_source_path (self->session, file);
  g_signal_emit (self, signals[LOCATION_ACTIVATED], 0, local ? local : file,
                 (guint) g_ascii_strtoull (line, NULL, 10), NULL);
}

gboolean
kwb_console_activate_link (KwbConsole *self,
                           const char *text)
{
  g_autoptr(KwbCodeLink) link = NULL;
  g_autofree char *location = NULL;
  g_autofree char *command = NULL;

  g_return_val_if_fail (KWB_IS_CONSOLE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if ((link = kwb_code_link_parse (text)) == NULL)
    return FALSE;
  if (self->session == NULL)
    {
      g_signal_emit (self, signals[LOCATION_ACTIVATED], 0, NULL, 0u,
                     _("Start a session to look up kernel addresses"));
      return TRUE;
    }
  /* GDB knows the file of a FILE:LINE as its line tables name it, which is
   * what the source mapping expects, so both kinds take the same way. */
  location = kwb_code_link_dup_gdb_location (link);
  command = g_strdup_printf ("info line %s", location);
  kwb_session_console_async (self->session, command, self->cancellable, info_line_cb, g_object_ref (self));
  return TRUE;
}

static void
on_click_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  KwbConsole      *self)
{
  g_autofree char *link = kwb_console_dup_link_at (self, x, y);

  if (link == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  kwb_console_activate_link (self, link);
}

static void
add_links (KwbConsole *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (link_patterns); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VteRegex) regex = vte_regex_new_for_match (link_patterns[i], -1, PCRE2_MULTILINE, &error);

      g_assert_no_error (error);
      self->link_tags[i] = vte_terminal_match_add_regex (self->terminal, regex, 0);
      vte_terminal_match_set_cursor_name (self->terminal, self->link_tags[i], "pointer");
    }
}

/* ---- the terminal widget ---- */

static void
create_terminal (KwbConsole *self)
{
  GtkGesture *click;

  if (self->terminal != NULL)
    gtk_box_remove (self->terminal_box, GTK_WIDGET (self->terminal));
  self->terminal = VTE_TERMINAL (vte_terminal_new ());
  gtk_widget_set_name (GTK_WIDGET (self->terminal), "serial_terminal");
  gtk_widget_set_hexpand (GTK_WIDGET (self->terminal), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->terminal), TRUE);
  gtk_box_prepend (self->terminal_box, GTK_WIDGET (self->terminal));

  vte_terminal_set_scrollback_lines (self->terminal, 10000);
  if (self->settings != NULL)
    g_settings_bind (self->settings, "console-scrollback-lines", self->terminal, "scrollback-lines",
                     G_SETTINGS_BIND_GET);
  vte_terminal_set_mouse_autohide (self->terminal, TRUE);
  gtk_scrollbar_set_adjustment (self->scrollbar,
                                gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->terminal)));
  update_font (self);
  update_colors (self);
  add_links (self);
  search_changed (self);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->terminal), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_object (self->terminal, "contents-changed", G_CALLBACK (on_contents_changed), self,
                           G_CONNECT_SWAPPED);
}

/* ---- object ---- */

static void
kwb_console_dispose (GObject *object)
{
  KwbConsole *self = KWB_CONSOLE (object);

  kwb_console_set_session (self, NULL);
  g_clear_object (&self->interface_settings);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_CONSOLE);
  /* The template's unnamed root is not unparented by dispose_template. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (kwb_console_parent_class)->dispose (object);
}

static void
kwb_console_class_init (KwbConsoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_console_dispose;

  /**
   * KwbConsole::location-activated:
   * @path: (nullable): the local source file a link resolved to
   * @line: its line
   * @message: (nullable): why there is no location
   */
  signals[LOCATION_ACTIVATED] =
    g_signal_new ("location-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING);

  g_type_ensure (VTE_TYPE_TERMINAL);
  g_type_ensure (KWB_TYPE_GDB_CONSOLE);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-console.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, find_button);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, stack);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, search_bar);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, search_previous);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, search_next);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, terminal_box);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, scrollbar);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, gdb_console);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, diagnosis_revealer);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, diagnosis_title);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, diagnosis_advice);
  gtk_widget_class_bind_template_child (widget_class, KwbConsole, diagnosis_close);

  gtk_widget_class_install_action (widget_class, "console.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "console.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "console.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "console.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "console.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "console.find", NULL, find_action);

  /* Terminal keys: Ctrl+C and Ctrl+V belong to the guest. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "console.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "console.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "console.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "console.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "console.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "console.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "console.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "console.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "console.zoom-reset", NULL);
}

static void
kwb_console_init (KwbConsole *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The desktop's monospace font when GNOME's schema is there. */
  if (source != NULL && (schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE)) != NULL &&
      g_settings_schema_has_key (schema, "monospace-font-name"))
    {
      self->interface_settings = g_settings_new_full (schema, NULL, NULL);
      g_signal_connect_object (self->interface_settings, "changed::monospace-font-name",
                               G_CALLBACK (update_font), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_colors), self, G_CONNECT_SWAPPED);
  create_terminal (self);

  g_object_bind_property (self->find_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (search_next), self);
  g_signal_connect_swapped (self->search_entry, "next-match", G_CALLBACK (search_next), self);
  g_signal_connect_swapped (self->search_entry, "previous-match", G_CALLBACK (search_previous), self);
  g_signal_connect_swapped (self->search_next, "clicked", G_CALLBACK (search_next), self);
  g_signal_connect_swapped (self->search_previous, "clicked", G_CALLBACK (search_previous), self);
  g_signal_connect_swapped (self->diagnosis_close, "clicked", G_CALLBACK (hide_diagnosis), self);
}
