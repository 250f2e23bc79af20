/* kwb-module-files.c — where a module's .ko is on this machine, and a copy of it GDB can place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The guest only tells us a module's name; its symbols are in a .ko on this
 * machine. KwbModules asks here for the file, by name, over a search path
 * made from the project (the kernel build dir, the module projects' build
 * dir, [modules] search-path). The kernel writes `_` where a file name may
 * have `-`, so the two are alike. A kernel build dir holds tens of
 * thousands of files: it is looked up only through its modules.order.
 *
 * GDB 13 cannot place every .ko correctly (see kwb_module_files_dup_gdb_readable):
 * such a file gets a cached copy, made with libelf, and GDB reads that.
 * The user's own file is never written.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-elf.h"
#include "kwb-module-files.h"

struct _KwbModuleFiles
{
  GObject    parent_instance;

  GPtrArray *search_path; /* char *, NULL-terminated */
};

G_DEFINE_FINAL_TYPE (KwbModuleFiles, kwb_module_files, G_TYPE_OBJECT)

static void
kwb_module_files_finalize (GObject *object)
{
  KwbModuleFiles *self = (KwbModuleFiles *) object;

  g_ptr_array_unref (self->search_path);
  G_OBJECT_CLASS (kwb_module_files_parent_class)->finalize (object);
}

static void
kwb_module_files_class_init (KwbModuleFilesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_module_files_finalize;
}

static void
kwb_module_files_init (KwbModuleFiles *self)
{
  self->search_path = g_ptr_array_new_null_terminated (4, g_free, TRUE);
}

KwbModuleFiles *
kwb_module_files_new (void)
{
  return g_object_new (KWB_TYPE_MODULE_FILES, NULL);
}

void
kwb_module_files_add_dir (KwbModuleFiles *self,
                          const char     *dir)
{
  g_return_if_fail (KWB_IS_MODULE_FILES (self));

  if (dir == NULL || *dir == '\0')
    return;
  for (guint i = 0; i < self->search_path->len; i++)
    if (g_str_equal (g_ptr_array_index (self->search_path, i), dir))
      return;
  g_ptr_array_add (self->search_path, g_strdup (dir));
}

KwbModuleFiles *
kwb_module_files_new_for_project (KwbProject *project,
                                  const char *kernel_build_dir)
{
  KwbModuleFiles *self;
  g_autofree char *modules_build = NULL;
  g_auto(GStrv) extra = NULL;

  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);

  self = kwb_module_files_new ();
  modules_build = kwb_project_dup_path (project, "modules", "build-dir");
  extra = kwb_project_dup_string_list (project, "modules", "search-path");
  kwb_module_files_add_dir (self, kernel_build_dir);
  /* Module projects build in BUILD-DIR/NAME (see kwb-module-build.c). */
  kwb_module_files_add_dir (self, modules_build);
  for (guint i = 0; extra[i] != NULL; i++)
    {
      g_autofree char *dir = g_canonicalize_filename (extra[i], kwb_project_get_directory (project));

      kwb_module_files_add_dir (self, dir);
    }
  return self;
}

const char * const *
kwb_module_files_get_search_path (KwbModuleFiles *self)
{
  g_return_val_if_fail (KWB_IS_MODULE_FILES (self), NULL);
  return (const char * const *) self->search_path->pdata;
}

/* ---- the search ---- */

static char *
normalize_name (const char *name)
{
  char *copy = g_strdup (name);

  g_strdelimit (copy, "-", '_');
  return copy;
}

static gboolean
ko_name_matches (const char *file,
                 const char *wanted)
{
  g_autofree char *base = NULL;
  g_autofree char *norm = NULL;

  if (!g_str_has_suffix (file, ".ko"))
    return FALSE;
  base = g_strndup (file, strlen (file) - 3);
  norm = normalize_name (base);
  return g_str_equal (norm, wanted);
}

/* DIR and its subfolders DEPTH levels down (a module project's build dir
 * holds one folder per module project). */
