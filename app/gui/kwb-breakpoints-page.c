/* kwb-breakpoints-page.c — the sidebar's breakpoint list, bound to the session's model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per breakpoint the user set (the session's internal ones, e.g. the
 * module loader's, are filtered out): location (a watchpoint's expression),
 * its kind when it is not a plain breakpoint, file:line and hits, an
 * enabled switch and a delete button. Below the list, how many of x86's four
 * debug registers the hardware breakpoints and watchpoints take. The rows call the session directly;
 * the model follows GDB's answers, so a row never shows a state GDB does not
 * have.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kwb-breakpoints-page.h"

struct _KwbBreakpointsPage
{
  GtkWidget           parent_instance;

  KwbSession         *session;
  GtkFilterListModel *filtered;

  GtkStack           *stack;
  GtkListView        *list_view;
  AdwStatusPage      *empty_page;
  GtkLabel           *registers_label;
};

G_DEFINE_FINAL_TYPE (KwbBreakpointsPage, kwb_breakpoints_page, GTK_TYPE_WIDGET)

enum {
  BREAKPOINT_ACTIVATED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
change_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KwbBreakpointsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_break_change_finish (KWB_SESSION (object), result, &error))
    g_signal_emit (self, signals[FAILED], 0, error->message);
}

void
kwb_breakpoints_page_set_enabled (KwbBreakpointsPage *self,
                                  KwbBreakpoint      *breakpoint,
                                  gboolean            enabled)
{
  g_return_if_fail (KWB_IS_BREAKPOINTS_PAGE (self));

  if (self->session == NULL || kwb_breakpoint_get_enabled (breakpoint) == !!enabled)
    return;
  kwb_session_break_enable_async (self->session, kwb_breakpoint_get_number (breakpoint), enabled,
                                  NULL, change_cb, g_object_ref (self));
}

void
kwb_breakpoints_page_delete (KwbBreakpointsPage *self,
                             KwbBreakpoint      *breakpoint)
{
  g_return_if_fail (KWB_IS_BREAKPOINTS_PAGE (self));

  if (self->session == NULL)
    return;
  kwb_session_break_delete_async (self->session, kwb_breakpoint_get_number (breakpoint),
                                  NULL, change_cb, g_object_ref (self));
}

/* ---- rows ---- */

typedef struct {
  GtkLabel  *title;
  GtkLabel  *kind;
  GtkLabel  *subtitle;
  GtkSwitch *toggle;
  GtkButton *remove;
} Row;

/* Shown beside the title; NULL for a plain breakpoint. */
static const char *
kind_label (KwbBreakpoint *bp)
{
  switch (kwb_breakpoint_get_kind (bp))
    {
    case KWB_BREAKPOINT_KIND_HARDWARE:
      return _("hardware");
    case KWB_BREAKPOINT_KIND_WATCH_WRITE:
      return _("on write");
    case KWB_BREAKPOINT_KIND_WATCH_READ:
      return _("on read");
    case KWB_BREAKPOINT_KIND_WATCH_ACCESS:
      return _("on access");
    case KWB_BREAKPOINT_KIND_WATCH_SOFTWARE:
      return _("software watch");
    case KWB_BREAKPOINT_KIND_OTHER:
      return _("other");
    case KWB_BREAKPOINT_KIND_BREAKPOINT:
    default:
      return NULL;
    }
}

static const char *
kind_tooltip (KwbBreakpoint *bp)
{
  switch (kwb_breakpoint_get_kind (bp))
    {
    case KWB_BREAKPOINT_KIND_HARDWARE:
      return _("A hardware breakpoint: one of the four debug registers, no change to the guest’s code");
    case KWB_BREAKPOINT_KIND_WATCH_WRITE:
      return _("Stops when the expression is written and its value changes");
    case KWB_BREAKPOINT_KIND_WATCH_READ:
      return _("Stops when the expression is read");
    case KWB_BREAKPOINT_KIND_WATCH_ACCESS:
      return _("Stops when the expression is read or written");
    case KWB_BREAKPOINT_KIND_WATCH_SOFTWARE:
    case KWB_BREAKPOINT_KIND_OTHER:
    case KWB_BREAKPOINT_KIND_BREAKPOINT:
    default:
      return NULL;
    }
}

