/* kwb-gdb-console.c — GDB's command line inside the window: an entry, its output, history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Commands go through kwb_session_console_async, so they work while the guest
 * runs too (the session pauses it for the command). The session's own log
 * (path mappings, recoveries) shows here as well, dimmed: it is what GDB did
 * for the user.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-gdb-console.h"

#define MAX_HISTORY 500

struct _KwbGdbConsole
{
  GtkWidget      parent_instance;

  KwbSession    *session;
  GCancellable  *cancellable;
  GPtrArray     *history;
  guint          history_pos;   /* == history->len: the new line */
  char          *draft;         /* what was typed before walking the history */

  GtkScrolledWindow *scroller;
  GtkTextView   *output;
  GtkEntry      *entry;
  GtkTextTag    *command_tag;
  GtkTextTag    *error_tag;
  GtkTextTag    *log_tag;
};

G_DEFINE_FINAL_TYPE (KwbGdbConsole, kwb_gdb_console, GTK_TYPE_WIDGET)

static void
append (KwbGdbConsole *self,
        const char    *text,
        GtkTextTag    *tag)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert_with_tags (buffer, &end, text, -1, tag, NULL);
  if (!g_str_has_suffix (text, "\n"))
    {
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, "\n", 1);
    }
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_view_scroll_to_iter (self->output, &end, 0.0, FALSE, 0, 0);
}

static void
console_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KwbGdbConsole) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (out == NULL)
    append (self, error->message, self->error_tag);
  else if (*out != '\0')
    append (self, out, NULL);
}

void
kwb_gdb_console_run (KwbGdbConsole *self,
                     const char    *command)
{
  g_autofree char *prompt = NULL;

  g_return_if_fail (KWB_IS_GDB_CONSOLE (self));
  g_return_if_fail (command != NULL);

  if (*command == '\0')
    return;
  if (self->history->len == 0 ||
      g_strcmp0 (g_ptr_array_index (self->history, self->history->len - 1), command) != 0)
    g_ptr_array_add (self->history, g_strdup (command));
  if (self->history->len > MAX_HISTORY)
    g_ptr_array_remove_index (self->history, 0);
  self->history_pos = self->history->len;
  g_clear_pointer (&self->draft, g_free);

  prompt = g_strdup_printf ("(gdb) %s", command);
  append (self, prompt, self->command_tag);
  if (self->session == NULL)
    {
      append (self, _("No session is running: start one first (Ctrl+R)."), self->error_tag);
      return;
    }
  kwb_session_console_async (self->session, command, self->cancellable, console_cb, g_object_ref (self));
}

void
kwb_gdb_console_history_move (KwbGdbConsole *self,
                              int            direction)
{
  guint pos;

  g_return_if_fail (KWB_IS_GDB_CONSOLE (self));

  if (direction < 0 && self->history_pos == 0)
    return;
  if (direction > 0 && self->history_pos >= self->history->len)
    return;
  if (self->history_pos == self->history->len)
    {
      g_free (self->draft);
      self->draft = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
    }
  pos = direction < 0 ? self->history_pos - 1 : self->history_pos + 1;
  self->history_pos = pos;
  gtk_editable_set_text (GTK_EDITABLE (self->entry),
                         pos < self->history->len ? g_ptr_array_index (self->history, pos)
                                                  : (self->draft ? self->draft : ""));
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

static void
on_entry_activate (GtkEntry      *entry,
                   KwbGdbConsole *self)
{
  g_autofree char *command = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  kwb_gdb_console_run (self, command);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                KwbGdbConsole         *self)
{
  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    kwb_gdb_console_history_move (self, -1);
  else if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    kwb_gdb_console_history_move (self, +1);
  else
    return GDK_EVENT_PROPAGATE;
  return GDK_EVENT_STOP;
}

static void
on_session_log (KwbSession    *session,
                const char    *message,
                KwbGdbConsole *self)
{
  append (self, message, self->log_tag);
}

void
kwb_gdb_console_set_session (KwbGdbConsole *self,
                             KwbSession    *session)
{
  g_return_if_fail (KWB_IS_GDB_CONSOLE (self));

  if (self->session == session)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      self->cancellable = g_cancellable_new ();
      g_signal_connect_object (session, "log", G_CALLBACK (on_session_log), self, 0);
    }
}

char *
kwb_gdb_console_dup_text (KwbGdbConsole *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

GtkEntry *kwb_gdb_console_get_entry (KwbGdbConsole *self) { return self->entry; }

static void
kwb_gdb_console_dispose (GObject *object)
{
  KwbGdbConsole *self = KWB_GDB_CONSOLE (object);

  kwb_gdb_console_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_GDB_CONSOLE);
  /* The template's unnamed root is not unparented by dispose_template. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (kwb_gdb_console_parent_class)->dispose (object);
}

static void
kwb_gdb_console_finalize (GObject *object)
{
  KwbGdbConsole *self = KWB_GDB_CONSOLE (object);

  g_ptr_array_unref (self->history);
  g_free (self->draft);
  G_OBJECT_CLASS (kwb_gdb_console_parent_class)->finalize (object);
}

static void
kwb_gdb_console_class_init (KwbGdbConsoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_gdb_console_dispose;
  object_class->finalize = kwb_gdb_console_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-gdb-console.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbGdbConsole, scroller);
  gtk_widget_class_bind_template_child (widget_class, KwbGdbConsole, output);
  gtk_widget_class_bind_template_child (widget_class, KwbGdbConsole, entry);
}

static void
kwb_gdb_console_init (KwbGdbConsole *self)
{
  GtkTextBuffer *buffer;
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->history = g_ptr_array_new_with_free_func (g_free);

  buffer = gtk_text_view_get_buffer (self->output);
  self->command_tag = gtk_text_buffer_create_tag (buffer, NULL, "weight", PANGO_WEIGHT_BOLD, NULL);
  self->error_tag = gtk_text_buffer_create_tag (buffer, NULL, "foreground", "#e01b24", NULL);
  self->log_tag = gtk_text_buffer_create_tag (buffer, NULL, "style", PANGO_STYLE_ITALIC,
                                              "foreground-rgba", &(GdkRGBA) { 0.5, 0.5, 0.5, 1 }, NULL);

  g_signal_connect (self->entry, "activate", G_CALLBACK (on_entry_activate), self);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);
}
