/* test-cpio.c — the newc writer, checked against the format byte by byte
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The archive is parsed back here with a small reader written from the format
 * description (not from our writer), so a mistake in one is not mirrored in
 * the other. GNU cpio and the kernel's gen_init_cpio check it again in
 * tests/integration/test-cpio-tools.
 */
#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

typedef struct {
  char    *name;
  guint32  ino, mode, uid, gid, nlink, mtime, size, rmajor, rminor;
  GBytes  *data;
} Rec;

static void
rec_free (gpointer p)
{
  Rec *r = p;

  g_free (r->name);
  g_bytes_unref (r->data);
  g_free (r);
}

static guint32
hex8 (const guint8 *p)
{
  char s[9];

  memcpy (s, p, 8);
  s[8] = 0;
  for (guint i = 0; i < 8; i++)
    g_assert_true (g_ascii_isxdigit (s[i]));
  return (guint32) g_ascii_strtoull (s, NULL, 16);
}

/* Returns every record including the trailer. */
static GPtrArray *
parse_newc (const guint8 *data,
            gsize         len)
{
  GPtrArray *recs = g_ptr_array_new_with_free_func (rec_free);
  gsize off = 0;

  for (;;)
    {
      Rec *r = g_new0 (Rec, 1);
      guint32 namesize;

      g_assert_cmpuint (off % 4, ==, 0);
      g_assert_cmpuint (off + 110, <=, len);
      g_assert_cmpmem (data + off, 6, "070701", 6);
      r->ino = hex8 (data + off + 6);
      r->mode = hex8 (data + off + 14);
      r->uid = hex8 (data + off + 22);
      r->gid = hex8 (data + off + 30);
      r->nlink = hex8 (data + off + 38);
      r->mtime = hex8 (data + off + 46);
      r->size = hex8 (data + off + 54);
      g_assert_cmpuint (hex8 (data + off + 62), ==, 0);
      g_assert_cmpuint (hex8 (data + off + 70), ==, 0);
      r->rmajor = hex8 (data + off + 78);
      r->rminor = hex8 (data + off + 86);
      namesize = hex8 (data + off + 94);
      g_assert_cmpuint (hex8 (data + off + 102), ==, 0);
      off += 110;
      g_assert_cmpuint (off + namesize, <=, len);
      g_assert_cmpuint (data[off + namesize - 1], ==, 0);
      r->name = g_strndup ((const char *) data + off, namesize - 1);
      g_assert_cmpuint (strlen (r->name), ==, namesize - 1);
      off += namesize;
      while (off % 4)
        g_assert_cmpuint (data[off++], ==, 0);
      g_assert_cmpuint (off + r->size, <=, len);
      r->data = g_bytes_new (data + off, r->size);
      off += r->size;
      while (off % 4)
        g_assert_cmpuint (data[off++], ==, 0);
      g_ptr_array_add (recs, r);
      if (g_str_equal (r->name, "TRAILER!!!"))
        break;
    }
  g_assert_cmpuint (off, ==, len);
  return recs;
}

