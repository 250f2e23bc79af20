/* test-cpio-tools.c — our initramfs read back by GNU cpio and rebuilt by the kernel's gen_init_cpio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The default initramfs (host BusyBox) plus extra files is written by
 * KwbInitramfs and then:
 *  - listed by `cpio -itv` as an unprivileged user: every entry with the type,
 *    mode, owner and device numbers we asked for;
 *  - unpacked by `cpio -id` as that user: file bytes and link targets match
 *    (device nodes cannot be created without root; -itv covers them);
 *  - rebuilt by the kernel's own usr/gen_init_cpio from the equivalent list:
 *    the same set of entries with the same metadata and bytes;
 *  - rebuilt by us: the same bytes.
 */
#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>

#include "kwb-test-util.h"

typedef struct {
  guint32  mode, uid, gid, rmajor, rminor;
  GBytes  *data;
} Rec;

static void
rec_free (gpointer p)
{
  Rec *r = p;

  g_bytes_unref (r->data);
  g_free (r);
}

static guint32
hex8 (const guint8 *p)
{
  char s[9];

  memcpy (s, p, 8);
  s[8] = 0;
  return (guint32) g_ascii_strtoull (s, NULL, 16);
}

/* name → Rec, trailer excluded. */
static GHashTable *
read_newc (const char *path)
{
  g_autofree char *raw = NULL;
  gsize len, off = 0;
  GHashTable *recs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, rec_free);
  const guint8 *d;

  g_assert_true (g_file_get_contents (path, &raw, &len, NULL));
  d = (const guint8 *) raw;
  for (;;)
    {
      Rec *r;
      guint32 namesize, size;
      char *name;

      g_assert_cmpuint (off + 110, <=, len);
      g_assert_cmpmem (d + off, 6, "070701", 6);
      r = g_new0 (Rec, 1);
      r->mode = hex8 (d + off + 14);
      r->uid = hex8 (d + off + 22);
      r->gid = hex8 (d + off + 30);
      size = hex8 (d + off + 54);
      r->rmajor = hex8 (d + off + 78);
      r->rminor = hex8 (d + off + 86);
      namesize = hex8 (d + off + 94);
      off += 110;
      name = g_strndup ((const char *) d + off, namesize - 1);
      off = (off + namesize + 3) & ~(gsize) 3;
      r->data = g_bytes_new (d + off, size);
      off = (off + size + 3) & ~(gsize) 3;
      if (g_str_equal (name, "TRAILER!!!"))
        {
          g_free (name);
          rec_free (r);
          break;
        }
      g_hash_table_insert (recs, name, r);
    }
  return recs;
}

static char *
mode_string (guint32 mode)
{
  char s[11];

  switch (mode & S_IFMT)
    {
    case S_IFDIR: s[0] = 'd'; break;
    case S_IFLNK: s[0] = 'l'; break;
    case S_IFCHR: s[0] = 'c'; break;
    case S_IFBLK: s[0] = 'b'; break;
    default:      s[0] = '-'; break;
    }
  for (int i = 0; i < 9; i++)
    s[1 + i] = (mode & (0400 >> i)) ? "rwxrwxrwx"[i] : '-';
  if (mode & S_ISUID) s[3] = (mode & 0100) ? 's' : 'S';
  if (mode & S_ISGID) s[6] = (mode & 0010) ? 's' : 'S';
  if (mode & S_ISVTX) s[9] = (mode & 0001) ? 't' : 'T';
  s[10] = 0;
  return g_strdup (s);
}

