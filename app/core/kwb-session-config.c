/* kwb-session-config.c — what a debug session boots and loads, resolved from a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One place that turns a project into files and a command line, shared by
 * kwb boot, kwb debug and the window: the image and vmlinux of the build
 * (or of a prebuilt kernel), the initramfs when it is passed with -initrd,
 * the source tree for path mapping, and the kernel command line: the serial
 * console (ttyS0, or the arm64 virt board's ttyAMA0), the manual way's rdinit=/linuxrc and loglevel=8, panic=-1 (a panic ends
 * the VM, which runs with -no-reboot, instead of hanging it), nokaslr when
 * the kernel can relocate itself, then the user's own arguments (the kernel
 * takes the last of a repeated option, so the user's win).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-kernel-build.h"
#include "kwb-build-manifest.h"
#include "kwb-elf.h"
#include "kwb-path-checks.h"
#include "kwb-session-config.h"

struct _KwbSessionConfig
{
  GObject     parent_instance;
  KwbProject *project;
  char       *kernel;
  char       *vmlinux;
  char       *initrd;
  char       *build_dir;
  char       *source_dir;
  char       *cmdline;
  gboolean    relocatable;
  gboolean    boot_vmlinux;
  const KwbArch *arch;
  KwbQemuReplay replay;
  char       *replay_log;
  char       *replay_image;
  guint       memory;     /* MiB; 0: the project's */
};

G_DEFINE_FINAL_TYPE (KwbSessionConfig, kwb_session_config, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-session-config-error-quark, kwb_session_config_error)

static void
kwb_session_config_finalize (GObject *object)
{
  KwbSessionConfig *self = (KwbSessionConfig *) object;

  g_clear_object (&self->project);
  g_free (self->kernel);
  g_free (self->vmlinux);
  g_free (self->initrd);
  g_free (self->build_dir);
  g_free (self->source_dir);
  g_free (self->cmdline);
  g_free (self->replay_log);
  g_free (self->replay_image);
  G_OBJECT_CLASS (kwb_session_config_parent_class)->finalize (object);
}

static void
kwb_session_config_class_init (KwbSessionConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_session_config_finalize;
}

static void
kwb_session_config_init (KwbSessionConfig *self)
{
}

/* CONFIG_RELOCATABLE from the build's .config; a distro kernel (no .config
 * of ours) is assumed relocatable, as Debian's are. */
static gboolean
read_relocatable (const char *build_dir)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (build_dir == NULL)
    return TRUE;
  path = g_build_filename (build_dir, ".config", NULL);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return TRUE;
  return strstr (text, "\nCONFIG_RELOCATABLE=y\n") != NULL ||
         g_str_has_prefix (text, "CONFIG_RELOCATABLE=y\n");
}

