/* kwb-kconfig.c — a kernel .config: parse it, the debug profiles, the config doctor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The option lists here are the manual way's debug options brought to
 * Linux 6.x: a bare DEBUG_INFO is dropped by olddefconfig since 5.18, so the
 * debug layer picks DEBUG_INFO_DWARF4 (the DWARF version every GDB on the
 * host reads); on x86 FRAME_POINTER only sticks
 * with UNWINDER_FRAME_POINTER; KASLR (RANDOMIZE_BASE) and RELOCATABLE go off so
 * vmlinux addresses are the running kernel's. Nothing here writes a .config:
 * the requests become a fragment that the kernel's own merge_config.sh and
 * olddefconfig apply (KwbKernelBuild), and the doctor reads back the result.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-kconfig.h"
#include "kwb-spawn.h"

struct _KwbKconfig
{
  GObject     parent_instance;
  GHashTable *values; /* symbol (no CONFIG_) → value, "n" for "is not set" */
};

G_DEFINE_FINAL_TYPE (KwbKconfig, kwb_kconfig, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-kconfig-error-quark, kwb_kconfig_error)
G_DEFINE_BOXED_TYPE (KwbKconfigFinding, kwb_kconfig_finding,
                     kwb_kconfig_finding_copy, kwb_kconfig_finding_free)

typedef struct {
  const char *symbol;
  const char *value;
  const char *arch;    /* only for this machine.arch; NULL: every one */
} Option;

/* What booting a BusyBox initramfs and debugging under QEMU need on top of
 * tinyconfig (which leaves even 64BIT, PRINTK and TTY off). No PCI: the
 * console is the 8250 on ISA port 0x3f8 (x86) or the virt board's PL011
 * (arm64, whose interrupt controller, timer and PSCI the architecture
 * selects itself) and the initramfs comes with -initrd, so no disk or PCI
 * device is needed, and PCI costs compile time.
 * No DEVTMPFS_MOUNT: it only acts on a root file system mounted by the kernel,
 * never on an initramfs; our rcS mounts devtmpfs itself. */
static const Option boot_options[] = {
  { "64BIT", "y" },
  { "PRINTK", "y" },
  { "TTY", "y" },
  { "SERIAL_8250", "y", "x86_64" },
  { "SERIAL_8250_CONSOLE", "y", "x86_64" },
  { "SERIAL_AMBA_PL011", "y", "arm64" },
  { "SERIAL_AMBA_PL011_CONSOLE", "y", "arm64" },
  { "BLK_DEV_INITRD", "y" },
  { "RD_GZIP", "y" },
  { "BINFMT_ELF", "y" },
  { "BINFMT_SCRIPT", "y" },
  { "PROC_FS", "y" },
  { "PROC_SYSCTL", "y" },
  { "SYSFS", "y" },
  { "DEVTMPFS", "y" },
  { "SHMEM", "y" },      /* tinyconfig's TMPFS is ramfs-backed; TMPFS needs it */
  { "TMPFS", "y" },
  { "FUTEX", "y" },
  { "MULTIUSER", "y" },
  { "MODULES", "y" },
  { "MODULE_UNLOAD", "y" },
  { "KALLSYMS", "y" },   /* oopses with symbol names, not bare addresses */
  /* QEMU boots two CPUs by default: a kernel that uses them has per-CPU
   * data, a current task per CPU and the races a developer comes to debug. */
  { "SMP", "y" },
  /* Debian's crash (8.0.2) knows an x86-64 exception stack by the interrupt
   * that uses it; the MCE and #VC stacks have none without these, crash
   * takes their size for 0, and every bt in a memory dump fails on them. */
  { "X86_MCE", "y", "x86_64" },
  { "AMD_MEM_ENCRYPT", "y", "x86_64" },
  /* Without KVM the decompressor runs under TCG, instruction by instruction,
   * at every boot and at every step backwards in a replay that starts
   * from the recording's first snapshot. tinyconfig picks XZ: a billion instructions for this
   * kernel before start_kernel; LZ4 unpacks it in a small fraction. */
  { "KERNEL_LZ4", "y", "x86_64" },
};

/* The options a kernel needs for source-level debugging under GDB. */
static const Option debug_options[] = {
  { "DEBUG_KERNEL", "y" },
  { "DEBUG_INFO_DWARF4", "y" },
  { "DEBUG_INFO_REDUCED", "n" },
  { "DEBUG_INFO_SPLIT", "n" },   /* .dwo files GDB would have to find */
  { "GDB_SCRIPTS", "y" },
  { "UNWINDER_FRAME_POINTER", "y", "x86_64" },  /* arm64 always keeps frame records */
  { "FRAME_POINTER", "y" },
  { "RANDOMIZE_BASE", "n" },
  { "CMDLINE_BOOL", "n" },       /* the command line is QEMU's -append, all of it */
  /* tinyconfig compiles BUG() and WARN() to nothing: a BUG_ON would neither
   * report nor stop the debugger, and a WARN_ON would stay silent. */
  { "BUG", "y" },
  { "DEBUG_BUGVERBOSE", "y" },   /* "kernel BUG at FILE:LINE!" */
  /* "cannot create /proc/sys/kernel/hotplug" without these three. */
  { "UEVENT_HELPER", "y" },
  { "NET", "y" },
  { "DEBUG_FS", "y" },
};