static void
update_row (GtkWidget     *box,
            KwbBreakpoint *bp)
{
  const char *kind = kind_label (bp);
  Row *row = g_object_get_data (G_OBJECT (box), "kwb-row");
  const char *function = kwb_breakpoint_get_function (bp);
  const char *file = kwb_breakpoint_get_file (bp);
  g_autofree char *title = NULL;
  g_autofree char *where = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *base = file ? g_path_get_basename (file) : NULL;
  guint hits = kwb_breakpoint_get_hit_count (bp);

  if (kwb_breakpoint_get_expression (bp) != NULL)
    title = g_strdup (kwb_breakpoint_get_expression (bp));
  else
    title = function && *function ? g_strdup (function) : g_strdup (kwb_breakpoint_get_location (bp));
  /* Translators: a watchpoint's last value in the breakpoint list. */
  if (kwb_breakpoint_is_watchpoint (bp) && kwb_breakpoint_get_value (bp) != NULL)
    where = g_strdup_printf (_("= %s"), kwb_breakpoint_get_value (bp));
  else if (kwb_breakpoint_is_watchpoint (bp))
    where = g_strdup_printf (_("watchpoint %s"), kwb_breakpoint_get_number (bp));
  else if (kwb_breakpoint_get_pending (bp))
    where = g_strdup (_("pending: not loaded yet"));
  else if (base != NULL && kwb_breakpoint_get_line (bp) > 0)
    where = g_strdup_printf ("%s:%u", base, kwb_breakpoint_get_line (bp));
  else if (kwb_breakpoint_get_address (bp) != 0)
    where = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", kwb_breakpoint_get_address (bp));
  else
    where = g_strdup ("");
  /* Translators: "init/main.c:914 · 2 hits" in the breakpoint list. */
  subtitle = hits == 0 ? g_strdup (where)
                       : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u hit", "%s · %u hits", hits),
                                          where, hits);
  if (kwb_breakpoint_get_condition (bp) != NULL)
    {
      char *with = g_strdup_printf (_("%s · if %s"), subtitle, kwb_breakpoint_get_condition (bp));

      g_free (subtitle);
      subtitle = with;
    }
  gtk_label_set_label (row->title, title ? title : "?");
  gtk_label_set_label (row->subtitle, subtitle);
  gtk_label_set_label (row->kind, kind ? kind : "");
  gtk_widget_set_visible (GTK_WIDGET (row->kind), kind != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->kind), kind_tooltip (bp));
  gtk_widget_set_tooltip_text (box, kwb_breakpoint_get_location (bp));

  g_object_set_data (G_OBJECT (row->toggle), "kwb-updating", GINT_TO_POINTER (1));
  gtk_switch_set_active (row->toggle, kwb_breakpoint_get_enabled (bp));
  g_object_set_data (G_OBJECT (row->toggle), "kwb-updating", NULL);
}

static void
on_switch_active (GtkSwitch          *toggle,
                  GParamSpec         *pspec,
                  KwbBreakpointsPage *self)
{
  KwbBreakpoint *bp = g_object_get_data (G_OBJECT (toggle), "kwb-breakpoint");

  if (bp == NULL || g_object_get_data (G_OBJECT (toggle), "kwb-updating"))
    return;
  kwb_breakpoints_page_set_enabled (self, bp, gtk_switch_get_active (toggle));
}

