/* kwb-elf.c — the few ELF questions the core asks, answered by libelf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two callers read ELF files they did not make: the BusyBox check (is this
 * a static x86-64 program?) and module symbol loading (does this .ko carry
 * section addresses GDB 13 trips over, and if so a copy without them).
 * Memory dumps ask for vmlinux's build-id and add a note to the core QEMU
 * wrote.
 * libelf does the parsing, the byte order and the bounds checks, so a
 * truncated or hostile file is refused by it rather than by our arithmetic.
 * Only what those callers need is wrapped; a KwbElf is a short-lived
 * read-only handle (open, ask, free).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-elf.h"
#include "kwb-path-checks.h"

struct _KwbElf
{
  char *path;
  int   fd;
  Elf  *elf;
};

G_DEFINE_QUARK (kwb-elf-error-quark, kwb_elf_error)

static void
ensure_libelf (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      elf_version (EV_CURRENT);
      g_once_init_leave (&done, 1);
    }
}

KwbElf *
kwb_elf_open (const char  *path,
              GError     **error)
{
  KwbElf *self;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  ensure_libelf ();
  /* Never waits on a pipe given where an ELF file should be. */
  if ((fd = kwb_path_open_regular_file (path, NULL, error)) < 0)
    return NULL;
  self = g_new0 (KwbElf, 1);
  self->path = g_strdup (path);
  self->fd = fd;
  self->elf = elf_begin (fd, ELF_C_READ_MMAP, NULL);
  if (self->elf == NULL || elf_kind (self->elf) != ELF_K_ELF || gelf_getclass (self->elf) == ELFCLASSNONE)
    {
      g_set_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NOT_ELF, _("%s is not an ELF file"), path);
      kwb_elf_free (self);
      return NULL;
    }
  return self;
}

void
kwb_elf_free (KwbElf *self)
{
  if (self == NULL)
    return;
  if (self->elf != NULL)
    elf_end (self->elf);
  if (self->fd >= 0)
    close (self->fd);
  g_free (self->path);
  g_free (self);
}

guint
kwb_elf_get_class (KwbElf *self)
{
  return gelf_getclass (self->elf);
}

gboolean
kwb_elf_is_little_endian (KwbElf *self)
{
  const char *ident = elf_getident (self->elf, NULL);

  return ident != NULL && ident[EI_DATA] == ELFDATA2LSB;
}

guint
kwb_elf_get_machine (KwbElf *self)
{
  GElf_Ehdr ehdr;

  return gelf_getehdr (self->elf, &ehdr) != NULL ? ehdr.e_machine : EM_NONE;
}

guint
kwb_elf_get_file_type (KwbElf *self)
{
  GElf_Ehdr ehdr;

  return gelf_getehdr (self->elf, &ehdr) != NULL ? ehdr.e_type : ET_NONE;
}

GArray *
kwb_elf_dup_program_headers (KwbElf  *self,
                             GError **error)
{
  g_autoptr(GArray) headers = NULL;
  size_t n = 0;
  GElf_Ehdr ehdr;

  /* libelf clamps the count to what the file holds: more in the header
   * than that is a cut-off file. */
  if (elf_getphdrnum (self->elf, &n) != 0 || gelf_getehdr (self->elf, &ehdr) == NULL ||
      (ehdr.e_phnum != PN_XNUM && ehdr.e_phnum > n))
    {
      g_set_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_TRUNCATED,
                   _("The program headers of %s cannot be read: the file ends before them"), self->path);
      return NULL;
    }
  if (n == 0)
    {
      g_set_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NO_PROGRAM_HEADERS,
                   _("%s has no program headers"), self->path);
      return NULL;
    }
  headers = g_array_sized_new (FALSE, TRUE, sizeof (GElf_Phdr), n);
  for (size_t i = 0; i < n; i++)
    {
      GElf_Phdr phdr;

      if (gelf_getphdr (self->elf, i, &phdr) == NULL)
        {
          g_set_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_TRUNCATED,
                       _("The program headers of %s cannot be read: %s"), self->path, elf_errmsg (-1));
          return NULL;
        }
      g_array_append_val (headers, phdr);
    }
  return g_steal_pointer (&headers);
}

