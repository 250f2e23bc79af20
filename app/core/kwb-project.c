/* kwb-project.c — a project: what to build and run, stored in kernel-workbench.ini
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file is a GKeyFile kept whole in memory: setters change only their key,
 * so keys this version does not know (a newer release's, or the user's own
 * notes) and comments survive a save. Loading validates every known key
 * against the schema below; any error names the file, the line and the key,
 * and nothing is ever written back over a file that failed to load.
 *
 * Every value is checked before it is stored (no line breaks or other control
 * characters, valid UTF-8), so a setter can never add groups or keys to the
 * file. Lists are real GKeyFile lists: an item may hold ';' or '\', escaped.
 * Only regular files are read (a FIFO would block the reader forever), and a
 * save goes through a symlink to its target and keeps the target's mode.
 *
 * About 1200 lines because the schema, the checks of each value and the
 * reading that reports file:line are one unit; the atomic write lives in
 * kwb-atomic-file.c and the trust record in kwb-project-trust.c.
 */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-atomic-file.h"
#include "kwb-path-checks.h"
#include "kwb-project.h"
#include "kwb-project-trust-private.h"

struct _KwbProject
{
  GObject   parent_instance;
  char     *directory;
  GKeyFile *keyfile;
  gboolean  modified;
};

G_DEFINE_FINAL_TYPE (KwbProject, kwb_project, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-project-error-quark, kwb_project_error)

