/* kwb-quick-open.c — Ctrl+O: fuzzy file-name search over the kernel source tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kernel tree has about 70 000 files. They are listed once per tree in a
 * thread and kept for the life of the process; each keystroke then scores
 * every path in the main thread (a subsequence match, a few milliseconds)
 * and shows the best MAX_RESULTS.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-quick-open.h"

#define MAX_RESULTS 200

struct _KwbQuickOpen
{
  AdwWindow       parent_instance;

  char           *source_dir;
  GPtrArray      *files;     /* borrowed from the cache: relative paths */
  GtkStringList  *results;
  GCancellable   *cancellable;
  char           *query;

  GtkSearchEntry *entry;
  GtkStack       *stack;
  GtkListView    *list_view;
  AdwStatusPage  *error_page;
};

G_DEFINE_FINAL_TYPE (KwbQuickOpen, kwb_quick_open, ADW_TYPE_WINDOW)

enum {
  FILE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* source dir → GPtrArray of relative paths; lives as long as the process. */
static GHashTable *file_lists;

/* ---- listing the tree (thread) ---- */

static void
list_dir (GPtrArray  *files,
          const char *root,
          const char *relative)
{
  g_autofree char *path = relative ? g_build_filename (root, relative, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = relative ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);

      if (name[0] == '.')
        continue; /* .git, .tmp_versions, editor files */
      /* lstat: a symlink to a directory is not followed (no loops). */
      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        {
          if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add (files, g_steal_pointer (&child_rel));
        }
      else if (g_file_test (child, G_FILE_TEST_IS_DIR))
        list_dir (files, root, child_rel);
      else
        g_ptr_array_add (files, g_steal_pointer (&child_rel));
    }
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *root = task_data;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_unref (files);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The source tree %s does not exist. Build the kernel once "
                                 "(kwb kernel build) or set [kernel] source-dir in the project."), root);
      return;
    }
  list_dir (files, root, NULL);
  g_task_return_pointer (task, files, (GDestroyNotify) g_ptr_array_unref);
}

/* ---- scoring ---- */

int
kwb_quick_open_score (const char *path,
                      const char *query)
{
  const char *base = strrchr (path, '/');
  const char *p = path;
  int score = 0;
  int run = 0;
  gboolean in_base = FALSE;

  base = base ? base + 1 : path;
  for (const char *q = query; *q != '\0'; q++)
    {
      char want = g_ascii_tolower (*q);
      gboolean found = FALSE;

      if (*q == ' ')
        continue;
      for (; *p != '\0'; p++)
        {
          if (g_ascii_tolower (*p) == want)
            {
              found = TRUE;
              break;
            }
          run = 0;
        }
      if (!found)
        return -1;
      /* Runs of consecutive letters, starts of names and the base name
       * weigh most: "sys.c" should find kernel/sys.c first. */
      run++;
      score += 1 + run * 3;
      if (p == path || p[-1] == '/' || p[-1] == '_' || p[-1] == '-' || p[-1] == '.')
        score += 6;
      in_base = p >= base;
      if (in_base)
        score += 4;
      p++;
    }
  /* Shorter paths first among equals; an exact base name wins outright. */
  score -= (int) strlen (path) / 8;
  if (g_ascii_strcasecmp (base, query) == 0)
    score += 100;
  return score;
}

typedef struct {
  const char *path;
  int         score;
} Hit;

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const Hit *x = a, *y = b;

  if (x->score != y->score)
    return y->score - x->score;
  return strcmp (x->path, y->path);
}

static void
update_results (KwbQuickOpen *self)
{
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  const char *query = self->query ? self->query : "";

  if (self->files == NULL)
    return;
  hits = g_array_sized_new (FALSE, FALSE, sizeof (Hit), 1024);
  for (guint i = 0; i < self->files->len; i++)
    {
      const char *path = g_ptr_array_index (self->files, i);
      Hit hit = { path, *query ? kwb_quick_open_score (path, query) : 0 };

      if (hit.score >= 0)
        g_array_append_val (hits, hit);
      /* Without a query, the first files listed are as good as any. */
      if (*query == '\0' && hits->len >= MAX_RESULTS)
        break;
    }
  if (*query != '\0')
    g_array_sort (hits, compare_hits);
  for (guint i = 0; i < hits->len && i < MAX_RESULTS; i++)
    g_ptr_array_add (shown, (gpointer) g_array_index (hits, Hit, i).path);
  g_ptr_array_add (shown, NULL);
  gtk_string_list_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                          (const char * const *) shown->pdata);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KwbQuickOpen) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *files = g_task_propagate_pointer (G_TASK (result), &error);

  if (files == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  g_ptr_array_sort (files, compare_paths);
  g_hash_table_insert (file_lists, g_strdup (self->source_dir), files);
  self->files = files;
  gtk_stack_set_visible_child_name (self->stack, "results");
  update_results (self);
}

/* ---- API ---- */

