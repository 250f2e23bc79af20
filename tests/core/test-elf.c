/* test-elf.c — kwb-elf on hand-made files: good, truncated, lying and missing ones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each file is built here field by field, so every case differs from a good
 * file in one way. Hostile headers (counts and offsets past the end) must
 * give an error or a safe answer, never a read out of bounds.
 */
#include "config.h"

#include <elf.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

typedef struct {
  Elf64_Ehdr ehdr;
  Elf64_Phdr phdr[2];
  Elf64_Dyn  dyn[3];
  Elf64_Shdr shdr[3];
} Image;

static char *tmp;

static void
image_init (Image *image)
{
  memset (image, 0, sizeof *image);
  memcpy (image->ehdr.e_ident, ELFMAG, SELFMAG);
  image->ehdr.e_ident[EI_CLASS] = ELFCLASS64;
  image->ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
  image->ehdr.e_ident[EI_VERSION] = EV_CURRENT;
  image->ehdr.e_type = ET_EXEC;
  image->ehdr.e_machine = EM_X86_64;
  image->ehdr.e_version = EV_CURRENT;
  image->ehdr.e_ehsize = sizeof (Elf64_Ehdr);
  image->ehdr.e_phoff = G_STRUCT_OFFSET (Image, phdr);
  image->ehdr.e_phentsize = sizeof (Elf64_Phdr);
  image->ehdr.e_phnum = 2;
  image->phdr[0].p_type = PT_LOAD;
  image->phdr[1].p_type = PT_DYNAMIC;
  image->phdr[1].p_offset = G_STRUCT_OFFSET (Image, dyn);
  image->phdr[1].p_filesz = sizeof image->dyn;
  image->dyn[0].d_tag = DT_FLAGS_1;
  image->dyn[1].d_tag = DT_NULL;
  image->ehdr.e_shoff = G_STRUCT_OFFSET (Image, shdr);
  image->ehdr.e_shentsize = sizeof (Elf64_Shdr);
  image->ehdr.e_shnum = 3;
  image->shdr[1].sh_type = SHT_PROGBITS;
  image->shdr[2].sh_type = SHT_PROGBITS;
}

static char *
write_image (const char *name,
             const void *data,
             gsize       len)
{
  char *path = g_build_filename (tmp, name, NULL);

  g_assert_true (g_file_set_contents (path, data, len, NULL));
  return path;
}

static KwbElf *
open_image (const char  *name,
            const Image *image,
            gsize        len)
{
  g_autofree char *path = write_image (name, image, len);
  g_autoptr(GError) error = NULL;
  KwbElf *elf = kwb_elf_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (elf);
  return elf;
}

