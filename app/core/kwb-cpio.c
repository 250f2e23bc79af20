/* kwb-cpio.c — write newc (070701) cpio archives without root
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernel unpacks an initramfs from the "newc" cpio format: a 110-byte ASCII
 * header per entry (magic 070701 and 13 eight-digit hex fields), the NUL-ended
 * name, the data, each padded to 4 bytes, and a "TRAILER!!!" entry. A device
 * node is just a header with a mode and rdev numbers, so no mknod and no root
 * are needed — that is the whole point of writing the archive ourselves.
 *
 * Output is deterministic: every entry gets the same mtime (0 unless set),
 * owner 0:0, entries are sorted by path (strcmp puts a parent before its
 * children) and inode numbers follow that order. GZlibCompressor writes a gzip
 * header with mtime 0 and no name, so compressed output is stable too.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-cpio.h"

#define NEWC_HEADER_SIZE 110
#define NEWC_MAX_NAME    4096

typedef struct
{
  KwbCpioEntryType  type;
  char             *path;      /* normalized: no leading '/', no "//" */
  guint             mode;      /* permission bits only */
  char             *target;    /* symlink */
  GBytes           *contents;  /* file from memory */
  char             *host_path; /* file from the host */
  guint             major;
  guint             minor;
} Entry;

struct _KwbCpio
{
  GObject     parent_instance;
  GHashTable *entries; /* path → Entry */
  guint32     mtime;
};

G_DEFINE_FINAL_TYPE (KwbCpio, kwb_cpio, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-cpio-error-quark, kwb_cpio_error)

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_free (e->path);
  g_free (e->target);
  g_clear_pointer (&e->contents, g_bytes_unref);
  g_free (e->host_path);
  g_free (e);
}

static void
kwb_cpio_finalize (GObject *object)
{
  KwbCpio *self = (KwbCpio *) object;

  g_clear_pointer (&self->entries, g_hash_table_unref);
  G_OBJECT_CLASS (kwb_cpio_parent_class)->finalize (object);
}

static void
kwb_cpio_class_init (KwbCpioClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_cpio_finalize;
}

static void
kwb_cpio_init (KwbCpio *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
}

KwbCpio *
kwb_cpio_new (void)
{
  return g_object_new (KWB_TYPE_CPIO, NULL);
}

void
kwb_cpio_set_mtime (KwbCpio *self,
                    guint32  mtime)
{
  g_return_if_fail (KWB_IS_CPIO (self));
  self->mtime = mtime;
}

guint32
kwb_cpio_get_mtime (KwbCpio *self)
{
  g_return_val_if_fail (KWB_IS_CPIO (self), 0);
  return self->mtime;
}

/* "/a//b/" → "a/b". Refuses "", ".", ".." components: the kernel would
 * happily unpack "../x" relative to the root, and it is never meant. */
static char *
normalize_path (const char  *path,
                GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      if (g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
        {
          g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_INVALID_PATH,
                       _("“%s”: a path in the initramfs may not contain “.” or “..”"), path);
          return NULL;
        }
      if (out->len > 0)
        g_string_append_c (out, '/');
      g_string_append (out, parts[i]);
    }

  if (out->len == 0)
    {
      g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_INVALID_PATH,
                   _("“%s”: an initramfs entry needs a name below “/”"), path);
      return NULL;
    }
  if (out->len + 1 > NEWC_MAX_NAME)
    {
      g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_INVALID_PATH,
                   _("“%s”: the path is longer than %d bytes"), path, NEWC_MAX_NAME - 1);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static Entry *
add_entry (KwbCpio           *self,
           const char        *path,
           KwbCpioEntryType   type,
           guint              mode,
           GError           **error)
{
  Entry *e;
  char *normalized = normalize_path (path, error);

  if (normalized == NULL)
    return NULL;

  e = g_new0 (Entry, 1);
  e->type = type;
  e->path = normalized;
  e->mode = mode & 07777;
  g_hash_table_replace (self->entries, e->path, e);
  return e;
}

