/* kwb-modules-page.c — the sidebar's Modules page, bound to a KwbModules model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per module the guest has: name, state, text address and size,
 * and where its symbols came from — or why there are none, with the
 * folders searched in the tooltip. A right click offers "Load Symbols
 * From…" a chosen .ko; the entry above filters by name. The rows follow
 * the KwbModule properties, so a module coming live or losing its symbols
 * updates in place.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kwb-modules-page.h"

struct _KwbModulesPage
{
  GtkWidget           parent_instance;

  KwbModules         *modules;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  char               *filter_text;
  gboolean            setting_text;
  KwbModule          *menu_module;   /* the row the menu was opened on */
  GtkWidget          *menu;

  GtkStack           *stack;
  GtkListView        *list_view;
  GtkSearchEntry     *filter_entry;
};

G_DEFINE_FINAL_TYPE (KwbModulesPage, kwb_modules_page, GTK_TYPE_WIDGET)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- texts ---- */

char *
kwb_modules_page_dup_row_subtitle (KwbModule *module)
{
  g_autofree char *size = g_format_size_full (kwb_module_get_size (module), G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *address = NULL;
  const char *state;

  switch (kwb_module_get_state (module))
    {
    case KWB_MODULE_STATE_LIVE: state = _("live"); break;
    case KWB_MODULE_STATE_COMING: state = _("loading"); break;
    case KWB_MODULE_STATE_GOING: state = _("unloading"); break;
    case KWB_MODULE_STATE_UNFORMED: state = _("being set up"); break;
    default: state = "?"; break;
    }
  /* The address as a string: a G_GINT64 format inside _() cannot be translated. */
  address = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", kwb_module_get_text_address (module));
  /* Translators: "live · 0xffffffffa0000000 · 12.0 KiB" in the module list. */
  return g_strdup_printf (_("%s · %s · %s"), state, address, size);
}

/* ---- rows ---- */

typedef struct {
  GtkLabel *title;
  GtkLabel *subtitle;
  GtkLabel *symbols;
  GtkImage *warning;
} Row;

static void
update_row (GtkWidget *box,
            KwbModule *module)
{
  Row *row = g_object_get_data (G_OBJECT (box), "kwb-row");
  g_autofree char *subtitle = kwb_modules_page_dup_row_subtitle (module);
  g_autofree char *symbols = NULL;
  g_autoptr(GString) tooltip = g_string_new (NULL);
  gboolean loaded = kwb_module_get_symbols_loaded (module);
  const char * const *searched = kwb_module_get_searched (module);

  if (loaded)
    {
      g_autofree char *base = g_path_get_basename (kwb_module_get_ko_path (module));

      symbols = g_strdup_printf (_("Symbols: %s"), base);
    }
  else if (kwb_module_get_symbols_problem (module) != NULL)
    symbols = g_strdup (searched != NULL ? _("Symbols not found") : _("No symbols"));
  else
    symbols = g_strdup (_("Reading symbols…"));

  gtk_label_set_label (row->title, kwb_module_get_name (module));
  gtk_label_set_label (row->subtitle, subtitle);
  gtk_label_set_label (row->symbols, symbols);
  gtk_widget_set_visible (GTK_WIDGET (row->warning), !loaded && kwb_module_get_symbols_problem (module) != NULL);

  {
    g_autofree char *text = kwb_module_dup_symbols_text (module);

    g_string_append (tooltip, text);
  }
  if (searched != NULL && searched[0] != NULL)
    {
      g_string_append_printf (tooltip, "\n%s", _("Folders searched:"));
      for (guint i = 0; searched[i] != NULL; i++)
        g_string_append_printf (tooltip, "\n  %s", searched[i]);
    }
  g_string_append_printf (tooltip, "\n%s", _("Right-click to load symbols from a file"));
  gtk_widget_set_tooltip_text (box, tooltip->str);
}

static void
on_module_notify (KwbModule  *module,
                  GParamSpec *pspec,
                  GtkWidget  *box)
{
  update_row (box, module);
}

static void
on_row_pressed (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                KwbModulesPage  *self)
{
  GtkWidget *box = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  KwbModule *module = g_object_get_data (G_OBJECT (box), "kwb-module");
  double px = 0, py = 0;

  if (module == NULL)
    return;
  g_set_object (&self->menu_module, module);
  if (!gtk_widget_translate_coordinates (box, GTK_WIDGET (self), x, y, &px, &py))
    px = py = 0;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu),
                               &(GdkRectangle) { (int) px, (int) py, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          KwbModulesPage           *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkGesture *click = gtk_gesture_click_new ();
  Row *row = g_new0 (Row, 1);

  gtk_widget_set_name (box, "module_row");
  row->title = GTK_LABEL (gtk_label_new (NULL));
  row->subtitle = GTK_LABEL (gtk_label_new (NULL));
  row->symbols = GTK_LABEL (gtk_label_new (NULL));
  row->warning = GTK_IMAGE (gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_widget_set_name (GTK_WIDGET (row->title), "module_title");
  gtk_widget_set_name (GTK_WIDGET (row->subtitle), "module_subtitle");
  gtk_widget_set_name (GTK_WIDGET (row->symbols), "module_symbols");

  gtk_label_set_xalign (row->title, 0);
  gtk_label_set_ellipsize (row->title, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (row->title), "heading");
  gtk_label_set_xalign (row->subtitle, 0);
  gtk_label_set_ellipsize (row->subtitle, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (row->subtitle), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (row->subtitle), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (row->subtitle), "numeric");
  gtk_label_set_xalign (row->symbols, 0);
  gtk_label_set_ellipsize (row->symbols, PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (GTK_WIDGET (row->symbols), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (row->symbols), "caption");
  gtk_label_set_max_width_chars (row->title, 16);
  gtk_label_set_max_width_chars (row->subtitle, 16);
  gtk_label_set_max_width_chars (row->symbols, 16);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (row->warning), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (row->warning), "warning");

  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (row->title));
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (row->subtitle));
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (row->symbols));
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->warning));
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_row_pressed), self);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));

  g_object_set_data_full (G_OBJECT (box), "kwb-row", row, g_free);
  gtk_list_item_set_child (item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         KwbModulesPage           *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  KwbModule *module = gtk_list_item_get_item (item);

  g_object_set_data (G_OBJECT (box), "kwb-module", module);
  update_row (box, module);
  g_signal_connect_object (module, "notify", G_CALLBACK (on_module_notify), box, 0);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           KwbModulesPage           *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  KwbModule *module = gtk_list_item_get_item (item);

  if (module != NULL)
    g_signal_handlers_disconnect_by_func (module, on_module_notify, box);
  g_object_set_data (G_OBJECT (box), "kwb-module", NULL);
}

