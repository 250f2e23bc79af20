/* kwb-arch.c — what differs between the guest architectures a project can target
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A project's machine.arch names one row of the table below; everything that
 * depends on the guest's architecture (kbuild's ARCH and cross compiler, the
 * image to boot, QEMU's machine and console, GDB's architecture, the ELF
 * machine a BusyBox must have, the registers worth showing) reads it from
 * here rather than testing the name, so a new architecture is a new row.
 *
 * The host is whatever runs us: an architecture is built natively when the
 * host's machine (uname -m) is its own, else with the Debian cross compiler.
 * Each guest needs its own QEMU; Debian's plain gdb only knows the host's
 * architecture, so other guests use gdb-multiarch. A project switched to
 * another architecture keeps its qemu.binary and debug.gdb lines: the old
 * architecture's defaults there are read as this one's.
 */
#include "config.h"

#include <string.h>
#include <sys/utsname.h>

#include <gelf.h>

#include "kwb-arch.h"

static const char * const x86_64_registers[] = {
  "rip", "rsp", "rbp", "eflags", "rax", "rbx", "rcx", "rdx", "rsi", "rdi",
  "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
  "cs", "ss", "ds", "es", "fs", "gs", "fs_base", "gs_base", "cr0", "cr2", "cr3", "cr4", NULL
};

static const char * const arm64_registers[] = {
  "pc", "sp", "cpsr", "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
  "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22",
  "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30", NULL
};

static const char * const x86_64_arguments[] = { "$rdi", "$rsi", "$rdx", "$rcx", "$r8", "$r9", NULL };
static const char * const arm64_arguments[] = { "$x0", "$x1", "$x2", "$x3", "$x4", "$x5", NULL };

/* QEMU's arm64 stub translates addresses as the CPU's current exception
 * level would, permissions included, so from EL0 every kernel address reads
 * as unmapped. The C handlers of the EL0 vectors (5.13 on; the assembly
 * labels before) run at EL1 with the kernel mapped, KPTI or not. */
static const char * const arm64_user_entries[] = {
  "el0t_64_irq_handler", "el0t_64_sync_handler", "el0t_64_fiq_handler", "el0t_64_error_handler",
  "el0_irq", "el0_sync", NULL
};

/* The APIC's TPR-patching helper (kvmvapic) resets itself with a
 * synchronous call on the CPU thread. A replay resets the machine for every
 * step backwards while holding the replay lock the CPU thread may be waiting
 * for: QEMU 7.2 then deadlocks, more often the busier the host. Linux never
 * uses the helper, and without it that reset has nothing to wait for. */
static const char * const x86_64_replay_args[] = { "-global", "apic.vapic=off", NULL };

static const KwbArch arches[] = {
  {
    .name = "x86_64",
    .label = "x86-64",
    .kbuild_arch = "x86",
    .host_machine = "x86_64",
    .cross_compile = "x86_64-linux-gnu-",
    .compiler_package = "gcc-x86-64-linux-gnu",
    .libc_package = "libc6-dev-amd64-cross",
    .image_target = "bzImage",
    .image_path = "arch/x86/boot/bzImage",
    .defconfig = "x86_64_defconfig",
    .elf_machine = EM_X86_64,
    .qemu_binary = "qemu-system-x86_64",
    .qemu_package = "qemu-system-x86",
    .qemu_machine = NULL,
    .qemu_tcg_cpu = "max",
    .qemu_replay_args = x86_64_replay_args,
    .qemu_user = "qemu-x86_64",
    .qemu_user_package = "qemu-user",
    .console = "ttyS0",
    .gdb_binary = "gdb",
    .gdb_package = "gdb",
    /* QEMU's x86-64 stub answers with 64-bit 'g' packets even while the CPU
     * runs 32-bit boot code. */
    .gdb_architecture = "i386:x86-64:intel",
    .oops_function = "oops_end",
    .registers = x86_64_registers,
    .arguments = x86_64_arguments,
  },
  {
    .name = "arm64",
    .label = "ARM64 (AArch64)",
    .kbuild_arch = "arm64",
    .host_machine = "aarch64",
    .cross_compile = "aarch64-linux-gnu-",
    .compiler_package = "gcc-aarch64-linux-gnu",
    .libc_package = "libc6-dev-arm64-cross",
    .image_target = "Image",
    .image_path = "arch/arm64/boot/Image",
    .defconfig = "defconfig",
    .elf_machine = EM_AARCH64,
    .qemu_binary = "qemu-system-aarch64",
    .qemu_package = "qemu-system-arm",
    .qemu_machine = "virt",
    /* No pointer authentication: QEMU 7.2's stub does not describe the PAC
     * mask, so GDB could not strip signed return addresses in backtraces. */
    .qemu_tcg_cpu = "cortex-a57",
    .qemu_user = "qemu-aarch64",
    .qemu_user_package = "qemu-user",
    .console = "ttyAMA0",
    .gdb_binary = "gdb-multiarch",
    .gdb_package = "gdb-multiarch",
    .gdb_architecture = "aarch64",
    .oops_function = "die",
    .registers = arm64_registers,
    .arguments = arm64_arguments,
    .user_entries = arm64_user_entries,
  },
};

static const char * const names[] = { "x86_64", "arm64", NULL };

const KwbArch *
kwb_arch_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (arches); i++)
    if (g_strcmp0 (arches[i].name, name) == 0)
      return &arches[i];
  return NULL;
}

const KwbArch *
kwb_arch_get_default (void)
{
  return &arches[0];
}