void
kwb_kconfig_request_free (KwbKconfigRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->symbol);
  g_free (request->value);
  g_free (request->origin);
  g_free (request);
}

KwbKconfigFinding *
kwb_kconfig_finding_copy (const KwbKconfigFinding *finding)
{
  KwbKconfigFinding *copy = g_new0 (KwbKconfigFinding, 1);

  copy->option = g_strdup (finding->option);
  copy->wanted = g_strdup (finding->wanted);
  copy->actual = g_strdup (finding->actual);
  copy->stuck = finding->stuck;
  copy->severity = finding->severity;
  copy->reason = g_strdup (finding->reason);
  copy->advice = g_strdup (finding->advice);
  return copy;
}

void
kwb_kconfig_finding_free (KwbKconfigFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->option);
  g_free (finding->wanted);
  g_free (finding->actual);
  g_free (finding->reason);
  g_free (finding->advice);
  g_free (finding);
}

static void
kwb_kconfig_finalize (GObject *object)
{
  KwbKconfig *self = (KwbKconfig *) object;

  g_clear_pointer (&self->values, g_hash_table_unref);
  G_OBJECT_CLASS (kwb_kconfig_parent_class)->finalize (object);
}

static void
kwb_kconfig_class_init (KwbKconfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_kconfig_finalize;
}

static void
kwb_kconfig_init (KwbKconfig *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
is_symbol_name (const char *s,
                gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '_')
      return FALSE;
  return TRUE;
}

/**
 * kwb_kconfig_parse_line:
 * @line: "CONFIG_X=value" or "# CONFIG_X is not set" (CONFIG_ optional)
 *
 * Returns: TRUE with the symbol (without CONFIG_) and its value ("n" for
 * not set) when @line is an option line.
 */
gboolean
kwb_kconfig_parse_line (const char  *line,
                        char       **symbol,
                        char       **value)
{
  const char *p = line;
  const char *eq;

  while (g_ascii_isspace (*p))
    p++;

  if (*p == '#')
    {
      const char *end;

      p++;
      while (*p == ' ')
        p++;
      if (g_str_has_prefix (p, "CONFIG_"))
        p += strlen ("CONFIG_");
      end = strstr (p, " is not set");
      if (end == NULL || !is_symbol_name (p, end - p))
        return FALSE;
      *symbol = g_strndup (p, end - p);
      *value = g_strdup ("n");
      return TRUE;
    }

  if (g_str_has_prefix (p, "CONFIG_"))
    p += strlen ("CONFIG_");
  eq = strchr (p, '=');
  if (eq == NULL || !is_symbol_name (p, eq - p))
    return FALSE;
  *symbol = g_strndup (p, eq - p);
  *value = g_strstrip (g_strdup (eq + 1));
  return TRUE;
}

KwbKconfig *
kwb_kconfig_new_from_data (const char *text,
                           gssize      len)
{
  KwbKconfig *self = g_object_new (KWB_TYPE_KCONFIG, NULL);
  g_autofree char *copy = len < 0 ? g_strdup (text) : g_strndup (text, len);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *symbol, *value;
      const char *l = lines[i];

      /* Comments other than "is not set" are headers and section titles. */
      if (l[0] == '#' && strstr (l, " is not set") == NULL)
        continue;
      if (kwb_kconfig_parse_line (l, &symbol, &value))
        g_hash_table_replace (self->values, symbol, value);
    }
  return self;
}

static char *
read_compressed_xz (const char  *path,
                    GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                    G_SUBPROCESS_FLAGS_STDERR_PIPE);
  const char *argv[] = { "xz", "-dc", "--", path, NULL };
  g_autoptr(GSubprocess) xz = NULL;
  g_autoptr(GError) local_error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;

  xz = kwb_spawn (launcher, argv, "xz-utils", error);
  if (xz == NULL)
    return NULL;
  if (!g_subprocess_communicate_utf8 (xz, NULL, NULL, &out, &err, &local_error) ||
      !g_subprocess_get_successful (xz))
    {
      g_set_error (error, KWB_KCONFIG_ERROR, KWB_KCONFIG_ERROR_READ,
                   _("Cannot decompress %s: %s"), path,
                   local_error ? local_error->message : g_strstrip (err ? err : g_strdup ("")));
      g_free (out);
      return NULL;
    }
  return out;
}