/* ---- loading symbols by hand ---- */

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KwbModulesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_modules_load_symbols_finish (KWB_MODULES (object), result, &error))
    g_signal_emit (self, signals[FAILED], 0, error->message);
}

void
kwb_modules_page_load_symbols_from (KwbModulesPage *self,
                                    KwbModule      *module,
                                    GFile          *ko)
{
  g_autofree char *path = NULL;

  g_return_if_fail (KWB_IS_MODULES_PAGE (self));
  g_return_if_fail (KWB_IS_MODULE (module));
  g_return_if_fail (G_IS_FILE (ko));

  if (self->modules == NULL || (path = g_file_get_path (ko)) == NULL)
    return;
  kwb_modules_load_symbols_async (self->modules, module, path, NULL, load_cb, g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  KwbModulesPage *self = user_data;
  KwbModule *module = g_object_get_data (G_OBJECT (dialog), "kwb-module");

  if (response == GTK_RESPONSE_ACCEPT && module != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        kwb_modules_page_load_symbols_from (self, module, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
load_symbols_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KwbModulesPage *self = KWB_MODULES_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *title = NULL;
  GtkFileChooserNative *chooser;

  if (self->menu_module == NULL)
    return;
  /* Translators: the file chooser's title; %s is a module name. */
  title = g_strdup_printf (_("Load Symbols for %s"), kwb_module_get_name (self->menu_module));
  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Load"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Kernel modules (*.ko)"));
  gtk_file_filter_add_pattern (filter, "*.ko");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data_full (G_OBJECT (chooser), "kwb-module", g_object_ref (self->menu_module), g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- filter and model ---- */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  KwbModulesPage *self = user_data;
  g_autofree char *name = NULL;
  g_autofree char *needle = NULL;

  if (self->filter_text == NULL || *self->filter_text == '\0')
    return TRUE;
  /* `_` and `-` are one character to the kernel: to the filter too. */
  name = g_utf8_strdown (kwb_module_get_name (item), -1);
  needle = g_utf8_strdown (self->filter_text, -1);
  g_strdelimit (name, "-", '_');
  g_strdelimit (needle, "-", '_');
  return strstr (name, needle) != NULL;
}

static void
update_empty (KwbModulesPage *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

void
kwb_modules_page_set_filter_text (KwbModulesPage *self,
                                  const char     *text)
{
  g_return_if_fail (KWB_IS_MODULES_PAGE (self));

  if (g_strcmp0 (self->filter_text, text) == 0)
    return;
  g_free (self->filter_text);
  self->filter_text = g_strdup (text);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)), text ? text : "") != 0)
    {
      /* set_text deletes then inserts, and the entry reports the empty
       * text in between at once: ignore the echo. */
      self->setting_text = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text ? text : "");
      self->setting_text = FALSE;
    }
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_search_changed (GtkSearchEntry *entry,
                   KwbModulesPage *self)
{
  if (self->setting_text)
    return;
  kwb_modules_page_set_filter_text (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

void
kwb_modules_page_set_modules (KwbModulesPage *self,
                              KwbModules     *modules)
{
  g_return_if_fail (KWB_IS_MODULES_PAGE (self));
  g_return_if_fail (modules == NULL || KWB_IS_MODULES (modules));

  if (!g_set_object (&self->modules, modules))
    return;
  g_clear_object (&self->menu_module);
  gtk_filter_list_model_set_model (self->filtered, modules ? G_LIST_MODEL (modules) : NULL);
  update_empty (self);
}

KwbModules *kwb_modules_page_get_modules (KwbModulesPage *self) { return self->modules; }
GListModel *kwb_modules_page_get_model (KwbModulesPage *self) { return G_LIST_MODEL (self->filtered); }

GtkWidget *
kwb_modules_page_new (void)
{
  return g_object_new (KWB_TYPE_MODULES_PAGE, NULL);
}

/* ---- GObject ---- */

static void
kwb_modules_page_dispose (GObject *object)
{
  KwbModulesPage *self = KWB_MODULES_PAGE (object);

  if (self->filtered != NULL)
    gtk_filter_list_model_set_model (self->filtered, NULL);
  g_clear_object (&self->modules);
  g_clear_object (&self->menu_module);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_MODULES_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->filtered);
  G_OBJECT_CLASS (kwb_modules_page_parent_class)->dispose (object);
}

static void
kwb_modules_page_finalize (GObject *object)
{
  KwbModulesPage *self = KWB_MODULES_PAGE (object);

  g_free (self->filter_text);
  G_OBJECT_CLASS (kwb_modules_page_parent_class)->finalize (object);
}

static void
kwb_modules_page_class_init (KwbModulesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_modules_page_dispose;
  object_class->finalize = kwb_modules_page_finalize;

  /**
   * KwbModulesPage::failed:
   * @message: why loading symbols by hand failed (for a toast)
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "modules-page.load-symbols", NULL, load_symbols_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-modules-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbModulesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KwbModulesPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, KwbModulesPage, filter_entry);
}

static void
kwb_modules_page_init (KwbModulesPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->filter)));
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_empty), self);
  g_signal_connect (self->filter_entry, "search-changed", G_CALLBACK (on_search_changed), self);

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

  {
    g_autoptr(GMenu) menu = g_menu_new ();

    g_menu_append (menu, _("_Load Symbols From…"), "modules-page.load-symbols");
    self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  }
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  update_empty (self);
}