typedef struct {
  char *dir;        /* project folder */
  char *extra;      /* host folder added as /opt/extra */
  char *archive;    /* uncompressed */
  KwbProject *project;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *file = NULL;
  g_autofree char *link = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *single = NULL;
  g_autofree char *single_spec = NULL;
  g_autofree char *path = NULL;
  const char *list[3];
  static const guint8 binary[] = { 0, 1, 2, 0xff, 0xfe, '\n', 0 };

  f->project = kwb_test_new_project (&f->dir);
  f->extra = g_build_filename (f->dir, "extra", NULL);
  sub = g_build_filename (f->extra, "sub", NULL);
  g_assert_cmpint (g_mkdir_with_parents (sub, 0750), ==, 0);
  file = g_build_filename (sub, "data.bin", NULL);
  g_assert_true (g_file_set_contents (file, (const char *) binary, sizeof binary, NULL));
  g_chmod (file, 0640);
  link = g_build_filename (f->extra, "link", NULL);
  g_assert_cmpint (symlink ("sub/data.bin", link), ==, 0);
  single = g_build_filename (f->dir, "hello.sh", NULL);
  g_assert_true (g_file_set_contents (single, "#!/bin/sh\necho hello\n", -1, NULL));
  g_chmod (single, 0755);

  spec = g_strdup_printf ("%s:/opt/extra", f->extra);
  single_spec = g_strdup ("hello.sh:/usr/bin/hello");   /* relative to the project */
  list[0] = spec;
  list[1] = single_spec;
  list[2] = NULL;
  kwb_project_set_string_list (f->project, "initramfs", "extra-files", list);
  g_assert_true (kwb_project_set_value (f->project, "initramfs", "compression", "none", &error));
  g_assert_true (kwb_project_save (f->project, &error));
  g_assert_no_error (error);

  path = kwb_test_build_initramfs (f->project, NULL, &error);
  g_assert_no_error (error);
  f->archive = g_steal_pointer (&path);
  g_chmod (f->archive, 0644);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *argv[] = { "rm", "-rf", f->dir, NULL };
  int status;
  g_autofree char *out = kwb_test_run (argv, NULL, NULL, FALSE, &status, NULL);

  g_clear_object (&f->project);
  g_free (f->dir);
  g_free (f->extra);
  g_free (f->archive);
}

static gboolean
have (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  if (path == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("%s is not installed (Debian package: %s)", program,
                                              g_str_equal (program, "setpriv") ? "util-linux" : program);
      g_test_skip (msg);
      return FALSE;
    }
  return TRUE;
}

static void
test_cpio_itv (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GHashTable) ours = read_newc (f->archive);
  g_autoptr(GRegex) re = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  const char *argv[] = { "cpio", "-itv", "--quiet", NULL };
  int status;

  if (!have ("cpio") || (geteuid () == 0 && !have ("setpriv")))
    return;

  out = kwb_test_run (argv, NULL, f->archive, TRUE, &status, &err);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);

  /* perms links owner group (size | maj, min) Mon DD YYYY name [-> target] */
  re = g_regex_new ("^([-dlcbps][-rwxsStT]{9})\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)\\s+"
                    "(?:(\\d+),\\s*(\\d+)|(\\d+))\\s+\\S+\\s+\\d+\\s+\\d+\\s+(.*?)(?: -> (.*))?$",
                    0, 0, NULL);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) m = NULL;
      g_autofree char *perms = NULL;
      g_autofree char *owner = NULL;
      g_autofree char *group = NULL;
      g_autofree char *name = NULL;
      g_autofree char *want = NULL;
      g_autofree char *maj = NULL;
      Rec *r;

      if (lines[i][0] == '\0')
        continue;
      if (!g_regex_match (re, lines[i], 0, &m))
        g_error ("cannot parse cpio -itv line: %s", lines[i]);
      perms = g_match_info_fetch (m, 1);
      owner = g_match_info_fetch (m, 3);
      group = g_match_info_fetch (m, 4);
      maj = g_match_info_fetch (m, 5);
      name = g_match_info_fetch (m, 8);

      r = g_hash_table_lookup (ours, name);
      if (r == NULL)
        g_error ("cpio lists %s, which we did not write", name);
      want = mode_string (r->mode);
      g_assert_cmpstr (perms, ==, want);
      g_assert_cmpstr (owner, ==, "root");
      g_assert_cmpstr (group, ==, "root");
      if (S_ISCHR (r->mode) || S_ISBLK (r->mode))
        {
          g_autofree char *min = g_match_info_fetch (m, 6);

          g_assert_cmpstr (maj, !=, "");
          g_assert_cmpuint (g_ascii_strtoull (maj, NULL, 10), ==, r->rmajor);
          g_assert_cmpuint (g_ascii_strtoull (min, NULL, 10), ==, r->rminor);
        }
      if (S_ISLNK (r->mode))
        {
          g_autofree char *target = g_match_info_fetch (m, 9);

          g_assert_cmpmem (target, strlen (target), g_bytes_get_data (r->data, NULL), g_bytes_get_size (r->data));
        }
      g_hash_table_add (seen, g_steal_pointer (&name));
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, g_hash_table_size (ours));

  /* The ones the issue names, spelled out. */
  {
    Rec *console = g_hash_table_lookup (ours, "dev/console");
    Rec *null = g_hash_table_lookup (ours, "dev/null");
    Rec *rcs = g_hash_table_lookup (ours, "etc/init.d/rcS");
    Rec *linuxrc = g_hash_table_lookup (ours, "linuxrc");

    g_assert_nonnull (console);
    g_assert_cmpuint (console->mode, ==, S_IFCHR | 0600);
    g_assert_cmpuint (console->rmajor, ==, 5);
    g_assert_cmpuint (console->rminor, ==, 1);
    g_assert_cmpuint (null->mode, ==, S_IFCHR | 0666);
    g_assert_cmpuint (null->rmajor, ==, 1);
    g_assert_cmpuint (null->rminor, ==, 3);
    g_assert_cmpuint (rcs->mode, ==, S_IFREG | 0755);
    g_assert_cmpuint (linuxrc->mode & S_IFMT, ==, S_IFLNK);
    for (const char * const *d = (const char * const[]) { "bin", "sbin", "usr/bin", "usr/sbin", "etc",
                                                          "etc/init.d", "dev", "mnt", "proc", "sys", "tmp", NULL };
         *d != NULL; d++)
      {
        Rec *dir = g_hash_table_lookup (ours, *d);

        g_assert_nonnull (dir);
        g_assert_cmpuint (dir->mode & S_IFMT, ==, S_IFDIR);
      }
    g_assert_nonnull (g_hash_table_lookup (ours, "bin/sh"));
    g_assert_nonnull (g_hash_table_lookup (ours, "sbin/mdev"));
    g_assert_cmpuint (((Rec *) g_hash_table_lookup (ours, "opt/extra/sub"))->mode, ==, S_IFDIR | 0750);
    g_assert_cmpuint (((Rec *) g_hash_table_lookup (ours, "opt/extra/sub/data.bin"))->mode, ==, S_IFREG | 0640);
  }
}

