/* kwb-memory-view.c — guest memory as a hex/ASCII dump that follows an expression
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Memory panel: an entry for an address or a C expression, one for the
 * length, and the dump kwb_memory_format_hex() makes (the same lines `kwb
 * debug --show mem:` prints) in a monospace text view, where the bytes that
 * changed since the previous stop are highlighted in both columns and
 * unreadable ones dimmed. The model (a KwbMemory) is the window's: it
 * refreshes it at each stop while the panel is on screen, and the view
 * redraws on the model's ::refreshed. Applying a new expression at a stop
 * refreshes at once; the typed expression carries over from one session's
 * model to the next.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-memory-view.h"

struct _KwbMemoryView
{
  GtkWidget     parent_instance;

  GtkEntry     *expression_entry;
  GtkEntry     *length_entry;
  GtkLabel     *status_label;
  GtkTextView  *text_view;

  KwbMemory    *memory;
  GCancellable *cancellable; /* our own refreshes of MEMORY */
};

G_DEFINE_FINAL_TYPE (KwbMemoryView, kwb_memory_view, GTK_TYPE_WIDGET)

/* ---- showing the model ---- */

static void
set_status (KwbMemoryView *self,
            const char    *text,
            gboolean       is_error)
{
  gtk_label_set_text (self->status_label, text);
  if (is_error)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
}

/* Tags BYTE's two hex digits and its character in the dump. */
static void
tag_byte (GtkTextBuffer *buffer,
          const char    *tag,
          gsize          offset)
{
  int line = offset / KWB_MEMORY_ROW_WIDTH;
  guint index = offset % KWB_MEMORY_ROW_WIDTH;
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_line_offset (buffer, &start, line, kwb_memory_hex_column (index));
  gtk_text_buffer_get_iter_at_line_offset (buffer, &end, line, kwb_memory_hex_column (index) + 2);
  gtk_text_buffer_apply_tag_by_name (buffer, tag, &start, &end);
  gtk_text_buffer_get_iter_at_line_offset (buffer, &start, line,
                                           kwb_memory_ascii_column (index, KWB_MEMORY_ROW_WIDTH));
  end = start;
  gtk_text_iter_forward_char (&end);
  gtk_text_buffer_apply_tag_by_name (buffer, tag, &start, &end);
}

static void
show_model (KwbMemoryView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  /* Without a session, what is typed waits for the next one. */
  const char *expression = self->memory ? kwb_memory_get_expression (self->memory)
                                        : gtk_editable_get_text (GTK_EDITABLE (self->expression_entry));
  GBytes *bytes = self->memory ? kwb_memory_get_bytes (self->memory) : NULL;
  const GError *error = self->memory ? kwb_memory_get_error (self->memory) : NULL;
  g_autofree char *dump = NULL;
  g_autoptr(GString) status = NULL;
  const guint8 *flags;
  gsize length, n_changed, n_unreadable;

  if (error != NULL)
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      set_status (self, error->message, TRUE);
      return;
    }
  if (bytes == NULL)
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      set_status (self, expression == NULL || *expression == '\0'
                          ? _("Type an address or an expression and press Enter: it is read again at each stop.")
                          : _("Shown at the next stop."),
                  FALSE);
      return;
    }

  flags = kwb_memory_get_flags (self->memory, &length);
  dump = kwb_memory_format_hex (kwb_memory_get_address (self->memory), bytes, flags, KWB_MEMORY_ROW_WIDTH);
  gtk_text_buffer_set_text (buffer, dump, -1);
  for (gsize i = 0; i < length; i++)
    {
      if (flags[i] & KWB_MEMORY_BYTE_CHANGED)
        tag_byte (buffer, "changed", i);
      else if (flags[i] & KWB_MEMORY_BYTE_UNREADABLE)
        tag_byte (buffer, "unreadable", i);
    }

  status = g_string_new (NULL);
  /* Translators: an expression, how many bytes are shown, and where. */
  g_string_printf (status, _("%s: %lu bytes at 0x%llx"), expression, (unsigned long) length,
                   (unsigned long long) kwb_memory_get_address (self->memory));
  n_changed = kwb_memory_count_flag (self->memory, KWB_MEMORY_BYTE_CHANGED);
  n_unreadable = kwb_memory_count_flag (self->memory, KWB_MEMORY_BYTE_UNREADABLE);
  if (n_changed > 0)
    {
      g_string_append (status, " · ");
      g_string_append_printf (status, _("changed since the previous stop: %lu"), (unsigned long) n_changed);
    }
  if (n_unreadable > 0)
    {
      g_string_append (status, " · ");
      g_string_append_printf (status, _("not mapped, shown as ??: %lu"), (unsigned long) n_unreadable);
    }
  set_status (self, status->str, FALSE);
}

