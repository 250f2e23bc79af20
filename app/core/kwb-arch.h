/* kwb-arch.h — what differs between the guest architectures a project can target
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "kwb-project.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;              /* machine.arch: "x86_64", "arm64" */
  const char *label;             /* for people: "x86-64", "ARM64 (AArch64)" */
  const char *kbuild_arch;       /* make ARCH= and the arch/ folder */
  const char *host_machine;      /* uname -m of a host that builds it natively */
  const char *cross_compile;     /* CROSS_COMPILE= on any other host */
  const char *compiler_package;  /* the Debian package of that cross compiler */
  const char *libc_package;      /* the Debian package of its C library (static programs) */
  const char *image_target;      /* the make target of the bootable image */
  const char *image_path;        /* that image, relative to the build folder */
  const char *defconfig;         /* the standard profile's make target */
  guint       elf_machine;       /* EM_X86_64, EM_AARCH64 */
  const char *qemu_binary;
  const char *qemu_package;
  const char *qemu_machine;      /* -M, or NULL for QEMU's default */
  const char *qemu_tcg_cpu;      /* -cpu under TCG */
  /* Added to a recorded or replayed run; recorded and replayed runs must
   * get the same ones, since they shape what the guest executes. */
  const char * const *qemu_replay_args;
  const char *qemu_user;         /* runs one of its programs on another host */
  const char *qemu_user_package;
  const char *console;           /* the serial console's kernel name */
  const char *gdb_binary;
  const char *gdb_package;
  const char *gdb_architecture;  /* set architecture */
  const char *oops_function;     /* where an oops stops, pt_regs in "regs" */
  const char * const *registers; /* worth a glance, in the order shown */
  const char * const *arguments; /* GDB's names of the first six integer arguments */
  /* Kernel functions every entry from user space reaches, for stubs that
   * read memory with the interrupted mode's rights (a stop in user space
   * cannot read the kernel's); NULL when a stop anywhere can. */
  const char * const *user_entries;
} KwbArch;

const KwbArch  *kwb_arch_lookup              (const char      *name);
const KwbArch  *kwb_arch_get_default         (void);
const KwbArch  *kwb_arch_for_project         (KwbProject      *project);
const KwbArch  *kwb_arch_for_elf_machine     (guint            machine);
/* The architectures a project can name, NULL-terminated, default first. */
const char * const *kwb_arch_get_names       (void);

gboolean        kwb_arch_is_native           (const KwbArch   *arch);
/* NULL on a host that builds the architecture natively. */
const char     *kwb_arch_get_cross_compile   (const KwbArch   *arch);
/* ARCH=… and, when cross compiling, CROSS_COMPILE=…, for make. */
GStrv           kwb_arch_dup_make_variables  (const KwbArch   *arch);
/* The C compiler kbuild runs: gcc, or the cross compiler. */
char           *kwb_arch_dup_compiler        (const KwbArch   *arch);

/* The QEMU and GDB a project runs: the configured program, except that an
 * empty setting, or another architecture's default, means this one's. */
char           *kwb_arch_dup_qemu_binary     (const KwbArch   *arch,
                                              const char      *configured);
char           *kwb_arch_dup_gdb_binary      (const KwbArch   *arch,
                                              const char      *configured);
/* The Debian packages of the compiler, QEMU and GDB this architecture runs
 * here, separated by spaces; with @only_missing, those whose program is
 * not on PATH ("" when none is). */
char           *kwb_arch_dup_packages        (const KwbArch   *arch,
                                              gboolean         only_missing);
/* Sets machine.arch and what must follow it in a new project: QEMU and
 * GDB when they are another architecture's defaults, and BusyBox from a
 * source tree when the host's own cannot run in the guest. */
gboolean        kwb_arch_apply_to_project    (const KwbArch   *arch,
                                              KwbProject      *project,
                                              GError         **error);

G_END_DECLS
