/* kwb-crash-banner.c — "Oops in FUNC at FILE:LINE" over the source view at a crash stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * At a crash stop the source view is already at the faulting line and the
 * backtrace starts at the faulting frame; this bar says why the guest
 * stopped there: the kind of crash, the kernel's headline, and the whole
 * report it printed (expandable), with its code locations as links, as in
 * the serial console and the kernel log. A revealer with a styled bar, as
 * kwb-stale-banner.c (libadwaita 1.2 has no AdwBanner). ::link-activated
 * hands a link's text to the window.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-crash-banner.h"

struct _KwbCrashBanner
{
  GtkWidget    parent_instance;

  KwbCrash    *crash;
  GtkRevealer *revealer;
  GtkLabel    *title;
  GtkLabel    *headline;
  GtkLabel    *report;
  GtkExpander *expander;
};

G_DEFINE_FINAL_TYPE (KwbCrashBanner, kwb_crash_banner, GTK_TYPE_WIDGET)

enum {
  LINK_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_title (KwbCrash         *crash,
           const KwbGdbStop *stop)
{
  g_autofree char *base = stop->fullname ? g_path_get_basename (stop->fullname)
                          : stop->file ? g_path_get_basename (stop->file) : NULL;
  const char *func = stop->func ? stop->func : "??";

  switch (kwb_crash_get_kind (crash))
    {
    case KWB_CRASH_BUG:
      return base ? g_strdup_printf (_("BUG() in %s at %s:%d"), func, base, stop->line)
                  : g_strdup_printf (_("BUG() in %s"), func);
    case KWB_CRASH_WARNING:
      return base ? g_strdup_printf (_("Warning in %s at %s:%d"), func, base, stop->line)
                  : g_strdup_printf (_("Warning in %s"), func);
    case KWB_CRASH_PANIC:
      return base ? g_strdup_printf (_("Kernel panic in %s at %s:%d"), func, base, stop->line)
                  : g_strdup_printf (_("Kernel panic in %s"), func);
    case KWB_CRASH_OOPS:
    default:
      return base ? g_strdup_printf (_("Oops in %s at %s:%d"), func, base, stop->line)
                  : g_strdup_printf (_("Oops in %s"), func);
    }
}

void
kwb_crash_banner_set_crash (KwbCrashBanner   *self,
                            KwbCrash         *crash,
                            const KwbGdbStop *stop)
{
  g_return_if_fail (KWB_IS_CRASH_BANNER (self));

  g_set_object (&self->crash, crash);
  if (crash != NULL && stop != NULL)
    {
      g_autofree char *title = dup_title (crash, stop);
      g_autofree char *markup = kwb_code_link_dup_markup (kwb_crash_get_text (crash));

      gtk_label_set_label (self->title, title);
      gtk_label_set_label (self->headline, kwb_crash_get_title (crash));
      if (markup != NULL)
        gtk_label_set_markup (self->report, markup);
      else
        gtk_label_set_text (self->report, kwb_crash_get_text (crash));
    }
  gtk_widget_set_visible (GTK_WIDGET (self), crash != NULL);
  gtk_revealer_set_reveal_child (self->revealer, crash != NULL);
}

KwbCrash *
kwb_crash_banner_get_crash (KwbCrashBanner *self)
{
  g_return_val_if_fail (KWB_IS_CRASH_BANNER (self), NULL);
  return self->crash;
}

static gboolean
on_activate_link (GtkLabel       *label,
                  const char     *uri,
                  KwbCrashBanner *self)
{
  g_signal_emit (self, signals[LINK_ACTIVATED], 0, uri);
  return TRUE;
}

static void
on_close_clicked (GtkButton      *button,
                  KwbCrashBanner *self)
{
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
kwb_crash_banner_new (void)
{
  return g_object_new (KWB_TYPE_CRASH_BANNER, NULL);
}

static void
kwb_crash_banner_dispose (GObject *object)
{
  KwbCrashBanner *self = KWB_CRASH_BANNER (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->crash);
  G_OBJECT_CLASS (kwb_crash_banner_parent_class)->dispose (object);
}

static void
kwb_crash_banner_class_init (KwbCrashBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_crash_banner_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  /**
   * KwbCrashBanner::link-activated:
   * @link: the code location's text, e.g. "RIP: 0010:func+0x1a/0x30"
   */
  signals[LINK_ACTIVATED] =
    g_signal_new ("link-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static GtkLabel *
label_new (const char *name,
           gboolean    selectable)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_widget_set_name (GTK_WIDGET (label), name);
  gtk_label_set_xalign (label, 0);
  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (label, selectable);
  return label;
}

static void
kwb_crash_banner_init (KwbCrashBanner *self)
{
  GtkWidget *bar, *icon, *texts, *buttons, *button, *scrolled;

  gtk_widget_set_name (GTK_WIDGET (self), "crash_banner");
  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->revealer), GTK_WIDGET (self));

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (bar, "kwb-banner");
  gtk_widget_add_css_class (bar, "error");
  icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (bar), icon);

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_hexpand (texts, TRUE);
  self->title = label_new ("crash_title", FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "heading");
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->title));
  self->headline = label_new ("crash_headline", TRUE);
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->headline));

  self->report = label_new ("crash_report", TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->report), "monospace");
  gtk_label_set_wrap (self->report, FALSE);
  gtk_widget_set_valign (GTK_WIDGET (self->report), GTK_ALIGN_START);
  g_signal_connect_object (self->report, "activate-link", G_CALLBACK (on_activate_link), self, 0);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->report));
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 180);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  self->expander = GTK_EXPANDER (gtk_expander_new_with_mnemonic (_("Kernel _report")));
  gtk_widget_set_name (GTK_WIDGET (self->expander), "crash_expander");
  gtk_expander_set_child (self->expander, scrolled);
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->expander));
  gtk_box_append (GTK_BOX (bar), texts);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (buttons, GTK_ALIGN_START);
  button = gtk_button_new_with_mnemonic (_("Kernel _Log"));
  gtk_widget_set_tooltip_text (button, _("Show the kernel log panel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-panel");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", "log");
  gtk_box_append (GTK_BOX (buttons), button);
  button = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_name (button, "crash_close_button");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Hide"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_close_clicked), self, 0);
  gtk_box_append (GTK_BOX (buttons), button);
  gtk_box_append (GTK_BOX (bar), buttons);

  gtk_revealer_set_child (self->revealer, bar);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