gboolean
kwb_cpio_add_directory (KwbCpio     *self,
                        const char  *path,
                        guint        mode,
                        GError     **error)
{
  g_return_val_if_fail (KWB_IS_CPIO (self), FALSE);
  return add_entry (self, path, KWB_CPIO_ENTRY_DIRECTORY, mode, error) != NULL;
}

gboolean
kwb_cpio_add_file_from_bytes (KwbCpio     *self,
                              const char  *path,
                              guint        mode,
                              GBytes      *contents,
                              GError     **error)
{
  Entry *e;

  g_return_val_if_fail (KWB_IS_CPIO (self), FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  if ((e = add_entry (self, path, KWB_CPIO_ENTRY_FILE, mode, error)) == NULL)
    return FALSE;
  e->contents = g_bytes_ref (contents);
  return TRUE;
}

gboolean
kwb_cpio_add_file_from_data (KwbCpio     *self,
                             const char  *path,
                             guint        mode,
                             const char  *text,
                             GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return kwb_cpio_add_file_from_bytes (self, path, mode, bytes, error);
}

gboolean
kwb_cpio_add_file_from_host (KwbCpio     *self,
                             const char  *path,
                             guint        mode,
                             const char  *host_path,
                             GError     **error)
{
  GStatBuf st;
  Entry *e;

  g_return_val_if_fail (KWB_IS_CPIO (self), FALSE);
  g_return_val_if_fail (host_path != NULL, FALSE);

  if (g_stat (host_path, &st) != 0)
    {
      int errsv = errno;

      g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_READ,
                   _("Cannot add %s to the initramfs: %s"), host_path, g_strerror (errsv));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_READ,
                   _("Cannot add %s to the initramfs as a file: it is not a regular file"), host_path);
      return FALSE;
    }
  if ((guint64) st.st_size > G_MAXUINT32)
    {
      g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_TOO_LARGE,
                   _("Cannot add %s to the initramfs: the cpio format holds files up to 4 GiB"),
                   host_path);
      return FALSE;
    }

  if ((e = add_entry (self, path, KWB_CPIO_ENTRY_FILE, mode, error)) == NULL)
    return FALSE;
  e->host_path = g_strdup (host_path);
  return TRUE;
}

gboolean
kwb_cpio_add_symlink (KwbCpio     *self,
                      const char  *path,
                      const char  *target,
                      GError     **error)
{
  Entry *e;

  g_return_val_if_fail (KWB_IS_CPIO (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  if (*target == '\0')
    {
      g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_INVALID_PATH,
                   _("“%s”: a symbolic link needs a target"), path);
      return FALSE;
    }
  if ((e = add_entry (self, path, KWB_CPIO_ENTRY_SYMLINK, 0777, error)) == NULL)
    return FALSE;
  e->target = g_strdup (target);
  return TRUE;
}

gboolean
kwb_cpio_add_device (KwbCpio           *self,
                     const char        *path,
                     KwbCpioEntryType   type,
                     guint              mode,
                     guint              major,
                     guint              minor,
                     GError           **error)
{
  Entry *e;

  g_return_val_if_fail (KWB_IS_CPIO (self), FALSE);
  g_return_val_if_fail (type == KWB_CPIO_ENTRY_CHAR_DEVICE || type == KWB_CPIO_ENTRY_BLOCK_DEVICE, FALSE);

  if ((e = add_entry (self, path, type, mode, error)) == NULL)
    return FALSE;
  e->major = major;
  e->minor = minor;
  return TRUE;
}

gboolean
kwb_cpio_contains (KwbCpio    *self,
                   const char *path)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (KWB_IS_CPIO (self), FALSE);

  if ((normalized = normalize_path (path, NULL)) == NULL)
    return FALSE;
  return g_hash_table_contains (self->entries, normalized);
}

guint
kwb_cpio_get_n_entries (KwbCpio *self)
{
  g_return_val_if_fail (KWB_IS_CPIO (self), 0);
  return g_hash_table_size (self->entries);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = *(const Entry * const *) a;
  const Entry *eb = *(const Entry * const *) b;

  return strcmp (ea->path, eb->path);
}

/* The entries to write, sorted, with implicit parent directories added.
 * Implicit directories are owned by the returned array's second element. */