static char *
tree_in (const char *dir)
{
  g_autoptr(GDir) d = NULL;
  g_autofree char *makefile = NULL;
  const char *name;

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  makefile = g_build_filename (dir, "Makefile", NULL);
  if (g_file_test (makefile, G_FILE_TEST_IS_REGULAR))
    return g_strdup (dir);
  /* A tarball extracted as is: its one top-level folder. */
  if ((d = g_dir_open (dir, 0, NULL)) == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *candidate = g_build_filename (dir, name, NULL);
      g_autofree char *inner = g_build_filename (candidate, "Makefile", NULL);

      if (g_file_test (inner, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

/* The tree GDB's file names should point into: the source folder itself;
 * else the tree the last build used (its manifest says); else where the
 * project's tarball is extracted (its source-dir, or the shared cache). */
static char *
resolve_source_dir (KwbProject *project,
                    const char *build_dir)
{
  g_autofree char *source = kwb_project_dup_path (project, "kernel", "source");
  g_autofree char *extract = kwb_project_dup_path (project, "kernel", "source-dir");
  g_autofree char *shared = NULL;
  char *found;

  if ((found = tree_in (source)) != NULL)
    return found;
  if (build_dir != NULL)
    {
      g_autoptr(KwbBuildManifest) manifest = kwb_build_manifest_new (build_dir);
      g_autofree char *built_from = kwb_build_manifest_dup_source (manifest);

      if (built_from != NULL && (found = tree_in (built_from)) != NULL)
        return found;
    }
  if ((found = tree_in (extract)) != NULL)
    return found;
  if (source != NULL && (shared = kwb_kernel_build_dup_shared_source_dir (source, NULL)) != NULL)
    return tree_in (shared);
  return NULL;
}

/* The PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY, CONFIG_PVH): QEMU can
 * boot such a vmlinux itself, without the kernel image's decompressor and
 * with a firmware that only jumps to it (below). */
#define XEN_NOTE_PHYS32_ENTRY 18
#define QBOOT_PATH "/usr/share/qemu/qboot.rom"

/* A vmlinux of another architecture than the project's would load in GDB
 * and then fail at `target remote` with a register packet GDB cannot read.
 * Also notes whether QEMU can boot it without the kernel image. */
static gboolean
inspect_vmlinux (KwbSessionConfig  *self,
                 GError           **error)
{
  KwbElf *elf = kwb_elf_open (self->vmlinux, NULL);
  g_autofree char *boot = NULL;
  const KwbArch *found;
  guint machine;

  if (elf == NULL)
    return TRUE;  /* GDB says what is wrong with it */
  machine = kwb_elf_get_machine (elf);
  /* The same build as the image (the versions are checked): only the way
   * in differs. KASLR, which the decompressor applies, is off in our
   * sessions anyway (nokaslr); qemu.boot=image boots the image, e.g. to
   * debug the decompressor itself. */
  boot = kwb_project_dup_string (self->project, "qemu", "boot");
  self->boot_vmlinux = g_strcmp0 (boot, "image") != 0 && machine == EM_X86_64 &&
                       machine == self->arch->elf_machine && kwb_elf_has_note (elf, "Xen", XEN_NOTE_PHYS32_ENTRY);
  kwb_elf_free (elf);
  if (machine == self->arch->elf_machine)
    return TRUE;
  found = kwb_arch_for_elf_machine (machine);
  if (found != NULL)
    g_set_error (error, KWB_SESSION_CONFIG_ERROR, KWB_SESSION_CONFIG_ERROR_MISMATCH,
                 _("%s is an %s kernel, but this project's guest is %s. Set machine.arch to %s "
                   "(kwb set %s machine.arch %s), or point the project at an %s kernel."),
                 self->vmlinux, found->label, self->arch->label, found->name,
                 kwb_project_get_directory (self->project), found->name, self->arch->label);
  else
    g_set_error (error, KWB_SESSION_CONFIG_ERROR, KWB_SESSION_CONFIG_ERROR_MISMATCH,
                 _("%s is a kernel for ELF machine %u, which Kernel Workbench does not run; "
                   "this project's guest is %s."), self->vmlinux, machine, self->arch->label);
  return FALSE;
}

static gboolean
check_file_setting (const char  *path,
                    const char  *setting,
                    GError     **error)
{
  return path == NULL || kwb_path_check_regular_file (path, setting, error);
}

KwbSessionConfig *
kwb_session_config_new_for_project (KwbProject  *project,
                                    GError     **error)
{
  g_autoptr(KwbSessionConfig) self = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *initramfs_mode = NULL;
  g_autofree char *user_cmdline = NULL;
  g_autoptr(GString) cmdline = NULL;

  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);

  self = g_object_new (KWB_TYPE_SESSION_CONFIG, NULL);
  self->project = g_object_ref (project);
  self->arch = kwb_arch_for_project (project);
  profile = kwb_project_dup_string (project, "kernel", "profile");
  initramfs_mode = kwb_project_dup_string (project, "kernel", "initramfs");

  if (g_strcmp0 (profile, "prebuilt") == 0)
    {
      self->kernel = kwb_project_dup_path (project, "kernel", "image");
      self->vmlinux = kwb_project_dup_path (project, "kernel", "vmlinux");
      self->relocatable = TRUE;
    }
  else
    {
      self->build_dir = kwb_project_dup_path (project, "kernel", "build-dir");
      self->kernel = g_build_filename (self->build_dir, self->arch->image_path, NULL);
      self->vmlinux = g_build_filename (self->build_dir, "vmlinux", NULL);
      self->relocatable = read_relocatable (self->build_dir);
    }
  self->source_dir = resolve_source_dir (project, self->build_dir);

  /* QEMU would wait forever on a pipe given as the kernel or the initramfs,
   * GDB on one given as the vmlinux. */
  if (!check_file_setting (self->kernel, self->build_dir ? "kernel.build-dir" : "kernel.image", error) ||
      !check_file_setting (self->vmlinux, self->build_dir ? "kernel.build-dir" : "kernel.vmlinux", error))
    return NULL;
  if (self->kernel == NULL || !g_file_test (self->kernel, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, KWB_SESSION_CONFIG_ERROR, KWB_SESSION_CONFIG_ERROR_NO_KERNEL,
                   _("No kernel image at %s. Build it with “kwb kernel build %s”, or for a "
                     "prebuilt kernel set kernel.image."),
                   self->kernel ? self->kernel : _("(kernel.image is empty)"),
                   kwb_project_get_directory (project));
      return NULL;
    }
  if (self->vmlinux == NULL || !g_file_test (self->vmlinux, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, KWB_SESSION_CONFIG_ERROR, KWB_SESSION_CONFIG_ERROR_NO_VMLINUX,
                   _("No vmlinux with debug symbols at %s: GDB needs it. Build the kernel, or "
                     "for a prebuilt kernel set kernel.vmlinux (Debian: linux-image-*-dbg)."),
                   self->vmlinux ? self->vmlinux : _("(kernel.vmlinux is empty)"));
      return NULL;
    }

  if (!inspect_vmlinux (self, error))
    return NULL;

  if (g_strcmp0 (initramfs_mode, "builtin") != 0)
    {
      self->initrd = kwb_project_dup_path (project, "initramfs", "output");
      if (!check_file_setting (self->initrd, "initramfs.output", error))
        return NULL;
      if (self->initrd == NULL || !g_file_test (self->initrd, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, KWB_SESSION_CONFIG_ERROR, KWB_SESSION_CONFIG_ERROR_NO_INITRAMFS,
                       _("No initramfs at %s. Build it with “kwb initramfs %s”."),
                       self->initrd ? self->initrd : "?", kwb_project_get_directory (project));
          return NULL;
        }
    }

  cmdline = g_string_new (NULL);
  g_string_append_printf (cmdline, "console=%s rdinit=/linuxrc loglevel=8 panic=-1", self->arch->console);
  if (self->relocatable)
    g_string_append (cmdline, " nokaslr");
  user_cmdline = kwb_project_dup_string (project, "qemu", "cmdline");
  if (user_cmdline != NULL && *g_strstrip (user_cmdline) != '\0')
    g_string_append_printf (cmdline, " %s", user_cmdline);
  self->cmdline = g_string_free (g_steal_pointer (&cmdline), FALSE);

  return g_steal_pointer (&self);
}

/* The "Linux version …" banner is in both the bzImage (compressed, but its
 * setup header carries the same string) and the vmlinux: if they differ the
 * symbols describe another kernel and every breakpoint would be wrong. */
static char *
read_bzimage_version (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  guint8 header[0x210];
  gsize n = 0;
  guint16 offset;
  char buf[256];

  if (in == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), header, sizeof header, &n, NULL, NULL) ||
      n < sizeof header || memcmp (header + 0x202, "HdrS", 4) != 0)
    return NULL;
  offset = header[0x20e] | (header[0x20f] << 8);
  if (!g_seekable_seek (G_SEEKABLE (in), offset + 0x200, G_SEEK_SET, NULL, NULL) ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), buf, sizeof buf - 1, &n, NULL, NULL))
    return NULL;
  buf[n] = '\0';
  return g_strndup (buf, strcspn (buf, " "));
}