static char *
read_compressed_gz (const char  *path,
                    GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) raw = NULL;
  g_autoptr(GConverter) decompressor = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) local_error = NULL;

  raw = g_file_read (file, NULL, &local_error);
  if (raw != NULL)
    {
      decompressor = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
      in = g_converter_input_stream_new (G_INPUT_STREAM (raw), decompressor);
      if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                  G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &local_error) >= 0)
        {
          g_output_stream_write (out, "", 1, NULL, NULL);
          return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
        }
    }
  g_set_error (error, KWB_KCONFIG_ERROR, KWB_KCONFIG_ERROR_READ,
               _("Cannot read %s: %s"), path, local_error->message);
  return NULL;
}

/**
 * kwb_kconfig_new_from_file:
 * @path: a .config, or one compressed with xz (Debian's
 *   /usr/src/linux-config-*) or gzip (/proc/config.gz)
 *
 * Decompressing xz starts the xz tool: call from the main thread.
 */
KwbKconfig *
kwb_kconfig_new_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(KwbKconfig) self = NULL;

  if (g_str_has_suffix (path, ".xz"))
    text = read_compressed_xz (path, error);
  else if (g_str_has_suffix (path, ".gz"))
    text = read_compressed_gz (path, error);
  else if (!g_file_get_contents (path, &text, NULL, &local_error))
    g_set_error (error, KWB_KCONFIG_ERROR, KWB_KCONFIG_ERROR_READ,
                 _("Cannot read the kernel configuration %s: %s"), path, local_error->message);
  if (text == NULL)
    return NULL;

  self = kwb_kconfig_new_from_data (text, -1);
  if (g_hash_table_size (self->values) == 0)
    {
      g_set_error (error, KWB_KCONFIG_ERROR, KWB_KCONFIG_ERROR_PARSE,
                   _("%s is not a kernel configuration: it has no CONFIG_ line. "
                     "Give a .config, or a config-* file from /boot or /usr/src/linux-config-*"),
                   path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

static const char *
strip_prefix (const char *symbol)
{
  return g_str_has_prefix (symbol, "CONFIG_") ? symbol + strlen ("CONFIG_") : symbol;
}

/**
 * kwb_kconfig_get:
 * @symbol: with or without CONFIG_
 *
 * Returns: (nullable): the value as written ("y", "m", a number, a "quoted
 * string"), "n" for "is not set", NULL when the file does not mention it
 * (which olddefconfig writes only for options whose dependencies are off).
 */
const char *
kwb_kconfig_get (KwbKconfig *self,
                 const char *symbol)
{
  g_return_val_if_fail (KWB_IS_KCONFIG (self), NULL);
  return g_hash_table_lookup (self->values, strip_prefix (symbol));
}

gboolean
kwb_kconfig_is_enabled (KwbKconfig *self,
                        const char *symbol)
{
  const char *v = kwb_kconfig_get (self, symbol);

  return v != NULL && (g_str_equal (v, "y") || g_str_equal (v, "m"));
}

guint
kwb_kconfig_get_n_symbols (KwbKconfig *self)
{
  g_return_val_if_fail (KWB_IS_KCONFIG (self), 0);
  return g_hash_table_size (self->values);
}

/* Over the sorted option lines only: the header's timestamp and version
 * comment must not change the hash. */
char *
kwb_kconfig_dup_hash (KwbKconfig *self)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (self->values), (GCompareFunc) strcmp);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *value = g_hash_table_lookup (self->values, l->data);

      if (g_str_equal (value, "n"))
        continue;
      g_checksum_update (sum, l->data, -1);
      g_checksum_update (sum, (const guchar *) "=", 1);
      g_checksum_update (sum, (const guchar *) value, -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  return g_strndup (g_checksum_get_string (sum), 16);
}

/* ---- profiles -------------------------------------------------------------- */

/**
 * kwb_kconfig_profile_make_target:
 *
 * Returns: (nullable): the make target that writes the base .config of
 * @profile, NULL for existing (a copy) or an unknown profile
 */
const char *
kwb_kconfig_profile_make_target (const KwbArch *arch,
                                 const char    *profile)
{
  if (arch == NULL)
    arch = kwb_arch_get_default ();
  if (g_strcmp0 (profile, "fast") == 0)
    return "tinyconfig";
  if (g_strcmp0 (profile, "standard") == 0)
    return arch->defconfig;
  return NULL;
}

static gboolean
option_applies (const Option  *option,
                const KwbArch *arch)
{
  return option->arch == NULL || g_str_equal (option->arch, arch->name);
}

static void
add_request (GPtrArray  *requests,
             const char *symbol,
             const char *value,
             const char *origin)
{
  KwbKconfigRequest *r;

  /* A later layer overrides an earlier one: the last word is the user's. */
  for (guint i = 0; i < requests->len; i++)
    {
      r = g_ptr_array_index (requests, i);
      if (g_str_equal (r->symbol, symbol))
        {
          g_ptr_array_remove_index (requests, i);
          break;
        }
    }
  r = g_new0 (KwbKconfigRequest, 1);
  r->symbol = g_strdup (symbol);
  r->value = g_strdup (value);
  r->origin = g_strdup (origin);
  g_ptr_array_add (requests, r);
}

/**
 * kwb_kconfig_build_requests:
 * @arch: (nullable): the guest's architecture, NULL for the default
 * @profile: fast, standard or existing
 * @relocatable: keep RELOCATABLE (the kernel is then booted with nokaslr)
 * @builtin_initramfs: (nullable): link this initramfs in (CONFIG_INITRAMFS_SOURCE)
 * @extra_config: (nullable): the project's own lines, "CONFIG_X=y" or
 *   "# CONFIG_X is not set", applied last
 *
 * Returns: (transfer full) (element-type KwbKconfigRequest): every option we
 * ask olddefconfig for, in order
 */
GPtrArray *
kwb_kconfig_build_requests (const KwbArch       *arch,
                            const char          *profile,
                            gboolean             relocatable,
                            const char          *builtin_initramfs,
                            const char * const  *extra_config,
                            GError             **error)
{
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_kconfig_request_free);

  if (arch == NULL)
    arch = kwb_arch_get_default ();
  if (g_strcmp0 (profile, "fast") != 0 && g_strcmp0 (profile, "standard") != 0 &&
      g_strcmp0 (profile, "existing") != 0)
    {
      g_set_error (error, KWB_KCONFIG_ERROR, KWB_KCONFIG_ERROR_PROFILE,
                   _("“%s” is not a profile we can configure: use fast, standard or existing "
                     "([kernel] profile)"), profile ? profile : "");
      return NULL;
    }

  /* The user's own config is theirs: only the debug layer goes on top. */
  if (!g_str_equal (profile, "existing"))
    for (guint i = 0; i < G_N_ELEMENTS (boot_options); i++)
      if (option_applies (&boot_options[i], arch))
        add_request (requests, boot_options[i].symbol, boot_options[i].value,
                   g_str_equal (profile, "fast") ? "fast profile" : "standard profile");

  for (guint i = 0; i < G_N_ELEMENTS (debug_options); i++)
    if (option_applies (&debug_options[i], arch))
      add_request (requests, debug_options[i].symbol, debug_options[i].value, "debug layer");
  add_request (requests, "PROC_FS", "y", "debug layer");
  add_request (requests, "PROC_SYSCTL", "y", "debug layer");
  add_request (requests, "RELOCATABLE", relocatable ? "y" : "n", "debug layer");

  if (builtin_initramfs != NULL && *builtin_initramfs != '\0')
    {
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", builtin_initramfs);

      add_request (requests, "BLK_DEV_INITRD", "y", "builtin initramfs");
      add_request (requests, "INITRAMFS_SOURCE", quoted, "builtin initramfs");
    }

  for (guint i = 0; extra_config != NULL && extra_config[i] != NULL; i++)
    {
      g_autofree char *symbol = NULL;
      g_autofree char *value = NULL;
      g_autofree char *line = g_strstrip (g_strdup (extra_config[i]));

      if (*line == '\0')
        continue;
      if (!kwb_kconfig_parse_line (line, &symbol, &value) || *value == '\0')
        {
          g_set_error (error, KWB_KCONFIG_ERROR, KWB_KCONFIG_ERROR_BAD_REQUEST,
                       _("[kernel] extra-config: “%s” is not an option line. "
                         "Write CONFIG_NAME=y, CONFIG_NAME=m, CONFIG_NAME=value or "
                         "“# CONFIG_NAME is not set”"), line);
          return NULL;
        }
      add_request (requests, symbol, value, "extra-config");
    }

  return g_steal_pointer (&requests);
}

