/* kwb-elf.c — the few ELF questions the core asks, answered by libelf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two callers read ELF files they did not make: the BusyBox check (is this
 * a static x86-64 program?) and module symbol loading (does this .ko carry
 * section addresses GDB 13 trips over, and if so a copy without them).
 * libelf does the parsing, the byte order and the bounds checks, so a
 * truncated or hostile file is refused by it rather than by our arithmetic.
 * Only what those callers need is wrapped; a KwbElf is a short-lived
 * read-only handle (open, ask, free).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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
    {
      int errsv = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   _("Cannot write %s: %s"), dest, g_strerror (errsv));
      return FALSE;
    }
  for (gsize done = 0; done < len;)
    {
      gssize n = write (fd, contents + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int errsv = errno;

          g_set_error (&local_error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                       _("Cannot write %s: %s"), dest, g_strerror (errsv));
          break;
        }
      done += n;
    }
  if (local_error == NULL && clear_section_addresses (fd, &local_error) &&
      g_rename (tmp, dest) != 0)
    {
      int errsv = errno;

      g_set_error (&local_error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   _("Cannot write %s: %s"), dest, g_strerror (errsv));
    }
  close (fd);
  if (local_error != NULL)
    {
      g_unlink (tmp);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