static char *
read_vmlinux_version (const char *path)
{
  g_autoptr(GMappedFile) map = g_mapped_file_new (path, FALSE, NULL);
  const char *data, *hit;
  gsize len;
  static const char needle[] = "Linux version ";

  if (map == NULL)
    return NULL;
  data = g_mapped_file_get_contents (map);
  len = g_mapped_file_get_length (map);
  hit = memmem (data, len, needle, strlen (needle));
  if (hit == NULL)
    return NULL;
  hit += strlen (needle);
  return g_strndup (hit, strcspn (hit, " "));
}

gboolean
kwb_session_config_check_versions (KwbSessionConfig  *self,
                                   GError           **error)
{
  g_autofree char *image_version = read_bzimage_version (self->kernel);
  g_autofree char *vmlinux_version = read_vmlinux_version (self->vmlinux);

  /* arm64's Image is not compressed: its banner is in the clear. */
  if (image_version == NULL && self->arch->elf_machine == EM_AARCH64)
    image_version = read_vmlinux_version (self->kernel);

  if (image_version == NULL || vmlinux_version == NULL)
    return TRUE; /* cannot tell: not a bzImage (e.g. an ELF kernel) */
  if (!g_str_equal (image_version, vmlinux_version))
    {
      g_set_error (error, KWB_SESSION_CONFIG_ERROR, KWB_SESSION_CONFIG_ERROR_MISMATCH,
                   _("The vmlinux (%s) does not match the kernel image (%s): their version strings "
                     "differ, so GDB's symbols would point at the wrong code. Rebuild, or point "
                     "kernel.vmlinux at the debug file of this kernel."),
                   vmlinux_version, image_version);
      return FALSE;
    }
  return TRUE;
}