gboolean
kwb_elf_segment_needs_libraries (KwbElf          *self,
                                 const GElf_Phdr *dynamic)
{
  Elf_Data *data;
  size_t entry_size;

  g_return_val_if_fail (dynamic != NULL, FALSE);

  if (dynamic->p_type != PT_DYNAMIC || dynamic->p_filesz == 0 ||
      (entry_size = gelf_fsize (self->elf, ELF_T_DYN, 1, EV_CURRENT)) == 0)
    return FALSE;
  /* Read through the segment: a program may have no section headers. */
  data = elf_getdata_rawchunk (self->elf, dynamic->p_offset, dynamic->p_filesz, ELF_T_DYN);
  if (data == NULL)
    return FALSE;
  for (size_t i = 0; i < dynamic->p_filesz / entry_size; i++)
    {
      GElf_Dyn dyn;

      if (gelf_getdyn (data, i, &dyn) == NULL || dyn.d_tag == DT_NULL)
        break;
      if (dyn.d_tag == DT_NEEDED)
        return TRUE;
    }
  return FALSE;
}

gboolean
kwb_elf_has_section_addresses (KwbElf *self)
{
  Elf_Scn *scn = NULL;

  while ((scn = elf_nextscn (self->elf, scn)) != NULL)
    {
      GElf_Shdr shdr;

      if (gelf_getshdr (scn, &shdr) != NULL && shdr.sh_addr != 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
kwb_elf_has_section (KwbElf     *self,
                     const char *name)
{
  Elf_Scn *scn = NULL;
  size_t shstrndx;

  if (elf_getshdrstrndx (self->elf, &shstrndx) != 0)
    return FALSE;
  while ((scn = elf_nextscn (self->elf, scn)) != NULL)
    {
      GElf_Shdr shdr;
      const char *have;

      if (gelf_getshdr (scn, &shdr) != NULL && (have = elf_strptr (self->elf, shstrndx, shdr.sh_name)) != NULL &&
          strcmp (have, name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A failed open or write of PATH, from errno. */
static gboolean
set_write_error (GError     **error,
                 const char  *path)
{
  int errsv = errno;

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
               _("Cannot write %s: %s"), path, g_strerror (errsv));
  return FALSE;
}

static gboolean
clear_section_addresses (int      fd,
                         GError **error)
{
  Elf *elf = elf_begin (fd, ELF_C_RDWR, NULL);
  Elf_Scn *scn = NULL;
  gboolean ok;

  if (elf == NULL)
    {
      g_set_error_literal (error, KWB_ELF_ERROR, KWB_ELF_ERROR_FAILED, elf_errmsg (-1));
      return FALSE;
    }
  /* Keep every offset as it is: only the header fields change. */
  elf_flagelf (elf, ELF_C_SET, ELF_F_LAYOUT);
  while ((scn = elf_nextscn (elf, scn)) != NULL)
    {
      GElf_Shdr shdr;

      if (gelf_getshdr (scn, &shdr) == NULL || shdr.sh_addr == 0)
        continue;
      shdr.sh_addr = 0;
      gelf_update_shdr (scn, &shdr);
      elf_flagshdr (scn, ELF_C_SET, ELF_F_DIRTY);
    }
  ok = elf_update (elf, ELF_C_WRITE) >= 0;
  if (!ok)
    g_set_error_literal (error, KWB_ELF_ERROR, KWB_ELF_ERROR_FAILED, elf_errmsg (-1));
  elf_end (elf);
  return ok;
}

gboolean
kwb_elf_write_unplaced_copy (KwbElf      *self,
                             const char  *dest,
                             GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *tmp = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;
  int fd;

  g_return_val_if_fail (dest != NULL, FALSE);

  if (!g_file_get_contents (self->path, &contents, &len, error))
    return FALSE;
  /* Written beside DEST and renamed: a reader never sees half a file. */
  tmp = g_strdup_printf ("%s.XXXXXX", dest);
  if ((fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600)) < 0)
    return set_write_error (error, dest);
  for (gsize done = 0; done < len;)
    {
      gssize n = write (fd, contents + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          set_write_error (&local_error, dest);
          break;
        }
      done += n;
    }
  if (local_error == NULL && clear_section_addresses (fd, &local_error) &&
      g_rename (tmp, dest) != 0)
    set_write_error (&local_error, dest);
  close (fd);
  if (local_error != NULL)
    {
      g_unlink (tmp);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* The descriptor of the note NAME/TYPE in one note section or segment. */
static const guint8 *
find_note_in (Elf_Data   *data,
              const char *name,
              guint32     type,
              gsize      *size)
{
  GElf_Nhdr nhdr;
  size_t offset = 0, name_offset, desc_offset;
  gsize name_size = strlen (name) + 1;

  while (offset < data->d_size &&
         (offset = gelf_getnote (data, offset, &nhdr, &name_offset, &desc_offset)) > 0)
    {
      if (nhdr.n_type != type || nhdr.n_namesz != name_size ||
          memcmp ((const char *) data->d_buf + name_offset, name, name_size) != 0)
        continue;
      *size = nhdr.n_descsz;
      return (const guint8 *) data->d_buf + desc_offset;
    }
  return NULL;
}

/* Sections first (vmlinux keeps its notes in .notes), then segments for
 * files without section headers. */
static const guint8 *
find_note (KwbElf     *self,
           const char *name,
           guint32     type,
           gsize      *size)
{
  Elf_Scn *scn = NULL;
  const guint8 *desc;

  while ((scn = elf_nextscn (self->elf, scn)) != NULL)
    {
      GElf_Shdr shdr;
      Elf_Data *data;

      if (gelf_getshdr (scn, &shdr) == NULL || shdr.sh_type != SHT_NOTE ||
          (data = elf_getdata (scn, NULL)) == NULL)
        continue;
      if ((desc = find_note_in (data, name, type, size)) != NULL)
        return desc;
    }
  for (size_t i = 0, n = 0; elf_getphdrnum (self->elf, &n) == 0 && i < n; i++)
    {
      GElf_Phdr phdr;
      Elf_Data *data;

      if (gelf_getphdr (self->elf, i, &phdr) == NULL || phdr.p_type != PT_NOTE ||
          (data = elf_getdata_rawchunk (self->elf, phdr.p_offset, phdr.p_filesz, ELF_T_NHDR)) == NULL)
        continue;
      if ((desc = find_note_in (data, name, type, size)) != NULL)
        return desc;
    }
  return NULL;
}

char *
kwb_elf_dup_build_id (KwbElf *self)
{
  const guint8 *desc;
  gsize size = 0;
  GString *hex;

  g_return_val_if_fail (self != NULL, NULL);

  desc = find_note (self, ELF_NOTE_GNU, NT_GNU_BUILD_ID, &size);
  if (desc == NULL || size == 0)
    return NULL;
  hex = g_string_sized_new (size * 2);
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, "%02x", desc[i]);
  return g_string_free (hex, FALSE);
}

gboolean
kwb_elf_has_note (KwbElf     *self,
                  const char *name,
                  guint32     type)
{
  gsize size;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return find_note (self, name, type, &size) != NULL;
}

static gboolean
lookup_symbols (KwbElf             *self,
                const char * const *names,
                int                 type,
                gboolean            global_only,
                guint64            *addresses)
{
  gboolean have_symtab = FALSE;
  guint n_names;
  Elf_Scn *scn = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (names != NULL, FALSE);

  n_names = g_strv_length ((char **) names);
  for (guint i = 0; i < n_names; i++)
    addresses[i] = 0;
  while ((scn = elf_nextscn (self->elf, scn)) != NULL)
    {
      GElf_Shdr shdr;
      Elf_Data *data;
      gsize n_symbols;

      if (gelf_getshdr (scn, &shdr) == NULL || shdr.sh_type != SHT_SYMTAB || shdr.sh_entsize == 0 ||
          (data = elf_getdata (scn, NULL)) == NULL)
        continue;
      have_symtab = TRUE;
      n_symbols = shdr.sh_size / shdr.sh_entsize;
      for (gsize j = 0; j < n_symbols; j++)
        {
          GElf_Sym sym;
          const char *name;

          if (gelf_getsym (data, (int) j, &sym) == NULL || GELF_ST_TYPE (sym.st_info) != type ||
              (global_only && GELF_ST_BIND (sym.st_info) != STB_GLOBAL) ||
              sym.st_shndx == SHN_UNDEF || (name = elf_strptr (self->elf, shdr.sh_link, sym.st_name)) == NULL)
            continue;
          for (guint i = 0; i < n_names; i++)
            if (addresses[i] == 0 && strcmp (name, names[i]) == 0)
              addresses[i] = sym.st_value;
        }
    }
  return have_symtab;
}

gboolean
kwb_elf_lookup_functions (KwbElf             *self,
                          const char * const *names,
                          guint64            *addresses)
{
  return lookup_symbols (self, names, STT_FUNC, FALSE, addresses);
}

/* Only global objects: a static variable of the same name in some driver
 * is not the one wanted. */
gboolean
kwb_elf_lookup_objects (KwbElf             *self,
                        const char * const *names,
                        guint64            *addresses)
{
  return lookup_symbols (self, names, STT_OBJECT, TRUE, addresses);
}

static gboolean
pwrite_all (int           fd,
            const void   *buf,
            gsize         len,
            goffset       offset)
{
  const guint8 *p = buf;

  while (len > 0)
    {
      gssize n = pwrite (fd, p, len, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      p += n;
      len -= n;
      offset += n;
    }
  return TRUE;
}

/* Copies LEN bytes at FROM in IN to TO in OUT: in the kernel where it can
 * (blocks shared on file systems that share them), else through a buffer. */
static gboolean
copy_range (int     in,
            goffset from,
            int     out,
            goffset to,
            goffset len)
{
  g_autofree guint8 *buffer = NULL;

  while (len > 0)
    {
      loff_t in_at = from, out_at = to;
      gssize n = copy_file_range (in, &in_at, out, &out_at, MIN (len, (goffset) 1 << 30), 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == ENOSYS || errno == EXDEV || errno == EOPNOTSUPP || errno == EINVAL))
        break;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      from += n;
      to += n;
      len -= n;
    }
  if (len > 0)
    buffer = g_malloc (1 << 20);
  while (len > 0)
    {
      gssize n = pread (in, buffer, MIN (len, 1 << 20), from);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      if (!pwrite_all (out, buffer, n, to))
        return FALSE;
      from += n;
      to += n;
      len -= n;
    }
  return TRUE;
}

/* A core is its ELF header, the program headers, the notes, then the
 * memory. crash (8.0.2) reads the notes only from that header area, in
 * front of the memory, so a note cannot simply go to the end of the file:
 * the core is written anew with the note after the others and the memory
 * moved up by as much, and replaces the old file when it is complete. */
gboolean
kwb_elf_core_add_note (const char  *path,
                       const char  *name,
                       guint32      type,
                       const void  *desc,
                       gsize        desc_size,
                       GError     **error)
{
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(GByteArray) notes = NULL;
  g_autoptr(GArray) phdrs = NULL;
  g_autofree char *tmp = NULL;
  g_autofree guint8 *head = NULL;
  GElf_Ehdr ehdr;
  Elf64_Nhdr nhdr;
  size_t n = 0;
  gssize note_index = -1;
  GElf_Phdr note = { 0 };
  static const guint8 zeros[8];
  gsize name_size;
  goffset size, memory, moved_to, delta;
  struct stat st;
  int in = -1, out = -1;
  gboolean ok;

  g_return_val_if_fail (path != NULL && name != NULL, FALSE);
  g_return_val_if_fail (desc != NULL || desc_size == 0, FALSE);

  if ((elf = kwb_elf_open (path, error)) == NULL)
    return FALSE;
  if (gelf_getehdr (elf->elf, &ehdr) == NULL || ehdr.e_type != ET_CORE ||
      gelf_getclass (elf->elf) != ELFCLASS64 ||
      kwb_elf_is_little_endian (elf) != (G_BYTE_ORDER == G_LITTLE_ENDIAN) ||
      ehdr.e_phentsize != sizeof (Elf64_Phdr) || elf_getphdrnum (elf->elf, &n) != 0)
    {
      g_set_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NOT_ELF,
                   _("%s is not a 64-bit ELF core in this machine's byte order"), path);
      return FALSE;
    }
  phdrs = g_array_sized_new (FALSE, TRUE, sizeof (Elf64_Phdr), n);
  for (size_t i = 0; i < n; i++)
    {
      GElf_Phdr phdr;
      Elf64_Phdr raw;

      if (gelf_getphdr (elf->elf, i, &phdr) == NULL)
        {
          g_set_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_TRUNCATED,
                       _("The program headers of %s cannot be read: %s"), path, elf_errmsg (-1));
          return FALSE;
        }
      raw = (Elf64_Phdr) {
        .p_type = phdr.p_type, .p_flags = phdr.p_flags, .p_offset = phdr.p_offset,
        .p_vaddr = phdr.p_vaddr, .p_paddr = phdr.p_paddr, .p_filesz = phdr.p_filesz,
        .p_memsz = phdr.p_memsz, .p_align = phdr.p_align,
      };
      if (phdr.p_type == PT_NOTE && note_index < 0)
        {
          note_index = i;
          note = phdr;
        }
      g_array_append_val (phdrs, raw);
    }
  if (note_index < 0)
    {
      g_set_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NO_PROGRAM_HEADERS,
                   _("%s has no note segment"), path);
      return FALSE;
    }

  /* libelf checks the segment lies in the file before anything is sized by it. */
  notes = g_byte_array_new ();
  if (note.p_filesz > 0)
    {
      Elf_Data *data = elf_getdata_rawchunk (elf->elf, note.p_offset, note.p_filesz, ELF_T_BYTE);

      if (data == NULL)
        {
          g_set_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_TRUNCATED,
                       _("The notes of %s cannot be read: %s"), path, elf_errmsg (-1));
          return FALSE;
        }
      g_byte_array_append (notes, data->d_buf, data->d_size);
    }
  /* Notes in a core are 4-byte aligned (n_namesz and n_descsz exclude the padding). */
  name_size = strlen (name) + 1;
  nhdr.n_namesz = name_size;
  nhdr.n_descsz = desc_size;
  nhdr.n_type = type;
  g_byte_array_append (notes, (const guint8 *) &nhdr, sizeof nhdr);
  g_byte_array_append (notes, (const guint8 *) name, name_size);
  g_byte_array_append (notes, zeros, (4 - name_size % 4) % 4);
  if (desc_size > 0)
    g_byte_array_append (notes, desc, desc_size);
  g_byte_array_append (notes, zeros, (4 - desc_size % 4) % 4);

  /* The memory: whatever follows the headers and the notes, to the end. */
  if ((in = open (path, O_RDONLY | O_CLOEXEC)) < 0 || fstat (in, &st) != 0)
    {
      set_write_error (error, path);
      if (in >= 0)
        close (in);
      return FALSE;
    }
  size = st.st_size;
  memory = size;
  for (guint i = 0; i < phdrs->len; i++)
    {
      Elf64_Phdr *phdr = &g_array_index (phdrs, Elf64_Phdr, i);

      if (phdr->p_type != PT_NOTE && phdr->p_filesz > 0)
        memory = MIN (memory, (goffset) phdr->p_offset);
    }
  if ((goffset) (note.p_offset + note.p_filesz) > memory ||
      (goffset) (ehdr.e_phoff + phdrs->len * sizeof (Elf64_Phdr)) > (goffset) note.p_offset)
    {
      close (in);
      g_set_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_TRUNCATED,
                   _("%s is not laid out as a core: headers, notes, then memory"), path);
      return FALSE;
    }
  moved_to = ((goffset) note.p_offset + notes->len + 7) & ~(goffset) 7;
  delta = MAX (moved_to, memory) - memory;
  g_array_index (phdrs, Elf64_Phdr, note_index).p_filesz = notes->len;
  g_array_index (phdrs, Elf64_Phdr, note_index).p_memsz = notes->len;
  for (guint i = 0; i < phdrs->len; i++)
    {
      Elf64_Phdr *phdr = &g_array_index (phdrs, Elf64_Phdr, i);

      if ((gint) i != note_index && (goffset) phdr->p_offset >= memory)
        phdr->p_offset += delta;
    }

  /* The headers as they were up to the notes, with the program headers
   * changed; between the notes and the memory, a hole that reads as zeros. */
  head = g_malloc0 (note.p_offset);
  tmp = g_strconcat (path, ".notes", NULL);
  out = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 0777);
  ok = out >= 0 && pread (in, head, note.p_offset, 0) == (gssize) note.p_offset;
  if (ok)
    {
      memcpy (head + ehdr.e_phoff, phdrs->data, phdrs->len * sizeof (Elf64_Phdr));
      /* Section headers (a core with more segments than e_phnum counts) move
       * with the memory when they are behind it. */
      if ((goffset) ehdr.e_shoff >= memory)
        {
          Elf64_Off shoff = ehdr.e_shoff + delta;

          memcpy (head + G_STRUCT_OFFSET (Elf64_Ehdr, e_shoff), &shoff, sizeof shoff);
        }
    }
  ok = ok && pwrite_all (out, head, note.p_offset, 0) &&
       pwrite_all (out, notes->data, notes->len, note.p_offset) &&
       copy_range (in, memory, out, memory + delta, size - memory);
  if (!ok)
    set_write_error (error, out < 0 ? tmp : path);
  close (in);
  if (out >= 0 && close (out) != 0 && ok)
    ok = set_write_error (error, tmp);
  if (ok && g_rename (tmp, path) != 0)
    ok = set_write_error (error, path);
  if (!ok)
    g_unlink (tmp);
  return ok;
}

