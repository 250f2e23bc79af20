/* kwb-kernel-build-counts.c — how many objects a kernel build compiles, remembered per config
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The compile stage's progress needs a total before make has said anything.
 * KwbKernelBuild asks here at the start of make and records the real count
 * after a full build, in ~/.cache/kernel-workbench/kernel-build-counts.ini,
 * shared by every project on the machine. Apart from the kernel build's
 * steps because it is a small store with its own file format.
 */
#include "config.h"

#include <glib.h>

#include "kwb-kernel-build-private.h"

/* Progress lines (CC, AS, AR, LD, HOSTCC, HOSTLD, with [M] for modules) of
 * a full build, used only the first time a profile is built on a machine
 * (after that the count recorded for the config, or the profile, is used).
 * fast: 1147, measured on linux-source-6.1 (6.1.192) with the debug layer;
 * the same tree and requests give the same count, so it is exact for the
 * default project. standard and existing: guesses (x86_64_defconfig has
 * about three times the objects of tinyconfig), not measured. */
#define FIRST_ESTIMATE_FAST      1150
#define FIRST_ESTIMATE_STANDARD  3500
#define FIRST_ESTIMATE_EXISTING  9000


static char *
counts_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "kernel-workbench", "kernel-build-counts.ini", NULL);
}

/* Expected objects: the last full build of this very config anywhere, else
 * the last of this profile, else our measured first estimate. */
guint
kwb_kernel_build_expected_objects (const char *profile,
                                   const char *config_hash)
{
  g_autoptr(GKeyFile) counts = g_key_file_new ();
  g_autofree char *path = counts_path ();
  g_autofree char *profile_group = g_strconcat ("profile-", profile, NULL);
  g_autofree char *config_group = g_strconcat ("config-", config_hash, NULL);
  gint64 n;

  if (g_key_file_load_from_file (counts, path, G_KEY_FILE_NONE, NULL))
    {
      if ((n = g_key_file_get_int64 (counts, config_group, "objects", NULL)) > 0)
        return (guint) n;
      if ((n = g_key_file_get_int64 (counts, profile_group, "objects", NULL)) > 0)
        return (guint) n;
    }
  if (g_str_equal (profile, "fast"))
    return FIRST_ESTIMATE_FAST;
  if (g_str_equal (profile, "standard"))
    return FIRST_ESTIMATE_STANDARD;
  return FIRST_ESTIMATE_EXISTING;
}

/* Called after a build that compiled from scratch: its count is exact for
 * CONFIG_HASH and the best guess for the next first build of PROFILE. */
void
kwb_kernel_build_record_objects (const char *profile,
                                 const char *config_hash,
                                 guint       objects)
{
  g_autoptr(GKeyFile) counts = g_key_file_new ();
  g_autofree char *path = counts_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *profile_group = g_strconcat ("profile-", profile, NULL);
  g_autofree char *config_group = g_strconcat ("config-", config_hash, NULL);

  g_key_file_load_from_file (counts, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_int64 (counts, config_group, "objects", objects);
  g_key_file_set_int64 (counts, profile_group, "objects", objects);
  g_mkdir_with_parents (dir, 0755);
  g_key_file_save_to_file (counts, path, NULL);
}