KwbQemu *
kwb_session_config_create_qemu (KwbSessionConfig *self)
{
  KwbQemu *qemu = kwb_qemu_new ();

  kwb_qemu_apply_project (qemu, self->project);
  kwb_qemu_set_kernel (qemu, self->boot_vmlinux ? self->vmlinux : self->kernel);
  /* qboot (qemu-system-data) goes straight to a PVH entry: 0.1 s to
   * start_kernel under TCG, where SeaBIOS takes 0.5 s. It is slower than
   * SeaBIOS at loading a bzImage, so only for the vmlinux. */
  if (self->boot_vmlinux && g_file_test (QBOOT_PATH, G_FILE_TEST_IS_REGULAR))
    kwb_qemu_set_firmware (qemu, QBOOT_PATH);
  kwb_qemu_set_initrd (qemu, self->initrd);
  kwb_qemu_set_append (qemu, self->cmdline);
  kwb_qemu_set_replay (qemu, self->replay, self->replay_log, self->replay_image);
  if (self->memory > 0)
    kwb_qemu_set_memory (qemu, self->memory);
  return qemu;
}

void
kwb_session_config_set_replay (KwbSessionConfig *self,
                               KwbQemuReplay     mode,
                               const char       *log_file,
                               const char       *snapshot_image)
{
  g_return_if_fail (KWB_IS_SESSION_CONFIG (self));
  self->replay = mode;
  g_free (self->replay_log);
  g_free (self->replay_image);
  self->replay_log = g_strdup (log_file);
  self->replay_image = g_strdup (snapshot_image);
}

KwbQemuReplay kwb_session_config_get_replay (KwbSessionConfig *self) { return self->replay; }

void
kwb_session_config_set_memory (KwbSessionConfig *self,
                               guint             mib)
{
  g_return_if_fail (KWB_IS_SESSION_CONFIG (self));
  self->memory = mib;
}

KwbProject *kwb_session_config_get_project (KwbSessionConfig *self) { return self->project; }
const char *kwb_session_config_get_kernel (KwbSessionConfig *self) { return self->kernel; }
const char *kwb_session_config_get_vmlinux (KwbSessionConfig *self) { return self->vmlinux; }
const char *kwb_session_config_get_initrd (KwbSessionConfig *self) { return self->initrd; }
const char *kwb_session_config_get_build_dir (KwbSessionConfig *self) { return self->build_dir; }
const char *kwb_session_config_get_source_dir (KwbSessionConfig *self) { return self->source_dir; }
const char *kwb_session_config_get_cmdline (KwbSessionConfig *self) { return self->cmdline; }
gboolean kwb_session_config_get_relocatable (KwbSessionConfig *self) { return self->relocatable; }
gboolean kwb_session_config_get_boot_vmlinux (KwbSessionConfig *self) { return self->boot_vmlinux; }
const KwbArch *kwb_session_config_get_arch (KwbSessionConfig *self) { return self->arch; }