/* ---- applying what was typed ---- */

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failure is shown from the model (::refreshed); a cancelled refresh
   * belongs to a model or view that is gone. */
  kwb_kernel_view_refresh_finish (KWB_KERNEL_VIEW (object), result, &error);
}

/* The entries into the model; FALSE (and the reason shown) when the length is bad. */
static gboolean
apply_entries (KwbMemoryView *self)
{
  g_autofree char *expression = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->expression_entry))));
  g_autoptr(GError) error = NULL;
  gsize length;

  if (!kwb_memory_parse_length (gtk_editable_get_text (GTK_EDITABLE (self->length_entry)), &length, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->length_entry), "error");
      set_status (self, error->message, TRUE);
      return FALSE;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->length_entry), "error");
  if (self->memory != NULL)
    {
      kwb_memory_set_expression (self->memory, *expression ? expression : NULL);
      kwb_memory_set_length (self->memory, length);
    }
  return TRUE;
}

static void
on_apply (KwbMemoryView *self)
{
  KwbSession *session;

  if (!apply_entries (self))
    return;
  session = self->memory ? kwb_memory_get_session (self->memory) : NULL;
  if (session != NULL && kwb_session_get_state (session) == KWB_SESSION_STATE_STOPPED)
    kwb_kernel_view_refresh_async (KWB_KERNEL_VIEW (self->memory), self->cancellable, refresh_cb, NULL);
  else
    show_model (self);
}

void
kwb_memory_view_set_expression (KwbMemoryView *self,
                                const char    *expression)
{
  g_return_if_fail (KWB_IS_MEMORY_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->expression_entry), expression ? expression : "");
  on_apply (self);
}

void
kwb_memory_view_set_model (KwbMemoryView *self,
                           KwbMemory     *memory)
{
  g_return_if_fail (KWB_IS_MEMORY_VIEW (self));
  g_return_if_fail (memory == NULL || KWB_IS_MEMORY (memory));

  if (self->memory == memory)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->memory != NULL)
    g_signal_handlers_disconnect_by_data (self->memory, self);
  g_set_object (&self->memory, memory);
  if (memory != NULL)
    {
      g_signal_connect_object (memory, "refreshed", G_CALLBACK (show_model), self, G_CONNECT_SWAPPED);
      apply_entries (self);
    }
  show_model (self);
}

KwbMemory *
kwb_memory_view_get_model (KwbMemoryView *self)
{
  g_return_val_if_fail (KWB_IS_MEMORY_VIEW (self), NULL);
  return self->memory;
}

char *
kwb_memory_view_dup_text (KwbMemoryView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (KWB_IS_MEMORY_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

GtkWidget *
kwb_memory_view_new (void)
{
  return g_object_new (KWB_TYPE_MEMORY_VIEW, NULL);
}

/* ---- GObject ---- */

static void
kwb_memory_view_dispose (GObject *object)
{
  KwbMemoryView *self = KWB_MEMORY_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->memory != NULL)
    g_signal_handlers_disconnect_by_data (self->memory, self);
  g_clear_object (&self->memory);
  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_MEMORY_VIEW);
  /* The template's unnamed root is not unparented by dispose_template. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (kwb_memory_view_parent_class)->dispose (object);
}

static void
kwb_memory_view_class_init (KwbMemoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_memory_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-memory-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbMemoryView, expression_entry);
  gtk_widget_class_bind_template_child (widget_class, KwbMemoryView, length_entry);
  gtk_widget_class_bind_template_child (widget_class, KwbMemoryView, status_label);
  gtk_widget_class_bind_template_child (widget_class, KwbMemoryView, text_view);
  gtk_widget_class_bind_template_callback (widget_class, on_apply);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kwb_memory_view_init (KwbMemoryView *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  /* Changed bytes: bold on a translucent accent blue, readable in light
   * and dark styles, and not by colour alone. */
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_create_tag (buffer, "changed",
                              "weight", PANGO_WEIGHT_BOLD,
                              "background-rgba", &(GdkRGBA) { 0.21, 0.52, 0.89, 0.35 },
                              NULL);
  gtk_text_buffer_create_tag (buffer, "unreadable",
                              "foreground-rgba", &(GdkRGBA) { 0.5, 0.5, 0.5, 1.0 },
                              NULL);
  show_model (self);
}