static void
test_cpio_id (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *into = g_build_filename (f->dir, "unpacked", NULL);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { "cpio", "-id", "--quiet", "--no-absolute-filenames", NULL };
  struct {
    const char *guest;
    const char *host;
  } files[] = {
    { "bin/busybox", "/bin/busybox" },
    { "opt/extra/sub/data.bin", NULL },
    { "usr/bin/hello", NULL },
  };
  int status;

  if (!have ("cpio") || (geteuid () == 0 && !have ("setpriv")))
    return;

  g_assert_cmpint (g_mkdir (into, 0755), ==, 0);
  if (geteuid () == 0)
    g_assert_cmpint (chown (into, 65534, 65534), ==, 0);
  out = kwb_test_run (argv, into, f->archive, TRUE, &status, &err);

  /* As a normal user cpio cannot mknod: exactly those two complaints. */
  if (geteuid () == 0 || getuid () != 0)
    {
      g_auto(GStrv) lines = g_strsplit (g_strstrip (err), "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_assert_true (strstr (lines[i], "dev/console") != NULL || strstr (lines[i], "dev/null") != NULL);
    }

  files[1].host = g_build_filename (f->extra, "sub", "data.bin", NULL);
  files[2].host = g_build_filename (f->dir, "hello.sh", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *got_path = g_build_filename (into, files[i].guest, NULL);
      g_autofree char *got = NULL;
      g_autofree char *want = NULL;
      gsize got_len, want_len;

      g_assert_true (g_file_get_contents (got_path, &got, &got_len, NULL));
      g_assert_true (g_file_get_contents (files[i].host, &want, &want_len, NULL));
      g_assert_cmpmem (got, got_len, want, want_len);
    }
  g_free ((char *) files[1].host);
  g_free ((char *) files[2].host);

  {
    g_autofree char *rcs_path = g_build_filename (into, "etc", "init.d", "rcS", NULL);
    g_autofree char *rcs = NULL;
    g_autofree char *sh = g_build_filename (into, "bin", "sh", NULL);
    g_autofree char *init = g_build_filename (into, "sbin", "init", NULL);
    g_autofree char *awk = g_build_filename (into, "usr", "bin", "awk", NULL);
    g_autofree char *linuxrc = g_build_filename (into, "linuxrc", NULL);
    g_autofree char *link = g_build_filename (into, "opt", "extra", "link", NULL);
    g_autofree char *t1 = g_file_read_link (sh, NULL);
    g_autofree char *t2 = g_file_read_link (init, NULL);
    g_autofree char *t3 = g_file_read_link (awk, NULL);
    g_autofree char *t4 = g_file_read_link (linuxrc, NULL);
    g_autofree char *t5 = g_file_read_link (link, NULL);
    GStatBuf st;

    g_assert_true (g_file_get_contents (rcs_path, &rcs, NULL, NULL));
    g_assert_cmpstr (rcs, ==, kwb_initramfs_get_default_file ("rcS"));
    g_assert_cmpint (g_stat (rcs_path, &st), ==, 0);
    g_assert_cmpuint (st.st_mode & 07777, ==, 0755);
    g_assert_cmpstr (t1, ==, "busybox");
    g_assert_cmpstr (t2, ==, "../bin/busybox");
    g_assert_cmpstr (t3, ==, "../../bin/busybox");
    g_assert_cmpstr (t4, ==, "bin/busybox");
    g_assert_cmpstr (t5, ==, "sub/data.bin");
    /* The relative links resolve inside the unpacked tree. */
    g_assert_true (g_file_test (awk, G_FILE_TEST_IS_EXECUTABLE));
  }
}

static void
test_deterministic (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = g_build_filename (f->dir, "a.cpio.gz", NULL);
  g_autofree char *b = g_build_filename (f->dir, "b.cpio.gz", NULL);
  g_autofree char *pa = NULL;
  g_autofree char *pb = NULL;
  g_autofree char *da = NULL;
  g_autofree char *db = NULL;
  gsize la, lb;

  g_assert_true (kwb_project_set_value (f->project, "initramfs", "compression", "gzip", &error));
  pa = kwb_test_build_initramfs (f->project, a, &error);
  g_assert_no_error (error);
  /* Touch every input in between: host mtimes must not leak in. */
  g_usleep (1100 * 1000);
  {
    g_autofree char *hello = g_build_filename (f->dir, "hello.sh", NULL);
    g_autofree char *text = NULL;

    g_file_get_contents (hello, &text, NULL, NULL);
    g_file_set_contents (hello, text, -1, NULL);
    g_chmod (hello, 0755);
  }
  pb = kwb_test_build_initramfs (f->project, b, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (a, &da, &la, NULL));
  g_assert_true (g_file_get_contents (b, &db, &lb, NULL));
  g_assert_cmpuint (la, >, 100000);
  g_assert_cmpmem (da, la, db, lb);
}

/* Compiles the kernel's usr/gen_init_cpio.c from Debian's linux-source
 * tarball into the cache once. */
static char *
gen_init_cpio (void)
{
  const char *tarball = "/usr/src/linux-source-6.1.tar.xz";
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "kernel-workbench", "tools", NULL);
  g_autofree char *exe = g_build_filename (dir, "gen_init_cpio-6.1", NULL);
  g_autofree char *src = g_build_filename (dir, "linux-source-6.1", "usr", "gen_init_cpio.c", NULL);
  int status;

  if (g_file_test (exe, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&exe);
  if (!g_file_test (tarball, G_FILE_TEST_IS_REGULAR))
    return NULL;

  g_mkdir_with_parents (dir, 0755);
  {
    const char *argv[] = { "tar", "-xf", tarball, "linux-source-6.1/usr/gen_init_cpio.c", NULL };
    g_autofree char *out = kwb_test_run (argv, dir, NULL, FALSE, &status, NULL);
    g_assert_cmpint (status, ==, 0);
  }
  {
    const char *argv[] = { "cc", "-O2", "-o", exe, src, NULL };
    g_autofree char *out = kwb_test_run (argv, dir, NULL, FALSE, &status, NULL);
    g_assert_cmpint (status, ==, 0);
  }
  return g_steal_pointer (&exe);
}

static void
test_gen_init_cpio (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbCpio) cpio = NULL;
  g_autofree char *tool = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *list_path = g_build_filename (f->dir, "gen.list", NULL);
  g_autofree char *ref_path = g_build_filename (f->dir, "ref.cpio", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GString) list = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) ours = NULL;
  g_autoptr(GHashTable) ref = NULL;
  GHashTableIter iter;
  gpointer key, value;
  int status;

  if (!have ("cc"))
    return;
  if ((tool = gen_init_cpio ()) == NULL)
    {
      g_test_skip ("/usr/src/linux-source-6.1.tar.xz is missing (Debian package: linux-source-6.1)");
      return;
    }

  cpio = kwb_test_prepare_initramfs (f->project, &error);
  g_assert_no_error (error);
  listing = kwb_cpio_dup_listing (cpio);

  /* Our list, with the built-in etc files (“-”: in memory) put on disk. */
  lines = g_strsplit (listing, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) w = g_strsplit (lines[i], " ", -1);

      if (lines[i][0] == '\0')
        continue;
      if (g_str_equal (w[0], "file") && g_str_equal (w[2], "-"))
        {
          const char *name = strrchr (w[1], '/') + 1;
          const char *text = kwb_initramfs_get_default_file (name);
          g_autofree char *on_disk = g_build_filename (f->dir, name, NULL);

          g_assert_nonnull (text);
          g_assert_true (g_file_set_contents (on_disk, text, -1, NULL));
          g_string_append_printf (list, "file %s %s %s %s %s\n", w[1], on_disk, w[3], w[4], w[5]);
        }
      else
        g_string_append_printf (list, "%s\n", lines[i]);
    }
  g_assert_true (g_file_set_contents (list_path, list->str, -1, NULL));

  {
    const char *argv[] = { "sh", "-c", "\"$0\" -t 0 \"$1\" > \"$2\"", tool, list_path, ref_path, NULL };
    g_autofree char *err = NULL;

    out = kwb_test_run (argv, f->dir, NULL, FALSE, &status, &err);
    g_assert_cmpstr (err, ==, "");
    g_assert_cmpint (status, ==, 0);
  }

  ours = read_newc (f->archive);
  ref = read_newc (ref_path);
  g_assert_cmpuint (g_hash_table_size (ours), ==, g_hash_table_size (ref));
  g_hash_table_iter_init (&iter, ref);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Rec *r = value;
      Rec *o = g_hash_table_lookup (ours, key);

      if (o == NULL)
        g_error ("gen_init_cpio wrote %s, we did not", (const char *) key);
      g_assert_cmphex (o->mode, ==, r->mode);
      g_assert_cmpuint (o->uid, ==, r->uid);
      g_assert_cmpuint (o->gid, ==, r->gid);
      g_assert_cmpuint (o->rmajor, ==, r->rmajor);
      g_assert_cmpuint (o->rminor, ==, r->rminor);
      if (S_ISLNK (r->mode))
        {
          /* gen_init_cpio stores a link target with its NUL (size
           * strlen + 1), GNU cpio without; the kernel accepts both. */
          gsize rl, ol;
          const char *rd = g_bytes_get_data (r->data, &rl);
          const char *od = g_bytes_get_data (o->data, &ol);

          if (rl > 0 && rd[rl - 1] == '\0')
            rl--;
          g_assert_cmpmem (od, ol, rd, rl);
        }
      else if (!g_bytes_equal (o->data, r->data))
        g_error ("%s: our bytes differ from gen_init_cpio's", (const char *) key);
    }
}