KwbQuickOpen *
kwb_quick_open_new (GtkWindow  *parent,
                    const char *source_dir)
{
  KwbQuickOpen *self = g_object_new (KWB_TYPE_QUICK_OPEN, "transient-for", parent, NULL);

  self->source_dir = g_strdup (source_dir);
  if (file_lists == NULL)
    file_lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);

  if (source_dir == NULL)
    {
      adw_status_page_set_description (self->error_page,
                                       _("Open a project whose kernel has been built: its source tree is searched here."));
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else if ((self->files = g_hash_table_lookup (file_lists, source_dir)) != NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "results");
      update_results (self);
    }
  else
    {
      g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, list_cb, g_object_ref (self));

      g_task_set_source_tag (task, kwb_quick_open_new);
      g_task_set_task_data (task, g_strdup (source_dir), g_free);
      g_task_run_in_thread (task, list_thread);
    }
  return self;
}

const char *kwb_quick_open_get_source_dir (KwbQuickOpen *self) { return self->source_dir; }
gboolean kwb_quick_open_get_ready (KwbQuickOpen *self) { return self->files != NULL; }
guint kwb_quick_open_get_n_files (KwbQuickOpen *self) { return self->files ? self->files->len : 0; }
GListModel *kwb_quick_open_get_results (KwbQuickOpen *self) { return G_LIST_MODEL (self->results); }

void
kwb_quick_open_set_query (KwbQuickOpen *self,
                          const char   *query)
{
  g_return_if_fail (KWB_IS_QUICK_OPEN (self));

  if (g_strcmp0 (query, gtk_editable_get_text (GTK_EDITABLE (self->entry))) != 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->entry), query ? query : "");
      /* search-changed is delayed; results are wanted now. */
    }
  g_free (self->query);
  self->query = g_strdup (query);
  update_results (self);
}

void
kwb_quick_open_activate (KwbQuickOpen *self,
                         guint         position)
{
  const char *relative;
  g_autofree char *path = NULL;

  g_return_if_fail (KWB_IS_QUICK_OPEN (self));

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->results)))
    return;
  relative = gtk_string_list_get_string (self->results, position);
  path = g_build_filename (self->source_dir, relative, NULL);
  g_signal_emit (self, signals[FILE_ACTIVATED], 0, path);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_search_changed (GtkSearchEntry *entry,
                   KwbQuickOpen   *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (g_strcmp0 (text, self->query) == 0)
    return;
  g_free (self->query);
  self->query = g_strdup (text);
  update_results (self);
}

static void
on_entry_activate (GtkSearchEntry *entry,
                   KwbQuickOpen   *self)
{
  kwb_quick_open_activate (self, 0);
}

static void
on_list_activate (GtkListView  *list_view,
                  guint         position,
                  KwbQuickOpen *self)
{
  kwb_quick_open_activate (self, position);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 1);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *dir = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (dir), 0);
  gtk_label_set_ellipsize (GTK_LABEL (dir), PANGO_ELLIPSIZE_START);
  gtk_widget_add_css_class (dir, "dim-label");
  gtk_widget_add_css_class (dir, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), dir);
  gtk_list_item_set_child (item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  const char *path = gtk_string_object_get_string (gtk_list_item_get_item (item));
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)), base);
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (box)), g_str_equal (dir, ".") ? "" : dir);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                KwbQuickOpen          *self)
{
  if (keyval == GDK_KEY_Escape)
    {
      gtk_window_close (GTK_WINDOW (self));
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
kwb_quick_open_dispose (GObject *object)
{
  KwbQuickOpen *self = KWB_QUICK_OPEN (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->results);
  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_QUICK_OPEN);
  G_OBJECT_CLASS (kwb_quick_open_parent_class)->dispose (object);
}

static void
kwb_quick_open_finalize (GObject *object)
{
  KwbQuickOpen *self = KWB_QUICK_OPEN (object);

  g_free (self->source_dir);
  g_free (self->query);
  G_OBJECT_CLASS (kwb_quick_open_parent_class)->finalize (object);
}

static void
kwb_quick_open_class_init (KwbQuickOpenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_quick_open_dispose;
  object_class->finalize = kwb_quick_open_finalize;

  signals[FILE_ACTIVATED] =
    g_signal_new ("file-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-quick-open.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbQuickOpen, entry);
  gtk_widget_class_bind_template_child (widget_class, KwbQuickOpen, stack);
  gtk_widget_class_bind_template_child (widget_class, KwbQuickOpen, list_view);
  gtk_widget_class_bind_template_child (widget_class, KwbQuickOpen, error_page);
}

static void
kwb_quick_open_init (KwbQuickOpen *self)
{
  GtkListItemFactory *factory;
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->results = gtk_string_list_new (NULL);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  {
    g_autoptr(GtkSingleSelection) selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->results)));

    gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  }
  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_list_activate), self);
  g_signal_connect (self->entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->entry, "activate", G_CALLBACK (on_entry_activate), self);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