enum {
  PROP_0,
  PROP_DIRECTORY,
  PROP_MODIFIED,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define S KWB_PROJECT_VALUE_STRING
#define P KWB_PROJECT_VALUE_PATH
#define I KWB_PROJECT_VALUE_INT
#define B KWB_PROJECT_VALUE_BOOLEAN
#define C KWB_PROJECT_VALUE_CHOICE
#define L KWB_PROJECT_VALUE_STRING_LIST

/* The format, version 1. Defaults are what works on a fresh Debian 12:
 * linux-source-6.1 and busybox-static from the archive. */
static const KwbProjectKey schema[] = {
  { "project", "version", I, "1", NULL, 1, G_MAXINT, N_("Project file format version") },
  { "project", "name", S, "", NULL, 0, 0, N_("Name shown in the window title (default: the folder name)") },
  { "project", "wizard-page", S, "", NULL, 0, 0,
    N_("The setup assistant's page to reopen at (empty: setup finished)") },
  { "project", "pending-rebuild", C, "none", "none|initramfs|config|full", 0, 0,
    N_("What changed settings need rebuilt: nothing, the initramfs, the kernel configuration, or everything") },

  { "kernel", "source", P, "/usr/src/linux-source-6.1.tar.xz", NULL, 0, 0,
    N_("Kernel source: a kernel tree (built out of tree, never written to), or a Debian linux-source tarball to extract") },
  { "kernel", "source-dir", P, "src", NULL, 0, 0,
    N_("Where a source tarball is extracted, once (empty: a shared cache in ~/.cache/kernel-workbench/sources)") },
  { "kernel", "build-dir", P, "build/kernel", NULL, 0, 0,
    N_("Out-of-tree kernel build directory (make O=)") },
  { "kernel", "profile", C, "fast", "fast|standard|existing|prebuilt", 0, 0,
    N_("Base configuration: fast (tinyconfig), standard (the architecture's defconfig), existing (a .config you give), prebuilt (no build)") },
  { "kernel", "config", P, "", NULL, 0, 0,
    N_("The .config used by the existing profile (copied, never edited)") },
  { "kernel", "extra-config", L, "", NULL, 0, 0,
    N_("More CONFIG_ lines applied after the debug profile") },
  { "kernel", "jobs", I, "0", NULL, 0, 1024, N_("Parallel make jobs (0: one per CPU)") },
  { "kernel", "distcc-hosts", S, "", NULL, 0, 0,
    N_("distcc hosts that compile the kernel, modules and BusyBox, as DISTCC_HOSTS takes them (empty: compile here)") },
  { "kernel", "initramfs", C, "external", "external|builtin", 0, 0,
    N_("Pass the initramfs with -initrd (external) or link it in (builtin, CONFIG_INITRAMFS_SOURCE)") },
  { "kernel", "relocatable", B, "false", NULL, 0, 0,
    N_("Keep CONFIG_RELOCATABLE and boot with nokaslr instead of turning it off") },
  { "kernel", "image", P, "", NULL, 0, 0, N_("Prebuilt profile: the bzImage, Image or vmlinuz to boot") },
  { "kernel", "vmlinux", P, "", NULL, 0, 0, N_("Prebuilt profile: the vmlinux with debug information") },

  { "busybox", "source", C, "host", "host|tree|binary", 0, 0,
    N_("BusyBox: the host's static binary (busybox-static), a source tree to build, or another static binary") },
  { "busybox", "binary", P, "/bin/busybox", NULL, 0, 0, N_("Static BusyBox binary (host or binary source)") },
  { "busybox", "tree", P, "", NULL, 0, 0, N_("BusyBox source tree or tarball (tree source)") },
  { "busybox", "build-dir", P, "build/busybox", NULL, 0, 0, N_("Out-of-tree BusyBox build directory") },

  { "initramfs", "output", P, "build/initramfs.cpio.gz", NULL, 0, 0, N_("The initramfs archive written") },
  { "initramfs", "compression", C, "gzip", "gzip|none", 0, 0, N_("Compression of the initramfs") },
  { "initramfs", "rcs", P, "", NULL, 0, 0, N_("Your etc/init.d/rcS (empty: the built-in one)") },
  { "initramfs", "fstab", P, "", NULL, 0, 0, N_("Your etc/fstab (empty: the built-in one)") },
  { "initramfs", "inittab", P, "", NULL, 0, 0, N_("Your etc/inittab (empty: the built-in one)") },
  { "initramfs", "extra-files", L, "", NULL, 0, 0,
    N_("Host files or folders to add, each as HOST_PATH:GUEST_PATH") },
  { "initramfs", "modules", L, "", NULL, 0, 0, N_("Kernel modules (.ko) to add under /lib/modules") },

  { "machine", "arch", C, "x86_64", "x86_64|arm64", 0, 0,
    N_("Guest architecture: x86_64, or arm64 (a QEMU virt board; built with Debian's cross compiler)") },

  { "qemu", "binary", S, "qemu-system-x86_64", NULL, 0, 0,
    N_("QEMU system emulator to run (another architecture's default is read as this one's)") },
  { "qemu", "memory", I, "1024", NULL, 64, 1048576, N_("Guest memory in MiB") },
  { "qemu", "cpus", I, "2", NULL, 1, 256, N_("Guest CPUs") },
  { "qemu", "accel", C, "auto", "auto|kvm|tcg", 0, 0, N_("Accelerator: KVM when usable (auto), or force one") },
  { "qemu", "cmdline", S, "", NULL, 0, 0, N_("Extra kernel command line arguments") },
  { "qemu", "boot", C, "auto", "auto|image", 0, 0,
    N_("What QEMU boots: an x86-64 vmlinux with a PVH entry itself, through a minimal firmware (auto), or always the kernel image") },
  { "qemu", "extra-args", L, "", NULL, 0, 0, N_("Extra QEMU arguments") },
  { "qemu", "freeze", B, "true", NULL, 0, 0, N_("With no breakpoint to run to, hold the guest at its first instruction until you continue") },
  { "qemu", "expose-tcp", B, "false", NULL, 0, 0,
    N_("Also offer the GDB stub on 127.0.0.1 for an external GDB (off: a private unix socket only)") },

  { "debug", "gdb", S, "gdb", NULL, 0, 0, N_("GDB binary (gdb is read as gdb-multiarch for a guest of another architecture)") },
  { "debug", "break-at-start", B, "true", NULL, 0, 0, N_("Stop at the start function when a session begins") },
  { "debug", "start-function", S, "start_kernel", NULL, 0, 0, N_("Function to stop at first") },
  { "debug", "substitute-path", L, "", NULL, 0, 0,
    N_("Source path mappings for prebuilt kernels, each as FROM=TO") },
  { "debug", "index-cache", B, "true", NULL, 0, 0, N_("Use GDB's index cache for faster symbol loading") },
  { "debug", "breakpoints", L, "", NULL, 0, 0, N_("Breakpoints applied when a session starts") },
  { "debug", "stop-on-crash", B, "true", NULL, 0, 0,
    N_("Stop at the faulting line when the guest oopses, hits a BUG() or panics") },
  { "debug", "stop-on-warn", B, "false", NULL, 0, 0, N_("Stop at a WARN() too (the kernel carries on after one)") },
  { "debug", "record", B, "false", NULL, 0, 0,
    N_("Record each session in the window, to replay it forwards and backwards (the guest then runs under TCG on one CPU)") },

  { "modules", "projects", L, "", NULL, 0, 0,
    N_("Out-of-tree module source folders (each with a Kbuild or Makefile), built against the project's kernel") },
  { "modules", "build-dir", P, "build/modules", NULL, 0, 0, N_("Where module projects are copied and built") },
  { "modules", "search-path", L, "", NULL, 0, 0,
    N_("More folders searched for a loaded module's .ko (the kernel and module build folders always are)") },
};

#undef S
#undef P
#undef I
#undef B
#undef C
#undef L

const KwbProjectKey *
kwb_project_get_schema (guint *n_keys)
{
  if (n_keys)
    *n_keys = G_N_ELEMENTS (schema);
  return schema;
}

const KwbProjectKey *
kwb_project_lookup_key (const char *group,
                        const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    if (g_str_equal (schema[i].group, group) && g_str_equal (schema[i].key, key))
      return &schema[i];
  return NULL;
}

/* Optimal string alignment distance: Levenshtein plus swapping two
 * neighbours, the most common typing slip ("memroy"). */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  g_autofree guint *d = g_new (guint, (la + 1) * (lb + 1));

#define D(i, j) d[(i) * (lb + 1) + (j)]
  for (gsize i = 0; i <= la; i++)
    D (i, 0) = i;
  for (gsize j = 0; j <= lb; j++)
    D (0, j) = j;
  for (gsize i = 1; i <= la; i++)
    for (gsize j = 1; j <= lb; j++)
      {
        guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
        guint best = MIN (D (i - 1, j) + 1, D (i, j - 1) + 1);

        best = MIN (best, D (i - 1, j - 1) + cost);
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          best = MIN (best, D (i - 2, j - 2) + 1);
        D (i, j) = best;
      }
  return D (la, lb);
#undef D
}

