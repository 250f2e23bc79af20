/* kwb-module.c — one kernel module of the guest, as the debugger sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain observable record filled in by KwbModules: every property
 * notifies, so a list row can bind to it.
 *
 * Its module and section names come from guest memory, which a buggy or
 * hostile kernel controls. They go into GDB commands and widgets, so each is
 * checked here, once, when it enters: a name outside [A-Za-z0-9_.-] (not
 * starting with '-', which GDB would take for an option), not UTF-8, empty
 * or longer than KWB_MODULE_NAME_MAX is kept only in an escaped form
 * (`\xNN` for each other byte) that is shown as text and never given to
 * GDB: such a module gets no automatic symbols, such a section is left out
 * of add-symbol-file.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-gdb.h"
#include "kwb-module.h"

typedef struct {
  char     *name;     /* escaped when !safe */
  guint64   address;
  gboolean  safe;
} Section;

struct _KwbModule
{
  GObject         parent_instance;

  char           *name;       /* escaped when !name_safe */
  gboolean        name_safe;
  guint64         address;
  KwbModuleState  state;
  guint64         text_address;
  guint64         size;
  GArray         *sections;   /* Section */
  char           *ko_path;
  char           *problem;
  GStrv           searched;
};

G_DEFINE_FINAL_TYPE (KwbModule, kwb_module, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_STATE,
  PROP_TEXT_ADDRESS,
  PROP_SIZE,
  PROP_KO_PATH,
  PROP_SYMBOLS_LOADED,
  PROP_SYMBOLS_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
kwb_module_state_to_string (KwbModuleState state)
{
  switch (state)
    {
    case KWB_MODULE_STATE_LIVE: return "live";
    case KWB_MODULE_STATE_COMING: return "coming";
    case KWB_MODULE_STATE_GOING: return "going";
    case KWB_MODULE_STATE_UNFORMED: return "unformed";
    default: return "?";
    }
}

static void
section_clear (gpointer data)
{
  g_free (((Section *) data)->name);
}

static void
kwb_module_finalize (GObject *object)
{
  KwbModule *self = (KwbModule *) object;

  g_free (self->name);
  g_array_unref (self->sections);
  g_free (self->ko_path);
  g_free (self->problem);
  g_strfreev (self->searched);
  G_OBJECT_CLASS (kwb_module_parent_class)->finalize (object);
}

static void
kwb_module_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KwbModule *self = KWB_MODULE (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_ADDRESS: g_value_set_uint64 (value, self->address); break;
    case PROP_STATE: g_value_set_int (value, self->state); break;
    case PROP_TEXT_ADDRESS: g_value_set_uint64 (value, self->text_address); break;
    case PROP_SIZE: g_value_set_uint64 (value, self->size); break;
    case PROP_KO_PATH: g_value_set_string (value, self->ko_path); break;
    case PROP_SYMBOLS_LOADED: g_value_set_boolean (value, self->ko_path != NULL); break;
    case PROP_SYMBOLS_PROBLEM: g_value_set_string (value, self->problem); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_module_class_init (KwbModuleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kwb_module_finalize;
  object_class->get_property = kwb_module_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ADDRESS] = g_param_spec_uint64 ("address", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, KWB_MODULE_STATE_LIVE,
                                             KWB_MODULE_STATE_UNFORMED, KWB_MODULE_STATE_LIVE, flags);
  properties[PROP_TEXT_ADDRESS] = g_param_spec_uint64 ("text-address", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_KO_PATH] = g_param_spec_string ("ko-path", NULL, NULL, NULL, flags);
  properties[PROP_SYMBOLS_LOADED] = g_param_spec_boolean ("symbols-loaded", NULL, NULL, FALSE, flags);
  properties[PROP_SYMBOLS_PROBLEM] = g_param_spec_string ("symbols-problem", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_module_init (KwbModule *self)
{
  self->sections = g_array_new (FALSE, FALSE, sizeof (Section));
  g_array_set_clear_func (self->sections, section_clear);
}

static gboolean
name_char_ok (guchar c,
              gsize  position)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || (c == '-' && position > 0);
}

gboolean
kwb_module_name_is_safe (const char *name)
{
  gsize len;

  if (name == NULL || (len = strlen (name)) == 0 || len > KWB_MODULE_NAME_MAX)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!name_char_ok (name[i], i))
      return FALSE;
  return TRUE;
}

char *
kwb_module_escape_name (const char *name)
{
  GString *escaped = g_string_new (NULL);
  gsize len = name != NULL ? strlen (name) : 0;

  if (len == 0)
    return g_string_free (g_string_append (escaped, "\"\""), FALSE);
  for (gsize i = 0; i < MIN (len, KWB_MODULE_NAME_MAX); i++)
    {
      guchar c = name[i];

      if (name_char_ok (c, i))
        g_string_append_c (escaped, c);
      else
        g_string_append_printf (escaped, "\\x%02x", c);
    }
  if (len > KWB_MODULE_NAME_MAX)
    g_string_append (escaped, "…");
  return g_string_free (escaped, FALSE);
}

KwbModule *
kwb_module_new (const char *name,
                guint64     address)
{
  KwbModule *self = g_object_new (KWB_TYPE_MODULE, NULL);

  self->name_safe = kwb_module_name_is_safe (name);
  self->name = self->name_safe ? g_strdup (name) : kwb_module_escape_name (name);
  self->address = address;
  return self;
}

const char *kwb_module_get_name (KwbModule *self) { return self->name; }
gboolean kwb_module_get_name_is_safe (KwbModule *self) { return self->name_safe; }
guint64 kwb_module_get_address (KwbModule *self) { return self->address; }
KwbModuleState kwb_module_get_state (KwbModule *self) { return self->state; }
guint64 kwb_module_get_text_address (KwbModule *self) { return self->text_address; }
guint64 kwb_module_get_size (KwbModule *self) { return self->size; }
const char *kwb_module_get_ko_path (KwbModule *self) { return self->ko_path; }
gboolean kwb_module_get_symbols_loaded (KwbModule *self) { return self->ko_path != NULL; }
const char *kwb_module_get_symbols_problem (KwbModule *self) { return self->problem; }

const char * const *
kwb_module_get_searched (KwbModule *self)
{
  return (const char * const *) self->searched;
}

void
kwb_module_set_state (KwbModule      *self,
                      KwbModuleState  state)
{
  g_return_if_fail (KWB_IS_MODULE (self));
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
kwb_module_set_text_address (KwbModule *self,
                             guint64    text_address)
{
  g_return_if_fail (KWB_IS_MODULE (self));
  if (self->text_address == text_address)
    return;
  self->text_address = text_address;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_ADDRESS]);
}