static void
on_remove_clicked (GtkButton          *button,
                   KwbBreakpointsPage *self)
{
  KwbBreakpoint *bp = g_object_get_data (G_OBJECT (button), "kwb-breakpoint");

  if (bp != NULL)
    kwb_breakpoints_page_delete (self, bp);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          KwbBreakpointsPage       *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  Row *row = g_new0 (Row, 1);

  gtk_widget_set_name (box, "breakpoint_row");
  row->title = GTK_LABEL (gtk_label_new (NULL));
  row->subtitle = GTK_LABEL (gtk_label_new (NULL));
  row->kind = GTK_LABEL (gtk_label_new (NULL));
  row->toggle = GTK_SWITCH (gtk_switch_new ());
  row->remove = GTK_BUTTON (gtk_button_new_from_icon_name ("user-trash-symbolic"));
  gtk_widget_set_name (GTK_WIDGET (row->title), "breakpoint_title");
  gtk_widget_set_name (GTK_WIDGET (row->subtitle), "breakpoint_subtitle");
  gtk_widget_set_name (GTK_WIDGET (row->kind), "breakpoint_kind");
  gtk_widget_add_css_class (GTK_WIDGET (row->kind), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (row->kind), "accent");
  gtk_widget_set_valign (GTK_WIDGET (row->kind), GTK_ALIGN_BASELINE);
  gtk_widget_set_valign (GTK_WIDGET (row->title), GTK_ALIGN_BASELINE);
  gtk_widget_set_name (GTK_WIDGET (row->toggle), "breakpoint_switch");
  gtk_widget_set_name (GTK_WIDGET (row->remove), "breakpoint_delete");

  gtk_label_set_xalign (row->title, 0);
  gtk_label_set_ellipsize (row->title, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (row->title), "heading");
  gtk_label_set_xalign (row->subtitle, 0);
  gtk_label_set_ellipsize (row->subtitle, PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (row->title, 16);
  gtk_label_set_max_width_chars (row->subtitle, 16);
  gtk_widget_add_css_class (GTK_WIDGET (row->subtitle), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (row->subtitle), "caption");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (row->toggle), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (row->remove), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (row->remove), "flat");
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->remove), _("Delete the Breakpoint"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->toggle), _("Enabled"));

  gtk_box_append (GTK_BOX (heading), GTK_WIDGET (row->title));
  gtk_box_append (GTK_BOX (heading), GTK_WIDGET (row->kind));
  gtk_box_append (GTK_BOX (labels), heading);
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (row->subtitle));
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->toggle));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->remove));
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);

  g_object_set_data_full (G_OBJECT (box), "kwb-row", row, g_free);
  g_signal_connect (row->toggle, "notify::active", G_CALLBACK (on_switch_active), self);
  g_signal_connect (row->remove, "clicked", G_CALLBACK (on_remove_clicked), self);
  gtk_list_item_set_child (item, box);
}

static void
on_breakpoint_notify (KwbBreakpoint *bp,
                      GParamSpec    *pspec,
                      GtkWidget     *box)
{
  update_row (box, bp);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         KwbBreakpointsPage       *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  Row *row = g_object_get_data (G_OBJECT (box), "kwb-row");
  KwbBreakpoint *bp = gtk_list_item_get_item (item);

  g_object_set_data (G_OBJECT (row->toggle), "kwb-breakpoint", bp);
  g_object_set_data (G_OBJECT (row->remove), "kwb-breakpoint", bp);
  update_row (box, bp);
  g_signal_connect_object (bp, "notify", G_CALLBACK (on_breakpoint_notify), box, 0);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           KwbBreakpointsPage       *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  Row *row = g_object_get_data (G_OBJECT (box), "kwb-row");
  KwbBreakpoint *bp = gtk_list_item_get_item (item);

  if (bp != NULL)
    g_signal_handlers_disconnect_by_func (bp, on_breakpoint_notify, box);
  g_object_set_data (G_OBJECT (row->toggle), "kwb-breakpoint", NULL);
  g_object_set_data (G_OBJECT (row->remove), "kwb-breakpoint", NULL);
}

static void
on_activate (GtkListView        *list_view,
             guint               position,
             KwbBreakpointsPage *self)
{
  g_autoptr(KwbBreakpoint) bp = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (bp != NULL)
    g_signal_emit (self, signals[BREAKPOINT_ACTIVATED], 0, bp);
}