static void
test_good (void)
{
  Image image;
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(GArray) headers = NULL;
  g_autoptr(GError) error = NULL;

  image_init (&image);
  elf = open_image ("good", &image, sizeof image);
  g_assert_cmpuint (kwb_elf_get_class (elf), ==, ELFCLASS64);
  g_assert_true (kwb_elf_is_little_endian (elf));
  g_assert_cmpuint (kwb_elf_get_machine (elf), ==, EM_X86_64);
  g_assert_cmpuint (kwb_elf_get_file_type (elf), ==, ET_EXEC);
  headers = kwb_elf_dup_program_headers (elf, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (headers->len, ==, 2);
  g_assert_cmpuint (g_array_index (headers, GElf_Phdr, 1).p_type, ==, PT_DYNAMIC);
  g_assert_false (kwb_elf_segment_needs_libraries (elf, &g_array_index (headers, GElf_Phdr, 1)));
  /* Only a PT_DYNAMIC segment is read as one. */
  g_assert_false (kwb_elf_segment_needs_libraries (elf, &g_array_index (headers, GElf_Phdr, 0)));
  g_assert_false (kwb_elf_has_section_addresses (elf));

  g_clear_pointer (&elf, kwb_elf_free);
  g_clear_pointer (&headers, g_array_unref);
  image.dyn[1].d_tag = DT_NEEDED;
  image.dyn[2].d_tag = DT_NULL;
  image.shdr[1].sh_addr = 0x1000;
  elf = open_image ("needed", &image, sizeof image);
  headers = kwb_elf_dup_program_headers (elf, NULL);
  g_assert_true (kwb_elf_segment_needs_libraries (elf, &g_array_index (headers, GElf_Phdr, 1)));
  g_assert_true (kwb_elf_has_section_addresses (elf));
}

static void
test_not_elf (void)
{
  g_autofree char *text = write_image ("text", "#!/bin/sh\n", 10);
  g_autofree char *empty = write_image ("empty", "", 0);
  g_autofree char *missing = g_build_filename (tmp, "missing", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (kwb_elf_open (text, &error));
  g_assert_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NOT_ELF);
  g_assert_nonnull (strstr (error->message, text));
  g_clear_error (&error);
  g_assert_null (kwb_elf_open (empty, &error));
  g_assert_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NOT_ELF);
  g_clear_error (&error);
  /* The bare reason: callers say which file, and why they wanted it. */
  g_assert_null (kwb_elf_open (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_cmpstr (error->message, ==, g_strerror (ENOENT));
}

/* Headers that point past the end of the file, or claim absurd counts. */
static void
test_lying_headers (void)
{
  Image image;
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(GArray) headers = NULL;
  g_autoptr(GError) error = NULL;
  GElf_Phdr dynamic = { 0 };

  /* Program headers cut off by the end of the file. */
  image_init (&image);
  elf = open_image ("cut", &image, G_STRUCT_OFFSET (Image, phdr) + sizeof (Elf64_Phdr) / 2);
  g_assert_null (kwb_elf_dup_program_headers (elf, &error));
  g_assert_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_TRUNCATED);
  g_clear_error (&error);
  g_clear_pointer (&elf, kwb_elf_free);

  /* No program headers at all. */
  image_init (&image);
  image.ehdr.e_phnum = 0;
  image.ehdr.e_phoff = 0;
  elf = open_image ("none", &image, sizeof image);
  g_assert_null (kwb_elf_dup_program_headers (elf, &error));
  g_assert_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NO_PROGRAM_HEADERS);
  g_clear_error (&error);
  g_clear_pointer (&elf, kwb_elf_free);

  /* 65535 program headers, far more than the file holds. */
  image_init (&image);
  image.ehdr.e_phnum = 0xffff;
  elf = open_image ("many", &image, sizeof image);
  headers = kwb_elf_dup_program_headers (elf, &error);
  g_assert_null (headers);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_pointer (&elf, kwb_elf_free);

  /* A PT_DYNAMIC segment past the end, and one of absurd size. */
  image_init (&image);
  elf = open_image ("dynamic", &image, sizeof image);
  dynamic.p_type = PT_DYNAMIC;
  dynamic.p_offset = 1 << 30;
  dynamic.p_filesz = sizeof (Elf64_Dyn);
  g_assert_false (kwb_elf_segment_needs_libraries (elf, &dynamic));
  dynamic.p_offset = G_STRUCT_OFFSET (Image, dyn);
  dynamic.p_filesz = G_MAXUINT64 - 8;
  g_assert_false (kwb_elf_segment_needs_libraries (elf, &dynamic));
  g_clear_pointer (&elf, kwb_elf_free);

  /* Section headers past the end: no addresses to find, nothing read. */
  image_init (&image);
  image.ehdr.e_shoff = 1 << 30;
  image.ehdr.e_shnum = 0xff00;
  {
    g_autofree char *path = write_image ("sections", &image, sizeof image);

    elf = kwb_elf_open (path, &error);
    if (elf != NULL)
      g_assert_false (kwb_elf_has_section_addresses (elf));
    else
      g_assert_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NOT_ELF);
  }
}