void
kwb_module_set_size (KwbModule *self,
                     guint64    size)
{
  g_return_if_fail (KWB_IS_MODULE (self));
  if (self->size == size)
    return;
  self->size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

void
kwb_module_add_section (KwbModule  *self,
                        const char *name,
                        guint64     address)
{
  Section section = { NULL, address, kwb_module_name_is_safe (name) };

  g_return_if_fail (KWB_IS_MODULE (self));
  section.name = section.safe ? g_strdup (name) : kwb_module_escape_name (name);
  g_array_append_val (self->sections, section);
}

guint
kwb_module_get_n_sections (KwbModule *self)
{
  return self->sections->len;
}

const char *
kwb_module_get_section (KwbModule *self,
                        guint      i,
                        guint64   *address)
{
  Section *section;

  g_return_val_if_fail (i < self->sections->len, NULL);
  section = &g_array_index (self->sections, Section, i);
  if (address != NULL)
    *address = section->address;
  return section->name;
}

gboolean
kwb_module_lookup_section (KwbModule  *self,
                           const char *name,
                           guint64    *address)
{
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = &g_array_index (self->sections, Section, i);

      if (section->safe && g_strcmp0 (section->name, name) == 0)
        {
          if (address != NULL)
            *address = section->address;
          return TRUE;
        }
    }
  return FALSE;
}

void
kwb_module_set_symbols (KwbModule  *self,
                        const char *ko_path)
{
  gboolean was_loaded;

  g_return_if_fail (KWB_IS_MODULE (self));
  was_loaded = self->ko_path != NULL;
  if (g_strcmp0 (self->ko_path, ko_path) != 0)
    {
      g_free (self->ko_path);
      self->ko_path = g_strdup (ko_path);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KO_PATH]);
    }
  if (ko_path != NULL && self->problem != NULL)
    {
      g_clear_pointer (&self->problem, g_free);
      g_clear_pointer (&self->searched, g_strfreev);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYMBOLS_PROBLEM]);
    }
  if (was_loaded != (ko_path != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYMBOLS_LOADED]);
}

void
kwb_module_set_symbols_problem (KwbModule          *self,
                                const char         *problem,
                                const char * const *searched)
{
  g_return_if_fail (KWB_IS_MODULE (self));
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_strfreev (self->searched);
  self->searched = g_strdupv ((char **) searched);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYMBOLS_PROBLEM]);
}

char *
kwb_module_dup_symbols_text (KwbModule *self)
{
  g_return_val_if_fail (KWB_IS_MODULE (self), NULL);
  if (self->ko_path != NULL)
    return g_strdup_printf (_("Symbols from %s"), self->ko_path);
  if (self->problem != NULL)
    return g_strdup (self->problem);
  return g_strdup (_("No symbols yet"));
}

/* The way lx-symbols does it: .text positionally, every other allocated
 * section with -s. The symbol and string tables the loader keeps are no
 * sections GDB maps. */
char *
kwb_module_dup_add_symbol_file_command (KwbModule  *self,
                                        const char *ko_path)
{
  g_autoptr(GString) command = g_string_new ("add-symbol-file ");
  g_autofree char *quoted = NULL;
  guint64 text = self->text_address;

  g_return_val_if_fail (KWB_IS_MODULE (self), NULL);

  quoted = kwb_gdb_quote_cli_argument (ko_path);
  g_string_append (command, quoted);
  kwb_module_lookup_section (self, ".text", &text);
  g_string_append_printf (command, " 0x%" G_GINT64_MODIFIER "x", text);
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = &g_array_index (self->sections, Section, i);

      if (!section->safe || g_str_equal (section->name, ".text") ||
          g_str_equal (section->name, ".symtab") || g_str_equal (section->name, ".strtab"))
        continue;
      g_string_append_printf (command, " -s %s 0x%" G_GINT64_MODIFIER "x", section->name, section->address);
    }
  return g_string_free (g_steal_pointer (&command), FALSE);
}