static GPtrArray *
collect_entries (KwbCpio    *self,
                 GPtrArray **implicit_out,
                 GError    **error)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GPtrArray) implicit = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GHashTable) added = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);

  for (guint i = 0, n = sorted->len; i < n; i++)
    {
      const Entry *e = g_ptr_array_index (sorted, i);
      g_autofree char *parent = g_path_get_dirname (e->path);

      while (!g_str_equal (parent, "."))
        {
          Entry *p = g_hash_table_lookup (self->entries, parent);
          char *next;

          if (p != NULL)
            {
              if (p->type != KWB_CPIO_ENTRY_DIRECTORY)
                {
                  g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_CONFLICT,
                               _("Cannot put /%s in the initramfs: /%s is not a directory there"),
                               e->path, parent);
                  return NULL;
                }
              break;
            }
          if (g_hash_table_contains (added, parent))
            break;

          p = g_new0 (Entry, 1);
          p->type = KWB_CPIO_ENTRY_DIRECTORY;
          p->path = g_strdup (parent);
          p->mode = 0755;
          g_ptr_array_add (implicit, p);
          g_ptr_array_add (sorted, p);
          g_hash_table_add (added, p->path);

          next = g_path_get_dirname (parent);
          g_free (parent);
          parent = next;
        }
    }

  g_ptr_array_sort (sorted, compare_entries);
  *implicit_out = g_steal_pointer (&implicit);
  return g_steal_pointer (&sorted);
}

static const char *
type_word (KwbCpioEntryType type)
{
  switch (type)
    {
    case KWB_CPIO_ENTRY_DIRECTORY:    return "dir";
    case KWB_CPIO_ENTRY_FILE:         return "file";
    case KWB_CPIO_ENTRY_SYMLINK:      return "slink";
    case KWB_CPIO_ENTRY_CHAR_DEVICE:
    case KWB_CPIO_ENTRY_BLOCK_DEVICE: return "nod";
    default:                          return "?";
    }
}