/**
 * kwb_project_suggest_key:
 * @name: what the user typed, GROUP.KEY or a bare KEY
 *
 * Returns: (nullable): the schema key closest to @name, or %NULL when
 *   nothing is close enough to be a likely typo.
 */
const KwbProjectKey *
kwb_project_suggest_key (const char *name)
{
  g_autofree char *lower = NULL;
  const KwbProjectKey *best = NULL;
  const KwbProjectKey *same_key = NULL;
  const char *dot;
  const char *key_part;
  guint best_distance = G_MAXUINT;
  guint n_same_key = 0;

  g_return_val_if_fail (name != NULL, NULL);

  lower = g_ascii_strdown (name, -1);
  dot = strchr (lower, '.');
  key_part = dot ? dot + 1 : lower;

  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      g_autofree char *full = g_strconcat (schema[i].group, ".", schema[i].key, NULL);
      guint distance = edit_distance (lower, full);

      if (dot == NULL)
        distance = MIN (distance, edit_distance (lower, schema[i].key));
      if (distance < best_distance)
        {
          best_distance = distance;
          best = &schema[i];
        }
      if (g_str_equal (key_part, schema[i].key))
        {
          same_key = &schema[i];
          n_same_key++;
        }
    }

  /* A typo inside GROUP.KEY first; then the right key under the wrong group. */
  if (best_distance <= 1)
    return best;
  if (n_same_key == 1)
    return same_key;
  if (best_distance <= MAX (2, strlen (lower) / 4))
    return best;
  return NULL;
}

/**
 * kwb_project_parse_list:
 * @text: a list as typed: items separated by ';', with "\;" for a ';' and
 *   "\\" for a backslash inside an item (GKeyFile's own list syntax)
 * @error: set when an escape is broken
 *
 * Returns: (transfer full): the items
 */
char **
kwb_project_parse_list (const char  *text,
                        GError     **error)
{
  g_autoptr(GKeyFile) parser = g_key_file_new ();
  char **items;

  g_return_val_if_fail (text != NULL, NULL);

  /* The same parser that reads the file, so what kwb set accepts is exactly
   * what the file will hold. */
  g_key_file_set_value (parser, "list", "list", text);
  items = g_key_file_get_string_list (parser, "list", "list", NULL, NULL);
  if (items == NULL)
    g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_INVALID_VALUE,
                 _("“%s” is not a list: a backslash must be followed by ';' (a ';' inside an item), "
                   "'\\' (a backslash), s, n, t or r"), text);
  return items;
}

/**
 * kwb_project_format_list:
 * @items: the items
 *
 * Returns: (transfer full): @items as kwb_project_parse_list() reads them back
 */
char *
kwb_project_format_list (const char * const *items)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; items[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (text, ';');
      for (const char *p = items[i]; *p != '\0'; p++)
        {
          if (*p == ';' || *p == '\\')
            g_string_append_c (text, '\\');
          g_string_append_c (text, *p);
        }
    }
  /* A last empty item needs its separator, or it would read back as nothing. */
  if (items[0] != NULL && *items[g_strv_length ((char **) items) - 1] == '\0')
    g_string_append_c (text, ';');
  return g_string_free (text, FALSE);
}

static const KwbProjectKey *
lookup_or_warn (const char *group,
                const char *key)
{
  const KwbProjectKey *k = kwb_project_lookup_key (group, key);

  if (k == NULL)
    g_critical ("Kernel Workbench project files have no key [%s] %s", group, key);
  return k;
}

/* Line number (1-based) of KEY in GROUP, or of the group header when the key is
 * absent, or 0. GKeyFile does not keep line numbers, and users fix files by
 * line, so we find them ourselves. */