/**
 * kwb_kconfig_requests_to_fragment:
 *
 * Returns: the requests as a config fragment for merge_config.sh
 */
char *
kwb_kconfig_requests_to_fragment (GPtrArray *requests)
{
  GString *out = g_string_new ("# Kernel Workbench debug profile " KWB_KCONFIG_PROFILE_VERSION "\n");

  for (guint i = 0; i < requests->len; i++)
    {
      KwbKconfigRequest *r = g_ptr_array_index (requests, i);

      if (g_str_equal (r->value, "n"))
        g_string_append_printf (out, "# CONFIG_%s is not set\n", r->symbol);
      else
        g_string_append_printf (out, "CONFIG_%s=%s\n", r->symbol, r->value);
    }
  return g_string_free (out, FALSE);
}

/* ---- the doctor ------------------------------------------------------------ */

static KwbKconfigFinding *
finding_new (const char         *symbol,
             const char         *wanted,
             const char         *actual,
             KwbKconfigSeverity  severity)
{
  KwbKconfigFinding *f = g_new0 (KwbKconfigFinding, 1);

  f->option = g_strconcat ("CONFIG_", symbol, NULL);
  f->wanted = g_strdup (wanted);
  f->actual = g_strdup (actual ? actual : "n");
  f->severity = severity;
  f->stuck = severity != KWB_KCONFIG_SEVERITY_ERROR;
  return f;
}