/* The copy differs from the file only in the sh_addr fields. */
static void
test_unplaced_copy (void)
{
  Image image;
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(KwbElf) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = g_build_filename (tmp, "copy.ko", NULL);
  g_autofree char *contents = NULL;
  gsize len;

  image_init (&image);
  image.ehdr.e_type = ET_REL;
  image.shdr[1].sh_addr = 0x40;
  image.shdr[2].sh_addr = 0x80;
  elf = open_image ("placed.ko", &image, sizeof image);
  g_assert_true (kwb_elf_write_unplaced_copy (elf, dest, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (dest, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, sizeof image);
  image.shdr[1].sh_addr = 0;
  image.shdr[2].sh_addr = 0;
  g_assert_cmpmem (contents, len, &image, sizeof image);
  again = kwb_elf_open (dest, &error);
  g_assert_false (kwb_elf_has_section_addresses (again));

  /* A folder that does not exist: an error, and nothing left behind. */
  {
    g_autofree char *nowhere = g_build_filename (tmp, "no", "such", "copy.ko", NULL);

    g_assert_false (kwb_elf_write_unplaced_copy (elf, nowhere, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  }
}

/* A core as QEMU lays one out: headers, one CPU's NT_PRSTATUS, memory. */
typedef struct {
  Elf64_Ehdr ehdr;
  Elf64_Phdr phdr[2];
  Elf64_Nhdr nhdr;
  char       name[8];      /* "CORE", padded to 4 */
  guint8     prstatus[336];
  guint8     memory[64];
} Core;

static void
core_init (Core *core)
{
  memset (core, 0, sizeof *core);
  memcpy (core->ehdr.e_ident, ELFMAG, SELFMAG);
  core->ehdr.e_ident[EI_CLASS] = ELFCLASS64;
  core->ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
  core->ehdr.e_ident[EI_VERSION] = EV_CURRENT;
  core->ehdr.e_type = ET_CORE;
  core->ehdr.e_machine = EM_X86_64;
  core->ehdr.e_version = EV_CURRENT;
  core->ehdr.e_ehsize = sizeof (Elf64_Ehdr);
  core->ehdr.e_phoff = G_STRUCT_OFFSET (Core, phdr);
  core->ehdr.e_phentsize = sizeof (Elf64_Phdr);
  core->ehdr.e_phnum = 2;
  core->phdr[0].p_type = PT_NOTE;
  core->phdr[0].p_offset = G_STRUCT_OFFSET (Core, nhdr);
  core->phdr[0].p_filesz = G_STRUCT_OFFSET (Core, memory) - G_STRUCT_OFFSET (Core, nhdr);
  core->phdr[1].p_type = PT_LOAD;
  core->phdr[1].p_offset = G_STRUCT_OFFSET (Core, memory);
  core->phdr[1].p_filesz = sizeof core->memory;
  core->phdr[1].p_memsz = sizeof core->memory;
  core->nhdr.n_namesz = 5;
  core->nhdr.n_descsz = sizeof core->prstatus;
  core->nhdr.n_type = NT_PRSTATUS;
  memcpy (core->name, "CORE", 5);
  core->prstatus[32] = 1;  /* pr_pid: QEMU's CPU number plus one */
  for (guint i = 0; i < sizeof core->memory; i++)
    core->memory[i] = i;
}

/* The notes of the core at PATH as (name, type, desc) through libelf. */
static GPtrArray *
read_notes (const char *path)
{
  GPtrArray *notes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *contents = NULL;
  gsize len;
  const Elf64_Ehdr *ehdr;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  ehdr = (const Elf64_Ehdr *) contents;
  for (guint i = 0; i < ehdr->e_phnum; i++)
    {
      const Elf64_Phdr *phdr = (const Elf64_Phdr *) (contents + ehdr->e_phoff) + i;

      if (phdr->p_type != PT_NOTE)
        continue;
      g_assert_cmpuint (phdr->p_offset + phdr->p_filesz, <=, len);
      for (gsize at = phdr->p_offset; at < phdr->p_offset + phdr->p_filesz;)
        {
          const Elf64_Nhdr *nhdr = (const Elf64_Nhdr *) (contents + at);
          const char *name = contents + at + sizeof *nhdr;
          const char *desc = name + ((nhdr->n_namesz + 3) & ~3u);

          g_ptr_array_add (notes, g_strdup_printf ("%s/%u/%.*s", name, nhdr->n_type,
                                                   nhdr->n_type == NT_PRSTATUS ? 0 : (int) nhdr->n_descsz, desc));
          if (nhdr->n_type == NT_PRSTATUS)
            g_ptr_array_add (notes, g_strdup_printf ("pid %u", *(const guint32 *) (desc + 32)));
          at = desc + ((nhdr->n_descsz + 3) & ~3u) - contents;
        }
    }
  return notes;
}

static void
test_core_notes (void)
{
  Core core;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  const char info[] = "OSRELEASE=6.1.0\nPAGESIZE=4096\n";
  const guint32 pids[] = { 42, 43 };
  gsize len;

  core_init (&core);
  path = write_image ("vmcore", &core, sizeof core);
  g_assert_true (kwb_elf_core_add_note (path, "VMCOREINFO", 0, info, strlen (info), &error));
  g_assert_no_error (error);
  /* Two PIDs for one CPU note: the second has nowhere to go. */
  g_assert_true (kwb_elf_core_set_prstatus_pids (path, pids, G_N_ELEMENTS (pids), &error));
  g_assert_no_error (error);

  notes = read_notes (path);
  g_assert_cmpuint (notes->len, ==, 3);
  g_assert_cmpstr (notes->pdata[0], ==, "CORE/1/");
  g_assert_cmpstr (notes->pdata[1], ==, "pid 42");
  g_assert_cmpstr (notes->pdata[2], ==, "VMCOREINFO/0/OSRELEASE=6.1.0\nPAGESIZE=4096\n");

  /* The notes stay in front of the memory, where crash reads them: the old
   * ones where they were, the new one after them, the memory moved up by
   * as much, unchanged, and its program header following it. */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  {
    const Elf64_Phdr *phdr = (const Elf64_Phdr *) (contents + core.ehdr.e_phoff);
    g_autofree char *left = g_strconcat (path, ".notes", NULL);

    g_assert_cmpuint (phdr[0].p_offset, ==, G_STRUCT_OFFSET (Core, nhdr));
    g_assert_cmpmem (contents + phdr[0].p_offset, sizeof core.nhdr + sizeof core.name,
                     &core.nhdr, sizeof core.nhdr + sizeof core.name);
    g_assert_cmpuint (phdr[0].p_offset + phdr[0].p_filesz, <=, phdr[1].p_offset);
    g_assert_cmpuint (phdr[1].p_offset, >, G_STRUCT_OFFSET (Core, memory));
    g_assert_cmpuint (phdr[1].p_offset % 8, ==, 0);
    g_assert_cmpuint (phdr[1].p_filesz, ==, sizeof core.memory);
    g_assert_cmpuint (len, ==, phdr[1].p_offset + sizeof core - G_STRUCT_OFFSET (Core, memory));
    g_assert_cmpmem (contents + phdr[1].p_offset, sizeof core.memory, core.memory, sizeof core.memory);
    g_assert_false (g_file_test (left, G_FILE_TEST_EXISTS));
  }

  /* Only a 64-bit core is changed. */
  {
    Image image;
    g_autofree char *exe = NULL;
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;

    image_init (&image);
    exe = write_image ("not-a-core", &image, sizeof image);
    g_assert_false (kwb_elf_core_add_note (exe, "VMCOREINFO", 0, info, strlen (info), &error));
    g_assert_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NOT_ELF);
    g_clear_error (&error);
    g_assert_false (kwb_elf_core_set_prstatus_pids (exe, pids, 1, &error));
    g_assert_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NOT_ELF);
    g_clear_error (&error);
    g_assert_true (g_file_get_contents (exe, &after, &len, NULL));
    g_assert_cmpmem (after, len, &image, sizeof image);
  }
  /* A note segment said to run far past the end of the file. */
  core.phdr[0].p_filesz = G_MAXUINT64 / 2;
  g_free (path);
  path = write_image ("vmcore-lying", &core, sizeof core);
  g_assert_false (kwb_elf_core_add_note (path, "VMCOREINFO", 0, info, strlen (info), &error));
  g_assert_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_TRUNCATED);
  g_clear_error (&error);
  g_assert_true (kwb_elf_core_set_prstatus_pids (path, pids, 1, &error));
  g_assert_no_error (error);

  /* A core without notes. */
  core.phdr[0].p_type = PT_NULL;
  g_free (path);
  path = write_image ("vmcore-without-notes", &core, sizeof core);
  g_assert_false (kwb_elf_core_add_note (path, "VMCOREINFO", 0, info, strlen (info), &error));
  g_assert_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NO_PROGRAM_HEADERS);
}