char *
kwb_cpio_dup_listing (KwbCpio *self)
{
  g_autoptr(GPtrArray) implicit = NULL;
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (KWB_IS_CPIO (self), NULL);

  if ((sorted = collect_entries (self, &implicit, NULL)) == NULL)
    return g_strdup ("");

  for (guint i = 0; i < sorted->len; i++)
    {
      const Entry *e = g_ptr_array_index (sorted, i);

      g_string_append_printf (out, "%s /%s", type_word (e->type), e->path);
      switch (e->type)
        {
        case KWB_CPIO_ENTRY_FILE:
          g_string_append_printf (out, " %s %04o 0 0\n",
                                  e->host_path ? e->host_path : "-", e->mode);
          break;
        case KWB_CPIO_ENTRY_SYMLINK:
          g_string_append_printf (out, " %s %04o 0 0\n", e->target, e->mode);
          break;
        case KWB_CPIO_ENTRY_CHAR_DEVICE:
        case KWB_CPIO_ENTRY_BLOCK_DEVICE:
          g_string_append_printf (out, " %04o 0 0 %c %u %u\n", e->mode,
                                  e->type == KWB_CPIO_ENTRY_CHAR_DEVICE ? 'c' : 'b',
                                  e->major, e->minor);
          break;
        case KWB_CPIO_ENTRY_DIRECTORY:
        default:
          g_string_append_printf (out, " %04o 0 0\n", e->mode);
          break;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static guint32
type_bits (KwbCpioEntryType type)
{
  switch (type)
    {
    case KWB_CPIO_ENTRY_DIRECTORY:    return S_IFDIR;
    case KWB_CPIO_ENTRY_FILE:         return S_IFREG;
    case KWB_CPIO_ENTRY_SYMLINK:      return S_IFLNK;
    case KWB_CPIO_ENTRY_CHAR_DEVICE:  return S_IFCHR;
    case KWB_CPIO_ENTRY_BLOCK_DEVICE: return S_IFBLK;
    default:                          return 0;
    }
}

static void
append_header (GByteArray *buf,
               guint32     ino,
               guint32     mode,
               guint32     nlink,
               guint32     mtime,
               guint32     size,
               guint32     rmajor,
               guint32     rminor,
               const char *name)
{
  static const guint8 zeros[4] = { 0 };
  char header[NEWC_HEADER_SIZE + 1];
  gsize namesize = strlen (name) + 1;
  gsize pad;

  /* ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor
   * rdevminor namesize check */
  g_snprintf (header, sizeof header,
              "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
              ino, mode, 0u, 0u, nlink, mtime, size, 0u, 0u, rmajor, rminor,
              (guint32) namesize, 0u);
  g_byte_array_append (buf, (const guint8 *) header, NEWC_HEADER_SIZE);
  g_byte_array_append (buf, (const guint8 *) name, namesize);
  pad = (4 - (NEWC_HEADER_SIZE + namesize) % 4) % 4;
  g_byte_array_append (buf, zeros, pad);
}

static void
append_padding (GByteArray *buf,
                gsize       size)
{
  static const guint8 zeros[4] = { 0 };

  g_byte_array_append (buf, zeros, (4 - size % 4) % 4);
}

static gboolean
flush_buffer (GOutputStream  *stream,
              GByteArray     *buf,
              GCancellable   *cancellable,
              GError        **error)
{
  if (buf->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (stream, buf->data, buf->len, NULL, cancellable, error))
    return FALSE;
  g_byte_array_set_size (buf, 0);
  return TRUE;
}

/* Copies exactly the size announced in the header: a file that grew or shrank
 * since would otherwise corrupt every entry after it. */
static gboolean
write_host_file (GOutputStream  *stream,
                 GByteArray     *buf,
                 const Entry    *e,
                 guint32         ino,
                 guint32         mtime,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (e->host_path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  goffset size;
  goffset done = 0;
  guint8 chunk[65536];

  if ((in = g_file_read (file, cancellable, &local_error)) == NULL ||
      (info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                              cancellable, &local_error)) == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_READ,
                     _("Cannot add %s to the initramfs: %s"), e->host_path, local_error->message);
      return FALSE;
    }

  size = g_file_info_get_size (info);
  if (size > G_MAXUINT32)
    {
      g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_TOO_LARGE,
                   _("Cannot add %s to the initramfs: the cpio format holds files up to 4 GiB"),
                   e->host_path);
      return FALSE;
    }

  append_header (buf, ino, S_IFREG | e->mode, 1, mtime, (guint32) size, 0, 0, e->path);
  if (!flush_buffer (stream, buf, cancellable, error))
    return FALSE;

  while (done < size)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), chunk,
                                      MIN ((goffset) sizeof chunk, size - done),
                                      cancellable, &local_error);
      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_READ,
                         _("Cannot read %s: %s"), e->host_path, local_error->message);
          return FALSE;
        }
      if (n == 0)
        {
          g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_READ,
                       _("%s changed while it was being added to the initramfs; build again"),
                       e->host_path);
          return FALSE;
        }
      if (!g_output_stream_write_all (stream, chunk, n, NULL, cancellable, error))
        return FALSE;
      done += n;
    }

  append_padding (buf, (gsize) size);
  return TRUE;
}