static void
update_empty (KwbBreakpointsPage *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static void
update_registers (KwbBreakpointsPage *self)
{
  guint used;
  g_autofree char *text = NULL;

  if (self->session == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->registers_label), FALSE);
      return;
    }
  used = kwb_breakpoints_get_hardware_slots_used (kwb_session_get_breakpoints (self->session));
  /* Translators: "2 of 4 debug registers in use", below the breakpoint list. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u debug registers in use",
                                       "%u of %u debug registers in use", KWB_BREAKPOINT_DEBUG_REGISTERS),
                          used, KWB_BREAKPOINT_DEBUG_REGISTERS);
  gtk_label_set_label (self->registers_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->registers_label),
                               _("Hardware breakpoints and watchpoints share x86’s four debug registers"));
  gtk_widget_set_visible (GTK_WIDGET (self->registers_label), TRUE);
}

static gboolean
filter_user_breakpoints (gpointer item,
                         gpointer user_data)
{
  KwbBreakpointsPage *self = user_data;

  return self->session == NULL ||
         !kwb_breakpoints_is_internal (kwb_session_get_breakpoints (self->session),
                                       kwb_breakpoint_get_number (item));
}

void
kwb_breakpoints_page_set_session (KwbBreakpointsPage *self,
                                  KwbSession         *session)
{
  g_return_if_fail (KWB_IS_BREAKPOINTS_PAGE (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (kwb_session_get_breakpoints (self->session), update_registers, self);
  g_set_object (&self->session, session);
  gtk_filter_list_model_set_model (self->filtered,
                                   session ? G_LIST_MODEL (kwb_session_get_breakpoints (session)) : NULL);
  if (session != NULL)
    g_signal_connect_object (kwb_session_get_breakpoints (session), "notify::hardware-slots-used",
                             G_CALLBACK (update_registers), self, G_CONNECT_SWAPPED);
  update_empty (self);
  update_registers (self);
}

/* Breakpoints set before a session: GDB does not know them yet, so they
 * are counted on the empty page rather than listed. */
void
kwb_breakpoints_page_set_n_waiting (KwbBreakpointsPage *self,
                                    guint               n_waiting)
{
  g_autofree char *title = NULL;

  g_return_if_fail (KWB_IS_BREAKPOINTS_PAGE (self));

  if (n_waiting == 0)
    {
      adw_status_page_set_title (self->empty_page, _("No Breakpoints"));
      adw_status_page_set_description (self->empty_page,
                                       _("Click in the gutter of a source line, or press F9, to set one."));
      return;
    }
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Breakpoint Waiting", "%u Breakpoints Waiting",
                                        n_waiting), n_waiting);
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page,
                                   _("Set before booting: GDB gets them when the session starts (Ctrl+R)."));
}

GListModel *kwb_breakpoints_page_get_model (KwbBreakpointsPage *self) { return G_LIST_MODEL (self->filtered); }

static void
kwb_breakpoints_page_dispose (GObject *object)
{
  KwbBreakpointsPage *self = KWB_BREAKPOINTS_PAGE (object);

  if (self->filtered != NULL)
    gtk_filter_list_model_set_model (self->filtered, NULL);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (kwb_session_get_breakpoints (self->session), update_registers, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_BREAKPOINTS_PAGE);
  /* The template's unnamed root is not unparented by dispose_template. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->filtered);
  G_OBJECT_CLASS (kwb_breakpoints_page_parent_class)->dispose (object);
}

static void
kwb_breakpoints_page_class_init (KwbBreakpointsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_breakpoints_page_dispose;

  signals[BREAKPOINT_ACTIVATED] =
    g_signal_new ("breakpoint-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KWB_TYPE_BREAKPOINT);
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-breakpoints-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbBreakpointsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KwbBreakpointsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, KwbBreakpointsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KwbBreakpointsPage, registers_label);
}

static void
kwb_breakpoints_page_init (KwbBreakpointsPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->filtered = gtk_filter_list_model_new (NULL,
                                              GTK_FILTER (gtk_custom_filter_new (filter_user_breakpoints, self, NULL)));
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_empty), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  {
    g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));

    gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  }
  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_activate), self);
  update_empty (self);
}
