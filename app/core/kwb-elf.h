/* kwb-elf.h — the few ELF questions the core asks, answered by libelf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gelf.h>
#include <glib.h>

G_BEGIN_DECLS

#define KWB_ELF_ERROR (kwb_elf_error_quark ())

typedef enum {
  KWB_ELF_ERROR_NOT_ELF,             /* no ELF magic, or libelf refuses the file */
  KWB_ELF_ERROR_NO_PROGRAM_HEADERS,  /* an object file or a stripped-down header */
  KWB_ELF_ERROR_TRUNCATED,           /* headers point past the end of the file */
  KWB_ELF_ERROR_FAILED,              /* writing a copy failed */
} KwbElfError;

typedef struct _KwbElf KwbElf;

GQuark    kwb_elf_error_quark              (void);

/* Opens PATH read-only. When it cannot be opened the error is in
 * G_FILE_ERROR and its message is only the system's reason, for the caller
 * to put in its own sentence; a file that is no ELF gives KWB_ELF_ERROR_NOT_ELF. */
KwbElf   *kwb_elf_open                     (const char       *path,
                                            GError          **error);
void      kwb_elf_free                     (KwbElf           *self);

guint     kwb_elf_get_class                (KwbElf           *self);  /* ELFCLASS32, ELFCLASS64 */
gboolean  kwb_elf_is_little_endian         (KwbElf           *self);
guint     kwb_elf_get_machine              (KwbElf           *self);  /* EM_X86_64, … */
guint     kwb_elf_get_file_type            (KwbElf           *self);  /* ET_REL, ET_EXEC, … */

/* The program headers (GElf_Phdr), or NULL with KWB_ELF_ERROR_NO_PROGRAM_HEADERS
 * or KWB_ELF_ERROR_TRUNCATED. */
GArray   *kwb_elf_dup_program_headers      (KwbElf           *self,
                                            GError          **error);
/* TRUE when the PT_DYNAMIC segment DYNAMIC names a shared library (DT_NEEDED). */
gboolean  kwb_elf_segment_needs_libraries  (KwbElf           *self,
                                            const GElf_Phdr  *dynamic);

/* TRUE when the file has a section called NAME. */
gboolean  kwb_elf_has_section              (KwbElf           *self,
                                            const char       *name);
/* TRUE when any section header has a non-zero sh_addr. */
gboolean  kwb_elf_has_section_addresses    (KwbElf           *self);
/* Writes the file to DEST (atomically) with every sh_addr cleared and every
 * other byte as it was. */
gboolean  kwb_elf_write_unplaced_copy      (KwbElf           *self,
                                            const char       *dest,
                                            GError          **error);

/* The NT_GNU_BUILD_ID note (linkers write it into vmlinux and modules) as
 * lowercase hex, or NULL when the file has none. */
char     *kwb_elf_dup_build_id             (KwbElf           *self);
/* Whether a note section or segment holds the note NAME ("GNU", "Xen")
 * of TYPE. */
gboolean  kwb_elf_has_note                 (KwbElf           *self,
                                            const char       *name,
                                            guint32           type);

/* The addresses of the defined functions NAMES (NULL-terminated) in the
 * symbol table, into ADDRESSES (0 for one not there); FALSE when the file
 * has no symbol table. */
gboolean  kwb_elf_lookup_functions         (KwbElf             *self,
                                            const char * const *names,
                                            guint64            *addresses);

/* Likewise for global data objects (a variable's address). */
gboolean  kwb_elf_lookup_objects           (KwbElf             *self,
                                            const char * const *names,
                                            guint64            *addresses);

/* Adds one note to the ELF core PATH (64-bit, host byte order) without
 * moving its memory: the note segment is copied to the end of the file with
 * the new note after it, and its program header points there. */
gboolean  kwb_elf_core_add_note            (const char       *path,
                                            const char       *name,
                                            guint32           type,
                                            const void       *desc,
                                            gsize             desc_size,
                                            GError          **error);

/* Sets pr_pid in the core's NT_PRSTATUS notes, in their order, to PIDS
 * (fewer PIDS than notes leave the rest as they are). A kernel's own
 * vmcore names the task each CPU ran there; QEMU writes the CPU's number
 * plus one, and tools then unwind a running task from its stale saved
 * registers instead of its CPU's. */
gboolean  kwb_elf_core_set_prstatus_pids   (const char       *path,
                                            const guint32    *pids,
                                            guint             n_pids,
                                            GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbElf, kwb_elf_free)

G_END_DECLS