static char *
search_dir (const char *dir,
            const char *wanted,
            guint       depth)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) subdirs = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  if (d == NULL)
    return NULL;
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      if (ko_name_matches (entry, wanted) && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
      if (depth > 0 && entry[0] != '.' && g_file_test (path, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (subdirs, g_steal_pointer (&path));
    }
  for (guint i = 0; i < subdirs->len; i++)
    {
      char *found = search_dir (g_ptr_array_index (subdirs, i), wanted, depth - 1);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A kernel build dir: modules.order names every in-tree module, so the
 * tree is never walked. */
static char *
search_modules_order (const char *dir,
                      const char *wanted)
{
  g_autofree char *order = g_build_filename (dir, "modules.order", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (order, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *ko = NULL;
      g_autofree char *base = NULL;
      g_autofree char *path = NULL;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      /* 6.1 lists foo.ko, 6.2+ foo.o */
      if (g_str_has_suffix (lines[i], ".o"))
        {
          lines[i][strlen (lines[i]) - 2] = '\0';
          ko = g_strconcat (lines[i], ".ko", NULL);
        }
      else
        ko = g_strdup (lines[i]);
      base = g_path_get_basename (ko);
      if (!ko_name_matches (base, wanted))
        continue;
      path = g_build_filename (dir, ko, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

char *
kwb_module_files_find_in (const char * const *dirs,
                          const char         *name)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  wanted = normalize_name (name);
  for (guint i = 0; dirs != NULL && dirs[i] != NULL; i++)
    {
      g_autofree char *vmlinux = g_build_filename (dirs[i], "vmlinux", NULL);
      /* A kernel build dir only through its modules.order; other folders
       * two levels deep. */
      guint depth = g_file_test (vmlinux, G_FILE_TEST_EXISTS) ? 0 : 2;
      char *found;

      if ((found = search_modules_order (dirs[i], wanted)) != NULL ||
          (found = search_dir (dirs[i], wanted, depth)) != NULL)
        return found;
    }
  return NULL;
}

char *
kwb_module_files_find (KwbModuleFiles *self,
                       const char     *name)
{
  g_return_val_if_fail (KWB_IS_MODULE_FILES (self), NULL);
  return kwb_module_files_find_in (kwb_module_files_get_search_path (self), name);
}

/* ---- a .ko GDB can read ---- */

/* GDB 13 lays out a relocatable file's sections at distinct addresses
 * before relocating its DWARF, but skips that when any section already has
 * an address; then every section sits at 0 and the line tables of .text,
 * .init.text and .exit.text collide (a stop in the init function has no
 * source line). 6.12's module linker script gives .data an address. GDB
 * gets a cached copy with the section addresses cleared, keyed by the
 * file's path, time and size. A file that is no ELF is handed over as it
 * is: GDB says what is wrong with it. */
char *
kwb_module_files_dup_gdb_readable (const char  *ko_path,
                                   GError     **error)
{
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *key = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *base = NULL;
  g_autofree char *copy_name = NULL;
  g_autofree char *copy = NULL;
  GStatBuf st;

  g_return_val_if_fail (ko_path != NULL, NULL);

  if ((elf = kwb_elf_open (ko_path, &local_error)) == NULL)
    {
      if (local_error->domain == G_FILE_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return g_strdup (ko_path);
    }
  if (kwb_elf_get_file_type (elf) != ET_REL || !kwb_elf_has_section_addresses (elf))
    return g_strdup (ko_path);

  if (g_stat (ko_path, &st) != 0)
    st.st_mtime = st.st_size = 0;
  key = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT,
                         ko_path, (gint64) st.st_mtime, (gint64) st.st_size);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  base = g_path_get_basename (ko_path);
  copy_name = g_strdup_printf ("%.12s-%s", digest, base);
  cache_dir = g_build_filename (g_get_user_cache_dir (), "kernel-workbench", "gdb-modules", NULL);
  copy = g_build_filename (cache_dir, copy_name, NULL);
  if (g_file_test (copy, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&copy);
  if (g_mkdir_with_parents (cache_dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   _("Cannot create %s: %s"), cache_dir, g_strerror (errsv));
      return NULL;
    }
  if (!kwb_elf_write_unplaced_copy (elf, copy, error))
    return NULL;
  return g_steal_pointer (&copy);
}