static gboolean
value_matches (const char *wanted,
               const char *actual)
{
  if (actual == NULL)
    actual = "n";
  return g_str_equal (wanted, actual);
}

static const char *
lookup_in_config (gpointer    user_data,
                  const char *symbol)
{
  return kwb_kconfig_get (KWB_KCONFIG (user_data), symbol);
}

static gboolean
selector_is_on (KwbKconfig     *self,
                KwbKconfigTree *tree,
                const char     *selector)
{
  g_autofree char *name = g_strdup (selector);
  char *if_part = strstr (name, " if ");

  if (if_part != NULL)
    {
      *if_part = '\0';
      if (kwb_kconfig_tree_eval (tree, if_part + 4, lookup_in_config, self) == 0)
        return FALSE;
    }
  return kwb_kconfig_is_enabled (self, name);
}

static char *
selector_names (GPtrArray *selectors)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; selectors != NULL && i < selectors->len && i < 6; i++)
    {
      g_autofree char *name = g_strdup (g_ptr_array_index (selectors, i));
      char *if_part = strstr (name, " if ");

      if (if_part != NULL)
        *if_part = '\0';
      if (strstr (out->str, name) != NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, name);
    }
  if (selectors != NULL && selectors->len > 6)
    g_string_append (out, ", …");
  return g_string_free (out, FALSE);
}

/* Why a wanted-on option stayed off, and what to request instead. */
static void
explain_off (KwbKconfig        *self,
             KwbKconfigTree    *tree,
             KwbKconfigFinding *f,
             const char        *symbol)
{
  g_autoptr(GPtrArray) blockers = kwb_kconfig_tree_dup_blockers (tree, symbol, lookup_in_config, self);
  g_autoptr(GString) reason = g_string_new (NULL);
  g_autoptr(GString) advice = g_string_new (NULL);

  if (blockers != NULL && blockers->len > 0)
    {
      g_string_append_printf (reason, _("%s needs "), symbol);
      for (guint i = 0; i < blockers->len; i++)
        {
          const char *b = g_ptr_array_index (blockers, i);

          if (i > 0)
            g_string_append (reason, i + 1 == blockers->len ? _(" and ") : ", ");
          if (b[0] == '!')
            {
              g_string_append_printf (reason, _("%s off"), b + 1);
              g_string_append_printf (advice, "# CONFIG_%s is not set\n", b + 1);
            }
          else if (strchr (b, '=') != NULL)
            g_string_append (reason, b);
          else if (!kwb_kconfig_tree_has_prompt (tree, b))
            {
              GPtrArray *selectors = kwb_kconfig_tree_get_selectors (tree, b);
              g_autofree char *names = selector_names (selectors);

              if (*names != '\0')
                {
                  g_autofree char *first = g_strdup (g_ptr_array_index (selectors, 0));
                  char *if_part = strstr (first, " if ");

                  if (if_part != NULL)
                    *if_part = '\0';
                  g_string_append_printf (reason, _("%s, which only %s selects"), b, names);
                  g_string_append_printf (advice, "CONFIG_%s=y\n", first);
                }
              else
                g_string_append_printf (reason, _("%s, which this architecture never sets"), b);
            }
          else
            {
              g_string_append (reason, b);
              g_string_append_printf (advice, "CONFIG_%s=y\n", b);
            }
        }
    }
  else if (!kwb_kconfig_tree_has_prompt (tree, symbol))
    {
      GPtrArray *selectors = kwb_kconfig_tree_get_selectors (tree, symbol);
      g_autofree char *names = selector_names (selectors);

      if (*names != '\0')
        {
          g_string_append_printf (reason, _("%s has no prompt: only selecting it sets it, from %s"),
                                  symbol, names);
          g_string_append_printf (advice, _("enable one of: %s\n"), names);
        }
      else
        g_string_append_printf (reason, _("%s has no prompt and nothing selects it here"), symbol);
    }
  else
    g_string_append_printf (reason, _("olddefconfig chose another value for %s (another entry "
                                      "of its choice, or a value out of range)"), symbol);

  f->reason = g_strdup (reason->str);
  if (advice->len > 0)
    {
      g_strchomp (advice->str);
      g_strdelimit (advice->str, "\n", ' ');
      f->advice = g_strdup_printf (_("Add %s to [kernel] extra-config, or drop the request"),
                                   advice->str);
    }
  else
    f->advice = g_strdup (_("Drop the request, or change what blocks it"));
}