/* A vmlinux-like file: the build-id in a .notes section after another note. */
static void
test_build_id (void)
{
  struct {
    Elf64_Ehdr ehdr;
    Elf64_Shdr shdr[2];
    Elf64_Nhdr other;
    char       other_name[8];
    guint8     other_desc[4];
    Elf64_Nhdr id;
    char       id_name[4];
    guint8     id_desc[20];
  } file;
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  Image image;

  memset (&file, 0, sizeof file);
  image_init (&image);
  file.ehdr = image.ehdr;
  file.ehdr.e_phoff = 0;
  file.ehdr.e_phnum = 0;
  file.ehdr.e_shoff = G_STRUCT_OFFSET (typeof (file), shdr);
  file.ehdr.e_shnum = 2;
  file.shdr[1].sh_type = SHT_NOTE;
  file.shdr[1].sh_offset = G_STRUCT_OFFSET (typeof (file), other);
  file.shdr[1].sh_size = sizeof file - G_STRUCT_OFFSET (typeof (file), other);
  file.shdr[1].sh_addralign = 4;
  file.other.n_namesz = 6;
  file.other.n_descsz = 4;
  file.other.n_type = 6;  /* NT_GNU_BUILD_ID's number, but not a GNU note */
  memcpy (file.other_name, "Linux", 6);
  file.id.n_namesz = 4;
  file.id.n_descsz = 20;
  file.id.n_type = NT_GNU_BUILD_ID;
  memcpy (file.id_name, "GNU", 4);
  for (guint i = 0; i < 20; i++)
    file.id_desc[i] = 0xa0 + i;
  path = write_image ("vmlinux", &file, sizeof file);
  elf = kwb_elf_open (path, &error);
  g_assert_no_error (error);
  id = kwb_elf_dup_build_id (elf);
  g_assert_cmpstr (id, ==, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3");
  g_clear_pointer (&elf, kwb_elf_free);

  /* No build-id note at all. */
  file.id.n_type = 1;
  g_free (path);
  path = write_image ("vmlinux-without-id", &file, sizeof file);
  elf = kwb_elf_open (path, &error);
  g_assert_no_error (error);
  g_assert_null (kwb_elf_dup_build_id (elf));
}

/* Functions by name from the symbol table: only defined functions count;
 * objects are asked for apart, global ones only. */
static void
test_functions (void)
{
  static const char strtab[] = "\0do_init_module\0free_module\0undefined_fn";
  struct {
    Elf64_Ehdr ehdr;
    Elf64_Shdr shdr[3];
    Elf64_Sym  sym[4];
    char       str[sizeof strtab];
  } file;
  const char * const names[] = { "do_init_module", "free_module", "undefined_fn", "missing", NULL };
  guint64 addresses[G_N_ELEMENTS (names) - 1];
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Image image;

  memset (&file, 0, sizeof file);
  image_init (&image);
  file.ehdr = image.ehdr;
  file.ehdr.e_phoff = 0;
  file.ehdr.e_phnum = 0;
  file.ehdr.e_shoff = G_STRUCT_OFFSET (typeof (file), shdr);
  file.ehdr.e_shnum = 3;
  file.shdr[1].sh_type = SHT_SYMTAB;
  file.shdr[1].sh_offset = G_STRUCT_OFFSET (typeof (file), sym);
  file.shdr[1].sh_size = sizeof file.sym;
  file.shdr[1].sh_entsize = sizeof file.sym[0];
  file.shdr[1].sh_link = 2;
  file.shdr[1].sh_addralign = 8;
  file.shdr[2].sh_type = SHT_STRTAB;
  file.shdr[2].sh_offset = G_STRUCT_OFFSET (typeof (file), str);
  file.shdr[2].sh_size = sizeof file.str;
  memcpy (file.str, strtab, sizeof strtab);
  /* A function, an object of a function's name, an undefined function. */
  file.sym[1].st_name = 1;
  file.sym[1].st_info = ELF64_ST_INFO (STB_GLOBAL, STT_FUNC);
  file.sym[1].st_shndx = 1;
  file.sym[1].st_value = 0xffffffff81139f60;
  file.sym[2].st_name = 1 + strlen ("do_init_module") + 1;
  file.sym[2].st_info = ELF64_ST_INFO (STB_GLOBAL, STT_OBJECT);
  file.sym[2].st_shndx = 1;
  file.sym[2].st_value = 0xffffffff82000000;
  file.sym[3].st_name = file.sym[2].st_name + strlen ("free_module") + 1;
  file.sym[3].st_info = ELF64_ST_INFO (STB_GLOBAL, STT_FUNC);
  file.sym[3].st_shndx = SHN_UNDEF;
  path = write_image ("vmlinux-symbols", &file, sizeof file);
  elf = kwb_elf_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (kwb_elf_lookup_functions (elf, names, addresses));
  g_assert_cmphex (addresses[0], ==, 0xffffffff81139f60);
  g_assert_cmphex (addresses[1], ==, 0);
  g_assert_cmphex (addresses[2], ==, 0);
  g_assert_cmphex (addresses[3], ==, 0);
  /* The object is found when objects are asked for, and only while global. */
  g_assert_true (kwb_elf_lookup_objects (elf, names, addresses));
  g_assert_cmphex (addresses[0], ==, 0);
  g_assert_cmphex (addresses[1], ==, 0xffffffff82000000);
  g_clear_pointer (&elf, kwb_elf_free);
  file.sym[2].st_info = ELF64_ST_INFO (STB_LOCAL, STT_OBJECT);
  g_free (path);
  path = write_image ("vmlinux-local-object", &file, sizeof file);
  elf = kwb_elf_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (kwb_elf_lookup_objects (elf, names, addresses));
  g_assert_cmphex (addresses[1], ==, 0);
  g_clear_pointer (&elf, kwb_elf_free);
  file.sym[2].st_info = ELF64_ST_INFO (STB_GLOBAL, STT_OBJECT);

  /* No symbol table at all (stripped): FALSE, nothing found. */
  file.shdr[1].sh_type = SHT_PROGBITS;
  g_free (path);
  path = write_image ("vmlinux-stripped", &file, sizeof file);
  elf = kwb_elf_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (kwb_elf_lookup_functions (elf, names, addresses));
  g_assert_cmphex (addresses[0], ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;
  g_autofree char *command = NULL;

  g_test_init (&argc, &argv, NULL);
  tmp = g_dir_make_tmp ("kwb-test-elf-XXXXXX", NULL);
  g_test_add_func ("/elf/good", test_good);
  g_test_add_func ("/elf/not-elf", test_not_elf);
  g_test_add_func ("/elf/lying-headers", test_lying_headers);
  g_test_add_func ("/elf/unplaced-copy", test_unplaced_copy);
  g_test_add_func ("/elf/core-notes", test_core_notes);
  g_test_add_func ("/elf/build-id", test_build_id);
  g_test_add_func ("/elf/functions", test_functions);
  status = g_test_run ();
  command = g_strdup_printf ("rm -rf '%s'", tmp);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (tmp);
  return status;
}