gboolean
kwb_cpio_write_to_stream (KwbCpio             *self,
                          GOutputStream       *stream,
                          KwbCpioCompression   compression,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_autoptr(GPtrArray) implicit = NULL;
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GByteArray) buf = g_byte_array_sized_new (65536);
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GOutputStream) buffered = NULL;
  guint32 ino = 1;

  g_return_val_if_fail (KWB_IS_CPIO (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if ((sorted = collect_entries (self, &implicit, error)) == NULL)
    return FALSE;

  if (compression == KWB_CPIO_COMPRESSION_GZIP)
    {
      g_autoptr(GZlibCompressor) gz = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);

      out = g_converter_output_stream_new (stream, G_CONVERTER (gz));
      g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (out), FALSE);
    }
  else
    out = g_object_ref (stream);
  buffered = g_buffered_output_stream_new_sized (out, 256 * 1024);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);

  for (guint i = 0; i < sorted->len; i++, ino++)
    {
      const Entry *e = g_ptr_array_index (sorted, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      switch (e->type)
        {
        case KWB_CPIO_ENTRY_DIRECTORY:
          append_header (buf, ino, S_IFDIR | e->mode, 2, self->mtime, 0, 0, 0, e->path);
          break;

        case KWB_CPIO_ENTRY_SYMLINK:
          {
            gsize len = strlen (e->target);

            append_header (buf, ino, S_IFLNK | e->mode, 1, self->mtime, (guint32) len, 0, 0, e->path);
            g_byte_array_append (buf, (const guint8 *) e->target, len);
            append_padding (buf, len);
            break;
          }

        case KWB_CPIO_ENTRY_CHAR_DEVICE:
        case KWB_CPIO_ENTRY_BLOCK_DEVICE:
          append_header (buf, ino, type_bits (e->type) | e->mode, 1, self->mtime, 0,
                         e->major, e->minor, e->path);
          break;

        case KWB_CPIO_ENTRY_FILE:
          if (e->contents != NULL)
            {
              gsize len;
              const guint8 *data = g_bytes_get_data (e->contents, &len);

              append_header (buf, ino, S_IFREG | e->mode, 1, self->mtime, (guint32) len, 0, 0, e->path);
              if (len > 65536)
                {
                  if (!flush_buffer (buffered, buf, cancellable, error) ||
                      !g_output_stream_write_all (buffered, data, len, NULL, cancellable, error))
                    return FALSE;
                }
              else
                g_byte_array_append (buf, data, len);
              append_padding (buf, len);
            }
          else if (!write_host_file (buffered, buf, e, ino, self->mtime, cancellable, error))
            return FALSE;
          break;

        default:
          g_assert_not_reached ();
        }

      if (buf->len >= 65536 && !flush_buffer (buffered, buf, cancellable, error))
        return FALSE;
    }

  append_header (buf, 0, 0, 1, 0, 0, 0, 0, "TRAILER!!!");
  if (!flush_buffer (buffered, buf, cancellable, error))
    return FALSE;

  /* Closing the filters flushes the buffer and writes the gzip trailer; the
   * base stream stays open for the caller. */
  if (!g_output_stream_close (buffered, cancellable, error))
    return FALSE;
  if (out != stream && !g_output_stream_close (out, cancellable, error))
    return FALSE;
  if (out == stream && !g_output_stream_flush (out, cancellable, error))
    return FALSE;
  return TRUE;
}

gboolean
kwb_cpio_write_file (KwbCpio             *self,
                     const char          *output,
                     KwbCpioCompression   compression,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_path = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  int fd;

  g_return_val_if_fail (KWB_IS_CPIO (self), FALSE);
  g_return_val_if_fail (output != NULL, FALSE);

  dir = g_path_get_dirname (output);
  base = g_path_get_basename (output);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int errsv = errno;

      g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_WRITE,
                   _("Cannot write the initramfs %s: cannot create the folder %s: %s. "
                     "Choose another output path."), output, dir, g_strerror (errsv));
      return FALSE;
    }

  /* Same folder as the output, so that the final rename is atomic. */
  tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  if ((fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0644)) < 0)
    {
      int errsv = errno;

      g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_WRITE,
                   _("Cannot write the initramfs %s: %s. Choose another output path."),
                   output, g_strerror (errsv));
      return FALSE;
    }
  fchmod (fd, 0644);

  stream = g_unix_output_stream_new (fd, TRUE);
  if (!kwb_cpio_write_to_stream (self, stream, compression, cancellable, &local_error) ||
      !g_output_stream_close (stream, cancellable, &local_error))
    {
      g_unlink (tmp_path);
      if (local_error->domain == KWB_CPIO_ERROR ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_WRITE,
                     _("Cannot write the initramfs %s: %s"), output, local_error->message);
      return FALSE;
    }

  if (g_rename (tmp_path, output) != 0)
    {
      int errsv = errno;

      g_unlink (tmp_path);
      g_set_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_WRITE,
                   _("Cannot write the initramfs %s: %s"), output, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}