/* Where pr_pid is in a 64-bit Linux elf_prstatus: after pr_info (three
 * ints), pr_cursig (a short and padding), pr_sigpend and pr_sighold. */
#define PRSTATUS64_PID_OFFSET 32

gboolean
kwb_elf_core_set_prstatus_pids (const char     *path,
                                const guint32  *pids,
                                guint           n_pids,
                                GError        **error)
{
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (goffset));
  size_t n = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (pids != NULL || n_pids == 0, FALSE);

  if ((elf = kwb_elf_open (path, error)) == NULL)
    return FALSE;
  if (kwb_elf_get_file_type (elf) != ET_CORE || gelf_getclass (elf->elf) != ELFCLASS64 ||
      kwb_elf_is_little_endian (elf) != (G_BYTE_ORDER == G_LITTLE_ENDIAN) ||
      elf_getphdrnum (elf->elf, &n) != 0)
    {
      g_set_error (error, KWB_ELF_ERROR, KWB_ELF_ERROR_NOT_ELF,
                   _("%s is not a 64-bit ELF core in this machine's byte order"), path);
      return FALSE;
    }
  for (size_t i = 0; i < n && offsets->len < n_pids; i++)
    {
      GElf_Phdr phdr;
      GElf_Nhdr nhdr;
      Elf_Data *data;
      size_t offset = 0, name_offset, desc_offset;

      if (gelf_getphdr (elf->elf, i, &phdr) == NULL || phdr.p_type != PT_NOTE ||
          (data = elf_getdata_rawchunk (elf->elf, phdr.p_offset, phdr.p_filesz, ELF_T_NHDR)) == NULL)
        continue;
      while (offset < data->d_size && offsets->len < n_pids &&
             (offset = gelf_getnote (data, offset, &nhdr, &name_offset, &desc_offset)) > 0)
        {
          goffset at;

          if (nhdr.n_type != NT_PRSTATUS || nhdr.n_namesz != sizeof "CORE" ||
              memcmp ((const char *) data->d_buf + name_offset, "CORE", sizeof "CORE") != 0 ||
              nhdr.n_descsz < PRSTATUS64_PID_OFFSET + sizeof (guint32))
            continue;
          at = phdr.p_offset + desc_offset + PRSTATUS64_PID_OFFSET;
          g_array_append_val (offsets, at);
        }
    }
  if ((fd = open (path, O_WRONLY | O_CLOEXEC)) < 0)
    return set_write_error (error, path);
  for (guint i = 0; i < offsets->len; i++)
    if (!pwrite_all (fd, &pids[i], sizeof pids[i], g_array_index (offsets, goffset, i)))
      {
        set_write_error (error, path);
        close (fd);
        return FALSE;
      }
  close (fd);
  return TRUE;
}