static GBytes *
write_to_bytes (KwbCpio            *cpio,
                KwbCpioCompression  compression)
{
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (kwb_cpio_write_to_stream (cpio, mem, compression, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (mem, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

static GBytes *
gunzip (GBytes *bytes)
{
  g_autoptr(GZlibDecompressor) gz = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) mem = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (mem, G_CONVERTER (gz));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static Rec *
find (GPtrArray  *recs,
      const char *name)
{
  for (guint i = 0; i < recs->len; i++)
    {
      Rec *r = g_ptr_array_index (recs, i);
      if (g_str_equal (r->name, name))
        return r;
    }
  return NULL;
}

static char *
make_host_file (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("kwb-cpio-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static KwbCpio *
sample_archive (const char *host_file)
{
  KwbCpio *cpio = kwb_cpio_new ();
  g_autoptr(GError) error = NULL;

  /* Added out of order on purpose: the writer sorts. */
  g_assert_true (kwb_cpio_add_file_from_data (cpio, "/etc/fstab", 0644, "proc /proc proc defaults 0 0\n", &error));
  g_assert_true (kwb_cpio_add_device (cpio, "/dev/console", KWB_CPIO_ENTRY_CHAR_DEVICE, 0600, 5, 1, &error));
  g_assert_true (kwb_cpio_add_device (cpio, "dev/null", KWB_CPIO_ENTRY_CHAR_DEVICE, 0666, 1, 3, &error));
  g_assert_true (kwb_cpio_add_device (cpio, "/dev/sda", KWB_CPIO_ENTRY_BLOCK_DEVICE, 0660, 8, 0, &error));
  g_assert_true (kwb_cpio_add_symlink (cpio, "/linuxrc", "bin/busybox", &error));
  g_assert_true (kwb_cpio_add_directory (cpio, "/bin", 0755, &error));
  g_assert_true (kwb_cpio_add_directory (cpio, "/tmp", 01777, &error));
  g_assert_true (kwb_cpio_add_file_from_host (cpio, "/bin/busybox", 0755, host_file, &error));
  g_assert_no_error (error);
  return cpio;
}

static void
test_format (void)
{
  g_autofree char *host = make_host_file ("#!/bin/sh\necho hello\n");
  g_autoptr(KwbCpio) cpio = sample_archive (host);
  g_autoptr(GBytes) bytes = write_to_bytes (cpio, KWB_CPIO_COMPRESSION_NONE);
  g_autoptr(GPtrArray) recs = parse_newc (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  static const char * const order[] = {
    "bin", "bin/busybox", "dev", "dev/console", "dev/null", "dev/sda",
    "etc", "etc/fstab", "linuxrc", "tmp", "TRAILER!!!",
  };
  Rec *r;

  g_assert_cmpuint (recs->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < recs->len; i++)
    {
      r = g_ptr_array_index (recs, i);
      g_assert_cmpstr (r->name, ==, order[i]);
      g_assert_cmpuint (r->uid, ==, 0);
      g_assert_cmpuint (r->gid, ==, 0);
      g_assert_cmpuint (r->mtime, ==, 0);
      if (i + 1 < recs->len)
        g_assert_cmpuint (r->ino, ==, i + 1);
    }

  r = find (recs, "dev/console");
  g_assert_cmpuint (r->mode, ==, S_IFCHR | 0600);
  g_assert_cmpuint (r->rmajor, ==, 5);
  g_assert_cmpuint (r->rminor, ==, 1);
  g_assert_cmpuint (r->size, ==, 0);
  r = find (recs, "dev/null");
  g_assert_cmpuint (r->mode, ==, S_IFCHR | 0666);
  g_assert_cmpuint (r->rmajor, ==, 1);
  g_assert_cmpuint (r->rminor, ==, 3);
  r = find (recs, "dev/sda");
  g_assert_cmpuint (r->mode, ==, S_IFBLK | 0660);
  g_assert_cmpuint (r->rmajor, ==, 8);
  /* Implicit parent directory. */
  r = find (recs, "dev");
  g_assert_cmpuint (r->mode, ==, S_IFDIR | 0755);
  g_assert_cmpuint (r->nlink, ==, 2);
  r = find (recs, "tmp");
  g_assert_cmpuint (r->mode, ==, S_IFDIR | 01777);
  r = find (recs, "linuxrc");
  g_assert_cmpuint (r->mode, ==, S_IFLNK | 0777);
  g_assert_cmpmem (g_bytes_get_data (r->data, NULL), r->size, "bin/busybox", 11);
  r = find (recs, "bin/busybox");
  g_assert_cmpuint (r->mode, ==, S_IFREG | 0755);
  g_assert_cmpmem (g_bytes_get_data (r->data, NULL), r->size, "#!/bin/sh\necho hello\n", 21);
  r = find (recs, "etc/fstab");
  g_assert_cmpuint (r->mode, ==, S_IFREG | 0644);
  r = find (recs, "TRAILER!!!");
  g_assert_cmpuint (r->ino, ==, 0);
  g_assert_cmpuint (r->mode, ==, 0);

  g_unlink (host);
}

static void
test_gzip_and_determinism (void)
{
  g_autofree char *host = make_host_file ("payload");
  g_autoptr(KwbCpio) a = sample_archive (host);
  g_autoptr(KwbCpio) b = sample_archive (host);
  g_autoptr(GBytes) raw = write_to_bytes (a, KWB_CPIO_COMPRESSION_NONE);
  g_autoptr(GBytes) gz1 = write_to_bytes (a, KWB_CPIO_COMPRESSION_GZIP);
  g_autoptr(GBytes) gz2 = write_to_bytes (b, KWB_CPIO_COMPRESSION_GZIP);
  g_autoptr(GBytes) unpacked = gunzip (gz1);
  const guint8 *gzd = g_bytes_get_data (gz1, NULL);

  g_assert_cmpuint (gzd[0], ==, 0x1f);
  g_assert_cmpuint (gzd[1], ==, 0x8b);
  /* gzip MTIME field: zero, or two builds a second apart would differ. */
  g_assert_cmpuint (gzd[4] | gzd[5] | gzd[6] | gzd[7], ==, 0);
  g_assert_true (g_bytes_equal (gz1, gz2));
  g_assert_true (g_bytes_equal (raw, unpacked));

  /* Same again after the host file is rewritten with the same bytes (new
   * host mtime, inode): the archive must not change. */
  g_file_set_contents (host, "payload", -1, NULL);
  {
    g_autoptr(GBytes) gz3 = write_to_bytes (b, KWB_CPIO_COMPRESSION_GZIP);
    g_assert_true (g_bytes_equal (gz1, gz3));
  }
  g_unlink (host);
}

static void
test_mtime_and_replace (void)
{
  g_autoptr(KwbCpio) cpio = kwb_cpio_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) recs = NULL;
  g_autofree char *listing = NULL;
  Rec *r;

  kwb_cpio_set_mtime (cpio, 1700000000);
  g_assert_true (kwb_cpio_add_file_from_data (cpio, "etc/rcS", 0644, "old", NULL));
  g_assert_true (kwb_cpio_add_file_from_data (cpio, "/etc//rcS", 0755, "new", NULL));
  g_assert_cmpuint (kwb_cpio_get_n_entries (cpio), ==, 1);
  g_assert_true (kwb_cpio_contains (cpio, "/etc/rcS"));
  bytes = write_to_bytes (cpio, KWB_CPIO_COMPRESSION_NONE);
  recs = parse_newc (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  r = find (recs, "etc/rcS");
  g_assert_cmpuint (r->mtime, ==, 1700000000);
  g_assert_cmpuint (r->mode, ==, S_IFREG | 0755);
  g_assert_cmpmem (g_bytes_get_data (r->data, NULL), r->size, "new", 3);

  listing = kwb_cpio_dup_listing (cpio);
  g_assert_cmpstr (listing, ==, "dir /etc 0755 0 0\nfile /etc/rcS - 0755 0 0\n");
}

static void
test_bad_paths (void)
{
  g_autoptr(KwbCpio) cpio = kwb_cpio_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (kwb_cpio_add_directory (cpio, "/", 0755, &error));
  g_assert_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_INVALID_PATH);
  g_clear_error (&error);
  g_assert_false (kwb_cpio_add_directory (cpio, "/a/../../etc", 0755, &error));
  g_assert_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_INVALID_PATH);
  g_clear_error (&error);
  g_assert_false (kwb_cpio_add_file_from_host (cpio, "x", 0644, "/nonexistent/kwb-file", &error));
  g_assert_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "/nonexistent/kwb-file"));
  g_clear_error (&error);
  g_assert_cmpuint (kwb_cpio_get_n_entries (cpio), ==, 0);
}

static void
test_conflict (void)
{
  g_autoptr(KwbCpio) cpio = kwb_cpio_new ();
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (kwb_cpio_add_file_from_data (cpio, "/etc", 0644, "x", NULL));
  g_assert_true (kwb_cpio_add_file_from_data (cpio, "/etc/fstab", 0644, "x", NULL));
  g_assert_false (kwb_cpio_write_to_stream (cpio, mem, KWB_CPIO_COMPRESSION_NONE, NULL, &error));
  g_assert_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_CONFLICT);
}

static guint
count_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

static void
test_write_file_atomic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kwb-cpio-out-XXXXXX", &error);
  g_autofree char *out = g_build_filename (dir, "initramfs.cpio.gz", NULL);
  g_autofree char *blocker = g_build_filename (dir, "not-a-dir", NULL);
  g_autofree char *bad_out = g_build_filename (blocker, "initramfs.cpio", NULL);
  g_autofree char *host = make_host_file ("vanishing");
  g_autoptr(KwbCpio) cpio = sample_archive (host);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_no_error (error);

  /* Success: exactly one file, no temporary left. */
  g_assert_true (kwb_cpio_write_file (cpio, out, KWB_CPIO_COMPRESSION_GZIP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_dir (dir), ==, 1);
  g_assert_true (g_file_get_contents (out, &contents, &len, NULL));

  /* A host file that vanished: error naming it, old output untouched, no
   * temporary left. */
  g_unlink (host);
  g_assert_false (kwb_cpio_write_file (cpio, out, KWB_CPIO_COMPRESSION_GZIP, NULL, &error));
  g_assert_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_READ);
  g_assert_nonnull (strstr (error->message, host));
  g_clear_error (&error);
  g_assert_cmpuint (count_dir (dir), ==, 1);
  {
    g_autofree char *again = NULL;
    gsize len2;
    g_assert_true (g_file_get_contents (out, &again, &len2, NULL));
    g_assert_cmpmem (again, len2, contents, len);
  }

  /* An output folder that cannot exist (a file is in the way; works as root
   * too, unlike a chmod'ed folder). */
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  g_assert_true (kwb_cpio_add_file_from_data (cpio, "/bin/busybox", 0755, "ok", NULL));
  g_assert_false (kwb_cpio_write_file (cpio, bad_out, KWB_CPIO_COMPRESSION_NONE, NULL, &error));
  g_assert_error (error, KWB_CPIO_ERROR, KWB_CPIO_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, bad_out));
  g_clear_error (&error);
  g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));

  /* Cancelled before the start: nothing written. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autofree char *out2 = g_build_filename (dir, "cancelled.cpio", NULL);

    g_cancellable_cancel (cancellable);
    g_assert_false (kwb_cpio_write_file (cpio, out2, KWB_CPIO_COMPRESSION_NONE, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_assert_false (g_file_test (out2, G_FILE_TEST_EXISTS));
  }

  g_unlink (blocker);
  g_unlink (out);
  g_assert_cmpuint (count_dir (dir), ==, 0);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cpio/format", test_format);
  g_test_add_func ("/cpio/gzip-and-determinism", test_gzip_and_determinism);
  g_test_add_func ("/cpio/mtime-and-replace", test_mtime_and_replace);
  g_test_add_func ("/cpio/bad-paths", test_bad_paths);
  g_test_add_func ("/cpio/conflict", test_conflict);
  g_test_add_func ("/cpio/write-file-atomic", test_write_file_atomic);

  return g_test_run ();
}