static void
explain_on (KwbKconfig        *self,
            KwbKconfigTree    *tree,
            KwbKconfigFinding *f,
            const char        *symbol)
{
  GPtrArray *selectors = kwb_kconfig_tree_get_selectors (tree, symbol);
  g_autoptr(GPtrArray) on = g_ptr_array_new ();
  g_autofree char *names = NULL;

  for (guint i = 0; selectors != NULL && i < selectors->len; i++)
    if (selector_is_on (self, tree, g_ptr_array_index (selectors, i)))
      g_ptr_array_add (on, g_ptr_array_index (selectors, i));
  names = selector_names (on);

  if (*names != '\0')
    {
      f->reason = g_strdup_printf (_("%s is selected by %s, which is on"), symbol, names);
      f->advice = g_strdup_printf (_("Turn %s off too (“# CONFIG_… is not set” in [kernel] extra-config)"),
                                   names);
    }
  else if (!kwb_kconfig_tree_has_prompt (tree, symbol))
    {
      f->reason = g_strdup_printf (_("%s has no prompt: it is on whenever its dependencies are"), symbol);
      f->advice = g_strdup (_("Drop the request"));
    }
  else
    {
      f->reason = g_strdup_printf (_("olddefconfig kept %s on (a choice that needs one entry, "
                                     "or a default forced by another option)"), symbol);
      f->advice = g_strdup (_("Drop the request"));
    }
}

/**
 * kwb_kconfig_check_requests:
 * @self: the .config olddefconfig wrote
 * @requests: (element-type KwbKconfigRequest): what was asked
 * @tree: (nullable): the source tree's Kconfig, to say why a request failed
 *
 * Returns: (transfer full) (element-type KwbKconfigFinding): one finding per
 * request, in request order
 */
GPtrArray *
kwb_kconfig_check_requests (KwbKconfig     *self,
                            GPtrArray      *requests,
                            KwbKconfigTree *tree)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_kconfig_finding_free);

  g_return_val_if_fail (KWB_IS_KCONFIG (self), findings);

  for (guint i = 0; i < requests->len; i++)
    {
      KwbKconfigRequest *r = g_ptr_array_index (requests, i);
      const char *actual = kwb_kconfig_get (self, r->symbol);
      KwbKconfigFinding *f;

      if (value_matches (r->value, actual))
        {
          g_ptr_array_add (findings, finding_new (r->symbol, r->value, actual, KWB_KCONFIG_SEVERITY_OK));
          continue;
        }

      f = finding_new (r->symbol, r->value, actual, KWB_KCONFIG_SEVERITY_ERROR);
      if (tree != NULL && !kwb_kconfig_tree_has_symbol (tree, r->symbol))
        {
          f->reason = g_strdup_printf (_("This kernel has no option %s (misspelt, or renamed or "
                                         "removed in this version)"), r->symbol);
          f->advice = g_strdup (_("Check the name in the source tree's Kconfig files, or drop the line"));
        }
      else if (tree == NULL)
        {
          f->reason = g_strdup (_("olddefconfig changed it; its dependencies are probably not met"));
          f->advice = g_strdup (_("Run the doctor on the project to read the reason from Kconfig"));
        }
      else if (g_str_equal (r->value, "n"))
        explain_on (self, tree, f, r->symbol);
      else if (actual == NULL || g_str_equal (actual, "n"))
        explain_off (self, tree, f, r->symbol);
      else
        {
          f->reason = g_strdup_printf (_("olddefconfig set %s to %s (a module-only option, "
                                         "a limit from a dependency, or a value out of range)"),
                                       r->symbol, actual);
          f->advice = g_strdup (_("Request a value the option accepts"));
        }

      /* RELOCATABLE is requested off only so that KASLR cannot be on. A
       * distro config where EFI_STUB selects it is fine while KASLR is off. */
      if (g_str_equal (r->symbol, "RELOCATABLE") && g_str_equal (r->value, "n") &&
          !kwb_kconfig_is_enabled (self, "RANDOMIZE_BASE"))
        {
          g_autofree char *reason = f->reason;

          f->severity = KWB_KCONFIG_SEVERITY_WARNING;
          f->reason = g_strdup_printf (_("%s; harmless: RANDOMIZE_BASE (KASLR) is off, so the "
                                         "kernel runs where vmlinux says"), reason);
        }
      g_ptr_array_add (findings, f);
    }
  return findings;
}

/**
 * kwb_kconfig_diagnose:
 *
 * What a config means for debugging under QEMU, without building it: for
 * a user's .config or a distribution kernel's.
 *
 * Returns: (transfer full) (element-type KwbKconfigFinding):
 */