static guint
find_line (const char *text,
           const char *group,
           const char *key)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_group = FALSE;
  guint group_line = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      while (g_ascii_isspace (*line))
        line++;

      if (*line == '[')
        {
          g_autofree char *name = NULL;
          const char *end = strchr (line, ']');

          if (end == NULL)
            continue;
          name = g_strndup (line + 1, end - line - 1);
          in_group = g_str_equal (name, group);
          if (in_group && group_line == 0)
            group_line = i + 1;
        }
      else if (in_group && key != NULL && g_str_has_prefix (line, key))
        {
          const char *rest = line + strlen (key);

          while (*rest == ' ' || *rest == '\t')
            rest++;
          if (*rest == '=')
            return i + 1;
        }
    }

  return group_line;
}

/* The first line GKeyFile cannot accept: neither blank, comment, [group] nor
 * key=value (or a key before any group). */
static guint
find_bad_line (const char *text,
               char      **line_text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean seen_group = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[')
        {
          if (line[strlen (line) - 1] != ']' || strlen (line) < 3)
            goto bad;
          seen_group = TRUE;
          continue;
        }
      if (!seen_group || strchr (line, '=') == NULL || *line == '=')
        goto bad;
      continue;

    bad:
      *line_text = g_steal_pointer (&line);
      return i + 1;
    }

  *line_text = NULL;
  return 0;
}

/* What a value may hold, whatever its type: GKeyFile escapes only \n, \r and
 * \t, and a value with a line break typed where one line is expected (a
 * pasted command line) is a mistake, never a wish. */
static gboolean
check_text (const char  *value,
            char       **why)
{
  if (!g_utf8_validate (value, -1, NULL))
    {
      *why = g_strdup (_("the value is not valid UTF-8 text"));
      return FALSE;
    }
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '\n' || c == '\r')
        {
          *why = g_strdup (_("a value cannot contain a line break (newline or carriage return)"));
          return FALSE;
        }
      if ((c < 0x20 && c != '\t') || c == 0x7f)
        {
          *why = g_strdup_printf (_("a value cannot contain the control character U+%04X"), c);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_list (const char * const  *items,
            char               **why)
{
  for (guint i = 0; items[i] != NULL; i++)
    if (!check_text (items[i], why))
      return FALSE;
  return TRUE;
}

static gboolean
validate_value (const KwbProjectKey  *k,
                const char           *value,
                char                **why)
{
  if (!check_text (value, why))
    return FALSE;

  switch (k->type)
    {
    case KWB_PROJECT_VALUE_INT:
      {
        gint64 v;
        g_autoptr(GError) local_error = NULL;

        if (!g_ascii_string_to_signed (value, 10, k->min, k->max, &v, &local_error))
          {
            g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, k->min);
            g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, k->max);

            /* Numbers as strings: a G_GINT64_FORMAT inside _() cannot be translated. */
            *why = g_strdup_printf (_("“%s” is not a whole number from %s to %s"), value, min, max);
            return FALSE;
          }
        return TRUE;
      }

    case KWB_PROJECT_VALUE_BOOLEAN:
      if (g_str_equal (value, "true") || g_str_equal (value, "false"))
        return TRUE;
      *why = g_strdup_printf (_("“%s” is not true or false"), value);
      return FALSE;

    case KWB_PROJECT_VALUE_CHOICE:
      {
        g_auto(GStrv) words = g_strsplit (k->choices, "|", -1);

        if (g_strv_contains ((const char * const *) words, value))
          return TRUE;
        *why = g_strdup_printf (_("“%s” is not one of: %s"), value, k->choices);
        return FALSE;
      }

    case KWB_PROJECT_VALUE_STRING:
    case KWB_PROJECT_VALUE_PATH:
    case KWB_PROJECT_VALUE_STRING_LIST:
    default:
      return TRUE;
    }
}

static void
kwb_project_finalize (GObject *object)
{
  KwbProject *self = (KwbProject *) object;

  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->keyfile, g_key_file_unref);

  G_OBJECT_CLASS (kwb_project_parent_class)->finalize (object);
}