/* [initramfs] modules with the release read from the kernel build folder (or
 * given), rcs/fstab/inittab overrides, and an extra file replacing a default. */
static void
test_overrides_and_modules (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kbuild = g_build_filename (f->dir, "kbuild", "include", "config", NULL);
  g_autofree char *release = g_build_filename (kbuild, "kernel.release", NULL);
  g_autofree char *ko = g_build_filename (f->dir, "hello.ko", NULL);
  g_autofree char *inittab = g_build_filename (f->dir, "my-inittab", NULL);
  g_autofree char *busybox_stub = g_build_filename (f->dir, "not-busybox", NULL);
  g_autofree char *spec = NULL;
  const char *modules[] = { "hello.ko", NULL };
  const char *extras[2];
  g_autoptr(KwbCpio) cpio = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) recs = NULL;
  Rec *r;

  g_assert_cmpint (g_mkdir_with_parents (kbuild, 0755), ==, 0);
  g_assert_true (g_file_set_contents (release, "6.1.192-kwb\n", -1, NULL));
  g_assert_true (g_file_set_contents (ko, "\177ELF fake module", -1, NULL));
  g_assert_true (g_file_set_contents (inittab, "::sysinit:/etc/init.d/rcS\n::askfirst:-/bin/sh\n", -1, NULL));
  g_assert_true (g_file_set_contents (busybox_stub, "replaced", -1, NULL));
  spec = g_strdup_printf ("%s:/etc/fstab", busybox_stub);
  extras[0] = spec;
  extras[1] = NULL;

  g_assert_true (kwb_project_set_value (f->project, "kernel", "build-dir", "kbuild", &error));
  kwb_project_set_string_list (f->project, "initramfs", "modules", modules);
  kwb_project_set_string_list (f->project, "initramfs", "extra-files", extras);
  g_assert_true (kwb_project_set_value (f->project, "initramfs", "inittab", "my-inittab", &error));
  g_assert_no_error (error);

  cpio = kwb_test_prepare_initramfs (f->project, &error);
  g_assert_no_error (error);
  listing = kwb_cpio_dup_listing (cpio);
  g_assert_nonnull (strstr (listing, "dir /lib/modules/6.1.192-kwb 0755 0 0\n"));
  g_assert_nonnull (strstr (listing, "file /lib/modules/6.1.192-kwb/hello.ko "));

  path = kwb_test_build_initramfs (f->project, NULL, &error);
  g_assert_no_error (error);
  recs = read_newc (path);
  r = g_hash_table_lookup (recs, "lib/modules/6.1.192-kwb/hello.ko");
  g_assert_nonnull (r);
  g_assert_cmpuint (r->mode, ==, S_IFREG | 0644);
  g_assert_cmpmem (g_bytes_get_data (r->data, NULL), g_bytes_get_size (r->data), "\177ELF fake module", strlen ("\177ELF fake module"));
  r = g_hash_table_lookup (recs, "etc/inittab");
  g_assert_cmpuint (r->mode, ==, S_IFREG | 0644);
  g_assert_cmpmem (g_bytes_get_data (r->data, NULL), g_bytes_get_size (r->data),
                   "::sysinit:/etc/init.d/rcS\n::askfirst:-/bin/sh\n",
                   strlen ("::sysinit:/etc/init.d/rcS\n::askfirst:-/bin/sh\n"));
  /* The extra file replaced the built-in fstab; rcS stays built in. */
  r = g_hash_table_lookup (recs, "etc/fstab");
  g_assert_cmpmem (g_bytes_get_data (r->data, NULL), g_bytes_get_size (r->data), "replaced", 8);
  r = g_hash_table_lookup (recs, "etc/init.d/rcS");
  g_assert_cmpmem (g_bytes_get_data (r->data, NULL), g_bytes_get_size (r->data),
                   kwb_initramfs_get_default_file ("rcS"), strlen (kwb_initramfs_get_default_file ("rcS")));

  /* An explicit release wins over the build folder's. */
  {
    g_autoptr(KwbInitramfs) initramfs = kwb_initramfs_new (f->project);
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    KwbTestWait w = { loop, NULL };
    g_autoptr(KwbCpio) c2 = NULL;

    kwb_initramfs_set_kernel_release (initramfs, "7.0.0-given");
    kwb_initramfs_prepare_async (initramfs, NULL, kwb_test_wait_cb, &w);
    g_main_loop_run (loop);
    c2 = kwb_initramfs_prepare_finish (initramfs, w.result, &error);
    g_object_unref (w.result);
    g_assert_no_error (error);
    g_assert_true (kwb_cpio_contains (c2, "/lib/modules/7.0.0-given/hello.ko"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/initramfs/cpio-itv-as-nobody", test_cpio_itv);
  ADD ("/initramfs/cpio-id-as-nobody", test_cpio_id);
  ADD ("/initramfs/deterministic", test_deterministic);
  ADD ("/initramfs/gen-init-cpio-same-entries", test_gen_init_cpio);
  ADD ("/initramfs/overrides-and-modules", test_overrides_and_modules);
#undef ADD

  return g_test_run ();
}