GPtrArray *
kwb_kconfig_diagnose (KwbKconfig *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_kconfig_finding_free);
  KwbKconfigFinding *f;
  gboolean debug_info;

  g_return_val_if_fail (KWB_IS_KCONFIG (self), out);

  /* Since 5.18 CONFIG_DEBUG_INFO is set by one of the DWARF choices, before
   * by itself; either way it is the marker. */
  debug_info = kwb_kconfig_is_enabled (self, "DEBUG_INFO") && !kwb_kconfig_is_enabled (self, "DEBUG_INFO_NONE");
  f = finding_new ("DEBUG_INFO", NULL, kwb_kconfig_get (self, "DEBUG_INFO"),
                   debug_info ? KWB_KCONFIG_SEVERITY_OK : KWB_KCONFIG_SEVERITY_ERROR);
  if (!debug_info)
    {
      f->reason = g_strdup (_("No debug information: GDB sees no source lines, types or local variables"));
      f->advice = g_strdup (_("Set CONFIG_DEBUG_INFO_DWARF4=y (a bare CONFIG_DEBUG_INFO=y is dropped "
                              "since Linux 5.18), or use a distribution's separate debug symbols"));
    }
  g_ptr_array_add (out, f);

  if (debug_info)
    {
      gboolean reduced = kwb_kconfig_is_enabled (self, "DEBUG_INFO_REDUCED");
      gboolean split = kwb_kconfig_is_enabled (self, "DEBUG_INFO_SPLIT");

      f = finding_new ("DEBUG_INFO_REDUCED", NULL, kwb_kconfig_get (self, "DEBUG_INFO_REDUCED"),
                       reduced ? KWB_KCONFIG_SEVERITY_WARNING : KWB_KCONFIG_SEVERITY_OK);
      if (reduced)
        {
          f->reason = g_strdup (_("Reduced debug information: no types of structures, so GDB cannot "
                                  "print most kernel variables"));
          f->advice = g_strdup (_("Set “# CONFIG_DEBUG_INFO_REDUCED is not set”"));
        }
      g_ptr_array_add (out, f);

      if (split)
        {
          f = finding_new ("DEBUG_INFO_SPLIT", NULL, "y", KWB_KCONFIG_SEVERITY_WARNING);
          f->reason = g_strdup (_("Debug information is split into .dwo files next to the objects; "
                                  "GDB finds it only in that build directory"));
          f->advice = g_strdup (_("Set “# CONFIG_DEBUG_INFO_SPLIT is not set”"));
          g_ptr_array_add (out, f);
        }
    }

  f = finding_new ("RANDOMIZE_BASE", NULL, kwb_kconfig_get (self, "RANDOMIZE_BASE"),
                   kwb_kconfig_is_enabled (self, "RANDOMIZE_BASE") ? KWB_KCONFIG_SEVERITY_WARNING
                                                                   : KWB_KCONFIG_SEVERITY_OK);
  if (kwb_kconfig_is_enabled (self, "RANDOMIZE_BASE"))
    {
      f->reason = g_strdup (_("KASLR is on: the kernel runs at a random address, so breakpoints "
                              "set from vmlinux miss"));
      f->advice = g_strdup (_("Boot with nokaslr (Kernel Workbench adds it for this kernel), or set "
                              "“# CONFIG_RANDOMIZE_BASE is not set”"));
    }
  g_ptr_array_add (out, f);

  f = finding_new ("GDB_SCRIPTS", NULL, kwb_kconfig_get (self, "GDB_SCRIPTS"),
                   kwb_kconfig_is_enabled (self, "GDB_SCRIPTS") ? KWB_KCONFIG_SEVERITY_OK
                                                                : KWB_KCONFIG_SEVERITY_WARNING);
  if (!kwb_kconfig_is_enabled (self, "GDB_SCRIPTS"))
    {
      f->reason = g_strdup (_("No GDB scripts: vmlinux-gdb.py is not built, so lx-symbols (module "
                              "symbols), lx-dmesg and lx-ps are missing"));
      f->advice = g_strdup (_("Set CONFIG_GDB_SCRIPTS=y (needs debug information)"));
    }
  g_ptr_array_add (out, f);

  f = finding_new ("FRAME_POINTER", NULL, kwb_kconfig_get (self, "FRAME_POINTER"),
                   kwb_kconfig_is_enabled (self, "FRAME_POINTER") ? KWB_KCONFIG_SEVERITY_OK
                                                                  : KWB_KCONFIG_SEVERITY_INFO);
  if (!kwb_kconfig_is_enabled (self, "FRAME_POINTER"))
    {
      f->reason = g_strdup (_("No frame pointers: GDB's backtraces rely on debug information alone "
                              "and can stop early in assembly code"));
      f->advice = g_strdup (_("Set CONFIG_UNWINDER_FRAME_POINTER=y (it selects FRAME_POINTER)"));
    }
  g_ptr_array_add (out, f);

  if (!kwb_kconfig_is_enabled (self, "BUG"))
    {
      f = finding_new ("BUG", NULL, kwb_kconfig_get (self, "BUG"), KWB_KCONFIG_SEVERITY_WARNING);
      f->reason = g_strdup (_("BUG() and WARN() are compiled out: a BUG_ON or WARN_ON neither reports nor "
                              "stops the debugger"));
      f->advice = g_strdup (_("Set CONFIG_BUG=y (its prompt shows with CONFIG_EXPERT=y)"));
      g_ptr_array_add (out, f);
    }

  if (kwb_kconfig_is_enabled (self, "ARM64") && kwb_kconfig_is_enabled (self, "ARM64_PTR_AUTH_KERNEL"))
    {
      f = finding_new ("ARM64_PTR_AUTH_KERNEL", NULL, "y", KWB_KCONFIG_SEVERITY_INFO);
      f->reason = g_strdup (_("Return addresses are signed on CPUs with pointer authentication. The "
                              "CPU Kernel Workbench gives QEMU (cortex-a57) has none, so backtraces are "
                              "whole; with -cpu max they can stop early"));
      f->advice = g_strdup (_("Keep QEMU's default CPU, or set “# CONFIG_ARM64_PTR_AUTH is not set”"));
      g_ptr_array_add (out, f);
    }

  if (kwb_kconfig_is_enabled (self, "X86_64") &&
      (!kwb_kconfig_is_enabled (self, "X86_MCE") || !kwb_kconfig_is_enabled (self, "AMD_MEM_ENCRYPT")))
    {
      const char *off = !kwb_kconfig_is_enabled (self, "X86_MCE") ? "X86_MCE" : "AMD_MEM_ENCRYPT";

      f = finding_new (off, NULL, kwb_kconfig_get (self, off), KWB_KCONFIG_SEVERITY_INFO);
      f->reason = g_strdup (_("Debian’s crash 8.0.2 cannot show backtraces from this kernel’s memory "
                              "dumps: without X86_MCE and AMD_MEM_ENCRYPT it reads two exception "
                              "stacks as empty (drgn reads the dumps either way)"));
      f->advice = g_strdup (_("Set CONFIG_X86_MCE=y and CONFIG_AMD_MEM_ENCRYPT=y to read dumps with crash"));
      g_ptr_array_add (out, f);
    }

  if (!kwb_kconfig_is_enabled (self, "64BIT"))
    {
      f = finding_new ("64BIT", NULL, kwb_kconfig_get (self, "64BIT"), KWB_KCONFIG_SEVERITY_WARNING);
      f->reason = g_strdup (_("A 32-bit kernel: qemu-system-x86_64's GDB stub still speaks 64-bit, "
                              "the cause of “Remote 'g' packet reply is too long”"));
      f->advice = g_strdup (_("Set CONFIG_64BIT=y"));
      g_ptr_array_add (out, f);
    }

  return out;
}