static void
kwb_project_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KwbProject *self = KWB_PROJECT (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_project_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KwbProject *self = KWB_PROJECT (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      {
        const char *dir = g_value_get_string (value);

        g_free (self->directory);
        self->directory = g_canonicalize_filename (dir ? dir : ".", NULL);
        break;
      }
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_project_class_init (KwbProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_project_finalize;
  object_class->get_property = kwb_project_get_property;
  object_class->set_property = kwb_project_set_property;

  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KwbProject::changed:
   * @group: the group of the key that changed
   * @key: the key that changed
   *
   * A value was set (not yet saved). The GUI uses this to tell what must be
   * rebuilt.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
kwb_project_init (KwbProject *self)
{
  self->keyfile = g_key_file_new ();
  g_key_file_set_integer (self->keyfile, "project", "version", KWB_PROJECT_FORMAT_VERSION);
}

KwbProject *
kwb_project_new (const char *directory)
{
  g_return_val_if_fail (directory != NULL, NULL);

  return g_object_new (KWB_TYPE_PROJECT, "directory", directory, NULL);
}

/* Reads the project file, refusing anything but a regular file before it is
 * opened: opening a FIFO blocks until a writer comes, which may be never. */
static gboolean
read_project_file (const char  *directory,
                   const char  *path,
                   char       **text,
                   gsize       *len,
                   GError     **error)
{
  g_autoptr(GString) data = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  int fd;
  int errsv;

  if (g_stat (directory, &st) == 0 && !S_ISDIR (st.st_mode))
    {
      g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNREADABLE,
                   _("%s is %s, not a project folder. Give the folder that holds %s."),
                   directory, kwb_path_describe_kind (st.st_mode), KWB_PROJECT_FILE_NAME);
      return FALSE;
    }

  if (g_stat (path, &st) != 0)
    {
      errsv = errno;
      if (errsv == ENOENT)
        g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_NOT_FOUND,
                     _("%s: no Kernel Workbench project here. Create one with “kwb init %s”."),
                     path, directory);
      else
        g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNREADABLE,
                     _("%s: cannot read the project file: %s"), path, g_strerror (errsv));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    goto not_regular;

  /* Checked again on the open file, in case the name was swapped for a
   * pipe in between. */
  if ((fd = kwb_path_open_regular_file (path, NULL, &local_error)) < 0)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE) &&
          g_stat (path, &st) == 0)
        goto not_regular;
      g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNREADABLE,
                   _("%s: cannot read the project file: %s"), path, local_error->message);
      return FALSE;
    }

  data = g_string_sized_new (st.st_size + 1);
  for (;;)
    {
      char buf[8192];
      gssize n = read (fd, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          errsv = errno;
          close (fd);
          g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNREADABLE,
                       _("%s: cannot read the project file: %s"), path, g_strerror (errsv));
          return FALSE;
        }
      if (n == 0)
        break;
      g_string_append_len (data, buf, n);
    }
  close (fd);

  *len = data->len;
  *text = g_string_free (g_steal_pointer (&data), FALSE);
  return TRUE;

not_regular:
  g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNREADABLE,
               _("%s is %s, not a project file; it was not opened. "
                 "A project file must be a regular file (kwb init writes one)."),
               path, kwb_path_describe_kind (st.st_mode));
  return FALSE;
}

/* A known key whose text GKeyFile cannot decode (a broken escape) or that
 * holds what no setter would store. */
static gboolean
check_stored_value (GKeyFile             *keyfile,
                    const KwbProjectKey  *k,
                    char                **why)
{
  g_autoptr(GError) local_error = NULL;

  if (k->type == KWB_PROJECT_VALUE_STRING_LIST)
    {
      g_auto(GStrv) items = g_key_file_get_string_list (keyfile, k->group, k->key, NULL, &local_error);

      if (items == NULL)
        {
          *why = g_strdup (_("cannot read the list: a backslash must be followed by ';' "
                             "(a ';' inside an item), '\\' (a backslash), s, n, t or r"));
          return FALSE;
        }
      return check_list ((const char * const *) items, why);
    }
  else
    {
      g_autofree char *value = g_key_file_get_string (keyfile, k->group, k->key, &local_error);

      if (local_error != NULL)
        {
          *why = g_strdup (_("cannot read the value: a backslash must be followed by "
                             "'\\' (a backslash), s, n, t or r"));
          return FALSE;
        }
      return check_text (value, why);
    }
}