const char * const *
kwb_arch_get_names (void)
{
  return names;
}

/**
 * kwb_arch_for_project:
 *
 * Returns: the project's machine.arch; the default for a value the schema
 * would not have accepted (the project loader reports those)
 */
const KwbArch *
kwb_arch_for_project (KwbProject *project)
{
  g_autofree char *name = NULL;
  const KwbArch *arch;

  if (project == NULL)
    return kwb_arch_get_default ();
  name = kwb_project_dup_string (project, "machine", "arch");
  arch = kwb_arch_lookup (name);
  return arch != NULL ? arch : kwb_arch_get_default ();
}

const KwbArch *
kwb_arch_for_elf_machine (guint machine)
{
  for (guint i = 0; i < G_N_ELEMENTS (arches); i++)
    if (arches[i].elf_machine == machine)
      return &arches[i];
  return NULL;
}

gboolean
kwb_arch_is_native (const KwbArch *arch)
{
  struct utsname host;

  g_return_val_if_fail (arch != NULL, TRUE);
  if (uname (&host) != 0)
    return TRUE;
  return g_str_equal (host.machine, arch->host_machine);
}

const char *
kwb_arch_get_cross_compile (const KwbArch *arch)
{
  g_return_val_if_fail (arch != NULL, NULL);
  return kwb_arch_is_native (arch) ? NULL : arch->cross_compile;
}

GStrv
kwb_arch_dup_make_variables (const KwbArch *arch)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  const char *cross = kwb_arch_get_cross_compile (arch);

  g_autofree char *kbuild = g_strconcat ("ARCH=", arch->kbuild_arch, NULL);
  g_autofree char *cross_var = cross != NULL ? g_strconcat ("CROSS_COMPILE=", cross, NULL) : NULL;

  g_strv_builder_add (b, kbuild);
  if (cross_var != NULL)
    g_strv_builder_add (b, cross_var);
  return g_strv_builder_end (b);
}

char *
kwb_arch_dup_compiler (const KwbArch *arch)
{
  const char *cross = kwb_arch_get_cross_compile (arch);

  return g_strconcat (cross != NULL ? cross : "", "gcc", NULL);
}

static char *
resolve_tool (const KwbArch *arch,
              const char    *configured,
              gsize          offset)
{
  const char *own = G_STRUCT_MEMBER (const char *, arch, offset);

  if (configured == NULL || *configured == '\0')
    return g_strdup (own);
  for (guint i = 0; i < G_N_ELEMENTS (arches); i++)
    if (&arches[i] != arch && g_str_equal (configured, G_STRUCT_MEMBER (const char *, &arches[i], offset)))
      return g_strdup (own);
  return g_strdup (configured);
}

char *
kwb_arch_dup_qemu_binary (const KwbArch *arch,
                          const char    *configured)
{
  g_return_val_if_fail (arch != NULL, NULL);
  return resolve_tool (arch, configured, G_STRUCT_OFFSET (KwbArch, qemu_binary));
}

char *
kwb_arch_dup_gdb_binary (const KwbArch *arch,
                         const char    *configured)
{
  g_return_val_if_fail (arch != NULL, NULL);
  if (configured == NULL || *configured == '\0')
    return g_strdup (arch->gdb_binary);
  /* Debian's gdb debugs the host's architecture only; gdb-multiarch and
   * any other GDB the user names are taken at their word. */
  if (g_str_equal (configured, "gdb") && !kwb_arch_is_native (arch))
    return g_strdup (arch->gdb_binary);
  return g_strdup (configured);
}

char *
kwb_arch_dup_packages (const KwbArch *arch,
                       gboolean       only_missing)
{
  g_autofree char *compiler = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (arch != NULL, NULL);
  compiler = kwb_arch_dup_compiler (arch);
  {
    const char *programs[] = { compiler, arch->qemu_binary, arch->gdb_binary };
    const char *packages[] = { kwb_arch_is_native (arch) ? "gcc" : arch->compiler_package,
                               arch->qemu_package, arch->gdb_package };

    for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
      {
        g_autofree char *found = only_missing ? g_find_program_in_path (programs[i]) : NULL;

        if (!only_missing || found == NULL)
          g_string_append_printf (out, "%s%s", out->len ? " " : "", packages[i]);
      }
  }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
kwb_arch_apply_to_project (const KwbArch  *arch,
                           KwbProject     *project,
                           GError        **error)
{
  g_autofree char *qemu = NULL;
  g_autofree char *gdb = NULL;
  g_autofree char *configured_qemu = kwb_project_dup_string (project, "qemu", "binary");
  g_autofree char *configured_gdb = kwb_project_dup_string (project, "debug", "gdb");
  g_autofree char *busybox = kwb_project_dup_string (project, "busybox", "source");

  g_return_val_if_fail (arch != NULL, FALSE);

  qemu = kwb_arch_dup_qemu_binary (arch, configured_qemu);
  gdb = kwb_arch_dup_gdb_binary (arch, configured_gdb);
  if (!kwb_project_set_value (project, "machine", "arch", arch->name, error) ||
      !kwb_project_set_value (project, "qemu", "binary", qemu, error) ||
      !kwb_project_set_value (project, "debug", "gdb", gdb, error))
    return FALSE;
  if (g_strcmp0 (busybox, "host") == 0 && !kwb_arch_is_native (arch))
    return kwb_project_set_value (project, "busybox", "source", "tree", error);
  return TRUE;
}