gboolean
kwb_kconfig_findings_ok (GPtrArray *findings)
{
  for (guint i = 0; i < findings->len; i++)
    {
      KwbKconfigFinding *f = g_ptr_array_index (findings, i);

      if (f->severity == KWB_KCONFIG_SEVERITY_ERROR)
        return FALSE;
    }
  return TRUE;
}

static const char *
severity_word (KwbKconfigSeverity severity)
{
  switch (severity)
    {
    case KWB_KCONFIG_SEVERITY_OK: return _("ok");
    case KWB_KCONFIG_SEVERITY_INFO: return _("note");
    case KWB_KCONFIG_SEVERITY_WARNING: return _("warning");
    case KWB_KCONFIG_SEVERITY_ERROR:
    default: return _("PROBLEM");
    }
}

/**
 * kwb_kconfig_format_findings:
 *
 * Returns: the report as text, one option a line, reasons and advice indented
 */
char *
kwb_kconfig_format_findings (GPtrArray *findings,
                             gboolean   only_problems)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < findings->len; i++)
    {
      KwbKconfigFinding *f = g_ptr_array_index (findings, i);

      if (only_problems && f->severity == KWB_KCONFIG_SEVERITY_OK)
        continue;
      if (f->wanted != NULL)
        g_string_append_printf (out, "%-8s %s: wanted %s, got %s\n", severity_word (f->severity),
                                f->option, f->wanted, f->actual);
      else
        g_string_append_printf (out, "%-8s %s=%s\n", severity_word (f->severity), f->option, f->actual);
      if (f->reason != NULL)
        g_string_append_printf (out, "         %s\n", f->reason);
      if (f->advice != NULL)
        g_string_append_printf (out, "         → %s\n", f->advice);
    }
  return g_string_free (out, FALSE);
}