KwbProject *
kwb_project_load (const char  *directory,
                  GError     **error)
{
  g_autoptr(KwbProject) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  gint64 version;

  g_return_val_if_fail (directory != NULL, NULL);

  self = kwb_project_new (directory);
  path = kwb_project_dup_file_path (self);

  if (!read_project_file (directory, path, &text, &len, error))
    return NULL;

  if (!g_utf8_validate (text, len, NULL) || memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_PARSE,
                   _("%s: not a text file (invalid UTF-8 or a NUL byte); it was left untouched"),
                   path);
      return NULL;
    }

  if (!g_key_file_load_from_data (self->keyfile, text, len,
                                  G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      g_autofree char *bad = NULL;
      guint line = find_bad_line (text, &bad);

      if (line > 0)
        g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_PARSE,
                     _("%s:%u: cannot parse “%s”: expected [group], key=value or a # comment. "
                       "Fix or remove that line; the file was left untouched."),
                     path, line, bad);
      else
        g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_PARSE,
                     _("%s: cannot parse the project file: %s. The file was left untouched."),
                     path, local_error->message);
      return NULL;
    }

  if (!g_key_file_has_key (self->keyfile, "project", "version", NULL))
    {
      g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_INVALID_VALUE,
                   _("%s:%u: [project] version is missing; add “version=%d” under [project]"),
                   path, find_line (text, "project", NULL), KWB_PROJECT_FORMAT_VERSION);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      const KwbProjectKey *k = &schema[i];
      g_autofree char *value = NULL;
      g_autofree char *why = NULL;

      value = g_key_file_get_value (self->keyfile, k->group, k->key, NULL);
      if (value == NULL)
        continue;
      if (k->type != KWB_PROJECT_VALUE_STRING_LIST && k->type != KWB_PROJECT_VALUE_STRING &&
          k->type != KWB_PROJECT_VALUE_PATH)
        g_strstrip (value);
      if (!validate_value (k, value, &why) || !check_stored_value (self->keyfile, k, &why))
        {
          g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_INVALID_VALUE,
                       _("%s:%u: [%s] %s: %s. The file was left untouched."),
                       path, find_line (text, k->group, k->key), k->group, k->key, why);
          return NULL;
        }
    }

  version = g_key_file_get_int64 (self->keyfile, "project", "version", NULL);
  if (version > KWB_PROJECT_FORMAT_VERSION)
    {
      g_autofree char *found = g_strdup_printf ("%" G_GINT64_FORMAT, version);

      g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_VERSION,
                   _("%s:%u: [project] version: format %s is newer than this "
                     "Kernel Workbench understands (%d); update Kernel Workbench"),
                   path, find_line (text, "project", "version"), found, KWB_PROJECT_FORMAT_VERSION);
      return NULL;
    }

  _kwb_project_trust_loaded (self);
  return g_steal_pointer (&self);
}

gboolean
kwb_project_save (KwbProject  *self,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (KWB_IS_PROJECT (self), FALSE);

  path = kwb_project_dup_file_path (self);
  data = g_key_file_to_data (self->keyfile, &len, NULL);

  if (g_mkdir_with_parents (self->directory, 0755) != 0)
    {
      int errsv = errno;

      g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_WRITE,
                   _("%s: cannot create the project folder: %s"), self->directory, g_strerror (errsv));
      return FALSE;
    }

  if (!kwb_atomic_file_replace (path, data, len, &local_error))
    {
      g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_WRITE,
                   _("%s: cannot save the project: %s. The previous file is unchanged."),
                   path, local_error->message);
      return FALSE;
    }

  _kwb_project_trust_saved (self);
  if (self->modified)
    {
      self->modified = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
    }
  return TRUE;
}

/* Defaults that work on a fresh Debian 12: the newest installed linux-source
 * tarball, and busybox-static's binary. */
static char *
find_linux_source_tarball (void)
{
  static const char * const preferred[] = {
    "/usr/src/linux-source-6.1.tar.xz",
    "/usr/src/linux-source-6.12.tar.xz",
  };
  g_autoptr(GDir) dir = NULL;
  const char *name;
  g_autofree char *best = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (preferred); i++)
    if (g_file_test (preferred[i], G_FILE_TEST_IS_REGULAR))
      return g_strdup (preferred[i]);

  dir = g_dir_open ("/usr/src", 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "linux-source-") && g_str_has_suffix (name, ".tar.xz"))
      if (best == NULL || strcmp (name, best) > 0)
        {
          g_free (best);
          best = g_strdup (name);
        }

  return best ? g_build_filename ("/usr/src", best, NULL) : NULL;
}

KwbProject *
kwb_project_init_directory (const char  *directory,
                            GError     **error)
{
  g_autoptr(KwbProject) self = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tarball = NULL;

  g_return_val_if_fail (directory != NULL, NULL);

  self = kwb_project_new (directory);
  path = kwb_project_dup_file_path (self);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_EXISTS,
                   _("%s already exists: this folder is a project already. "
                     "Use “kwb show %s” to see it."), path, directory);
      return NULL;
    }

  /* Every default is written out, so the file documents itself and a later
   * release changing a default does not change an existing project. */
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    g_key_file_set_value (self->keyfile, schema[i].group, schema[i].key, schema[i].default_value);

  tarball = find_linux_source_tarball ();
  if (tarball != NULL)
    g_key_file_set_string (self->keyfile, "kernel", "source", tarball);

  g_key_file_set_comment (self->keyfile, NULL, NULL,
                          " Kernel Workbench project. Edit here or in the application;\n"
                          " “kwb show” lists every key with its meaning.", NULL);

  if (!kwb_project_save (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
kwb_project_get_directory (KwbProject *self)
{
  g_return_val_if_fail (KWB_IS_PROJECT (self), NULL);
  return self->directory;
}

char *
kwb_project_dup_file_path (KwbProject *self)
{
  g_return_val_if_fail (KWB_IS_PROJECT (self), NULL);
  return g_build_filename (self->directory, KWB_PROJECT_FILE_NAME, NULL);
}

char *
kwb_project_dup_name (KwbProject *self)
{
  g_autofree char *name = kwb_project_dup_string (self, "project", "name");

  if (name == NULL || *name == '\0')
    return g_path_get_basename (self->directory);
  return g_steal_pointer (&name);
}

char *
kwb_project_dup_string (KwbProject *self,
                        const char *group,
                        const char *key)
{
  const KwbProjectKey *k;
  char *value;

  g_return_val_if_fail (KWB_IS_PROJECT (self), NULL);

  if ((k = lookup_or_warn (group, key)) == NULL)
    return NULL;
  value = g_key_file_get_string (self->keyfile, group, key, NULL);
  if (value == NULL)
    return g_strdup (k->default_value);
  /* Loading accepted "fast  " as the word fast; callers compare words. */
  if (k->type != KWB_PROJECT_VALUE_STRING && k->type != KWB_PROJECT_VALUE_PATH)
    g_strstrip (value);
  return value;
}

char *
kwb_project_dup_path (KwbProject *self,
                      const char *group,
                      const char *key)
{
  g_autofree char *value = kwb_project_dup_string (self, group, key);

  if (value == NULL || *value == '\0')
    return NULL;
  if (value[0] == '~' && (value[1] == '/' || value[1] == '\0'))
    return g_build_filename (g_get_home_dir (), value + 1, NULL);
  return g_canonicalize_filename (value, self->directory);
}

gint64
kwb_project_get_int (KwbProject *self,
                     const char *group,
                     const char *key)
{
  g_autofree char *value = kwb_project_dup_string (self, group, key);
  gint64 v = 0;

  if (value != NULL)
    g_ascii_string_to_signed (g_strstrip (value), 10, G_MININT64, G_MAXINT64, &v, NULL);
  return v;
}

gboolean
kwb_project_get_boolean (KwbProject *self,
                         const char *group,
                         const char *key)
{
  g_autofree char *value = kwb_project_dup_string (self, group, key);

  return value != NULL && g_str_equal (g_strstrip (value), "true");
}

char **
kwb_project_dup_string_list (KwbProject *self,
                             const char *group,
                             const char *key)
{
  const KwbProjectKey *k;
  char **list;

  g_return_val_if_fail (KWB_IS_PROJECT (self), NULL);

  if ((k = lookup_or_warn (group, key)) == NULL)
    return g_new0 (char *, 1);
  list = g_key_file_get_string_list (self->keyfile, group, key, NULL, NULL);
  return list ? list : g_new0 (char *, 1);
}

static void
mark_changed (KwbProject *self,
              const char *group,
              const char *key)
{
  if (!self->modified)
    {
      self->modified = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
    }
  g_signal_emit (self, signals[CHANGED], 0, group, key);
}

/* Stores a checked list; the one place lists are written, so every item is
 * escaped the GKeyFile way (';' and '\\' inside an item survive). */
static void
store_list (KwbProject         *self,
            const char         *group,
            const char         *key,
            const char * const *items)
{
  g_auto(GStrv) old = kwb_project_dup_string_list (self, group, key);

  if (g_strv_equal ((const char * const *) old, items))
    return;
  g_key_file_set_string_list (self->keyfile, group, key, items, g_strv_length ((char **) items));
  mark_changed (self, group, key);
}

gboolean
kwb_project_set_value (KwbProject  *self,
                       const char  *group,
                       const char  *key,
                       const char  *value,
                       GError     **error)
{
  const KwbProjectKey *k;
  g_autofree char *why = NULL;
  g_autofree char *old = NULL;

  g_return_val_if_fail (KWB_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if ((k = kwb_project_lookup_key (group, key)) == NULL)
    {
      g_autofree char *typed = g_strconcat (group, ".", key, NULL);
      const KwbProjectKey *near = kwb_project_suggest_key (typed);

      if (near != NULL)
        g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNKNOWN_KEY,
                     _("Projects have no key [%s] %s; did you mean %s.%s? "
                       "“kwb show --keys” lists them"), group, key, near->group, near->key);
      else
        g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNKNOWN_KEY,
                     _("Projects have no key [%s] %s; “kwb show --keys” lists them"), group, key);
      return FALSE;
    }

  if (k->type == KWB_PROJECT_VALUE_STRING_LIST)
    {
      g_autoptr(GError) local_error = NULL;
      g_auto(GStrv) items = kwb_project_parse_list (value, &local_error);

      if (items == NULL)
        {
          g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_INVALID_VALUE,
                       "[%s] %s: %s", group, key, local_error->message);
          return FALSE;
        }
      if (!check_list ((const char * const *) items, &why))
        {
          g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_INVALID_VALUE,
                       "[%s] %s: %s", group, key, why);
          return FALSE;
        }
      store_list (self, group, key, (const char * const *) items);
      return TRUE;
    }

  if (!validate_value (k, value, &why))
    {
      g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_INVALID_VALUE,
                   "[%s] %s: %s", group, key, why);
      return FALSE;
    }

  if (k->type == KWB_PROJECT_VALUE_STRING || k->type == KWB_PROJECT_VALUE_PATH)
    {
      old = g_key_file_get_string (self->keyfile, group, key, NULL);
      if (g_strcmp0 (old, value) == 0)
        return TRUE;
      g_key_file_set_string (self->keyfile, group, key, value);
    }
  else
    {
      old = g_key_file_get_value (self->keyfile, group, key, NULL);
      if (g_strcmp0 (old, value) == 0)
        return TRUE;
      g_key_file_set_value (self->keyfile, group, key, value);
    }
  mark_changed (self, group, key);
  return TRUE;
}

/* The setters without a GError take values from code, not from a user; a
 * value they refuse is a bug in the caller, reported and not stored. */
void
kwb_project_set_string (KwbProject *self,
                        const char *group,
                        const char *key,
                        const char *value)
{
  const KwbProjectKey *k;
  g_autofree char *why = NULL;
  g_autofree char *old = NULL;

  g_return_if_fail (KWB_IS_PROJECT (self));

  if ((k = lookup_or_warn (group, key)) == NULL)
    return;
  if (value == NULL)
    value = "";
  if (!validate_value (k, value, &why))
    {
      g_warning ("Not setting [%s] %s: %s", group, key, why);
      return;
    }
  old = g_key_file_get_string (self->keyfile, group, key, NULL);
  if (g_strcmp0 (old, value) == 0)
    return;
  g_key_file_set_string (self->keyfile, group, key, value);
  mark_changed (self, group, key);
}

void
kwb_project_set_int (KwbProject *self,
                     const char *group,
                     const char *key,
                     gint64      value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  g_autoptr(GError) error = NULL;

  if (!kwb_project_set_value (self, group, key, text, &error))
    g_critical ("%s", error->message);
}

void
kwb_project_set_boolean (KwbProject *self,
                         const char *group,
                         const char *key,
                         gboolean    value)
{
  g_autoptr(GError) error = NULL;

  if (!kwb_project_set_value (self, group, key, value ? "true" : "false", &error))
    g_critical ("%s", error->message);
}

/**
 * kwb_project_try_set_string_list:
 * @value: (nullable): the items; %NULL for none
 *
 * Like kwb_project_set_string_list(), for items the user typed: an item
 * with a line break or another control character is refused with
 * %KWB_PROJECT_ERROR_INVALID_VALUE and nothing is stored.
 */
gboolean
kwb_project_try_set_string_list (KwbProject         *self,
                                 const char         *group,
                                 const char         *key,
                                 const char * const *value,
                                 GError            **error)
{
  static const char * const empty[] = { NULL };
  g_autofree char *why = NULL;

  g_return_val_if_fail (KWB_IS_PROJECT (self), FALSE);

  if (kwb_project_lookup_key (group, key) == NULL)
    {
      g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_UNKNOWN_KEY,
                   _("Projects have no key [%s] %s; “kwb show --keys” lists them"), group, key);
      return FALSE;
    }
  if (value == NULL)
    value = empty;
  if (!check_list (value, &why))
    {
      g_set_error (error, KWB_PROJECT_ERROR, KWB_PROJECT_ERROR_INVALID_VALUE,
                   "[%s] %s: %s", group, key, why);
      return FALSE;
    }
  store_list (self, group, key, value);
  return TRUE;
}

/* For lists the program made: a bad one is a programming error. */
void
kwb_project_set_string_list (KwbProject         *self,
                             const char         *group,
                             const char         *key,
                             const char * const *value)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KWB_IS_PROJECT (self));

  if (lookup_or_warn (group, key) == NULL)
    return;
  if (!kwb_project_try_set_string_list (self, group, key, value, &error))
    g_warning ("Not set: %s", error->message);
}

gboolean
kwb_project_is_set (KwbProject *self,
                    const char *group,
                    const char *key)
{
  g_return_val_if_fail (KWB_IS_PROJECT (self), FALSE);
  return g_key_file_has_key (self->keyfile, group, key, NULL);
}

gboolean
kwb_project_get_modified (KwbProject *self)
{
  g_return_val_if_fail (KWB_IS_PROJECT (self), FALSE);
  return self->modified;
}
