/* kwb-initramfs.c — the project's initramfs: BusyBox, a classic root tree, the user's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The manual way builds the root file system by hand: BusyBox's _install, a
 * few folders, rcS/fstab/inittab, and `sudo mknod` for /dev/console and
 * /dev/null. Here the same tree is described to KwbCpio and written as one newc archive,
 * so no root, no staging folder, and nothing to clean up.
 *
 * Assembling the entries (prepare) spawns `busybox --list-full` and so runs
 * on the main thread; only the archive writing, which forks nothing, runs in
 * a worker thread.
 */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-busybox.h"
#include "kwb-initramfs.h"
#include "kwb-module-build.h"
#include "kwb-path-checks.h"

struct _KwbInitramfs
{
  GObject     parent_instance;
  KwbProject *project;
  char       *kernel_release;
  char       *busybox;
  char       *output;
};

G_DEFINE_FINAL_TYPE (KwbInitramfs, kwb_initramfs, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-initramfs-error-quark, kwb_initramfs_error)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The classic hand-written rcS with two changes, both so that it works on any
 * kernel:
 *
 * /dev. The classic fstab mounts an empty tmpfs over /dev, which hides the
 * archive's console and null until `mdev -s` recreates them from sysfs — and
 * the shell started by inittab opens /dev/console by name. We mount devtmpfs
 * instead when the kernel has it (CONFIG_DEVTMPFS): the kernel fills it with
 * every device it knows, console and null included, before any process
 * looks. A kernel without devtmpfs keeps the archive's /dev (console, null),
 * and `mdev -s` adds the rest there. Either way /dev/console and /dev/null
 * exist; the boot test checks `ls /dev` on the fixture kernel.
 *
 * hotplug. /proc/sys/kernel/hotplug exists only with CONFIG_UEVENT_HELPER;
 * writing it unconditionally prints "cannot create /proc/sys/kernel/hotplug"
 * on kernels without it, an error the user did nothing to cause. */
static const char default_rcs[] =
  "#!/bin/sh\n"
  "# etc/init.d/rcS — from Kernel Workbench; edit it in the project ([initramfs] rcs)\n"
  "export PATH=/sbin:/usr/sbin:/bin:/usr/bin\n"
  "\n"
  "mkdir -p /proc\n"
  "mkdir -p /tmp\n"
  "mkdir -p /sys\n"
  "mkdir -p /mnt\n"
  "\n"
  "/bin/mount -a\n"
  "\n"
  "# /dev: devtmpfs when the kernel has it (the kernel creates console, null and\n"
  "# every other node); otherwise keep the archive's /dev, which holds console\n"
  "# and null, rather than hide it under an empty tmpfs.\n"
  "if grep -qw devtmpfs /proc/filesystems 2>/dev/null; then\n"
  "  mount -t devtmpfs devtmpfs /dev\n"
  "fi\n"
  "mkdir -p /dev/pts\n"
  "mount -t devpts devpts /dev/pts\n"
  "\n"
  "# Only kernels with CONFIG_UEVENT_HELPER have this file.\n"
  "if [ -e /proc/sys/kernel/hotplug ]; then\n"
  "  echo /sbin/mdev > /proc/sys/kernel/hotplug\n"
  "fi\n"
  "mdev -s\n";

static const char default_fstab[] =
  "# etc/fstab — from Kernel Workbench; edit it in the project ([initramfs] fstab)\n"
  "# /dev is mounted by /etc/init.d/rcS (devtmpfs when the kernel has it).\n"
  "proc /proc proc defaults 0 0\n"
  "tmpfs /tmp tmpfs defaults 0 0\n"
  "sysfs /sys sysfs defaults 0 0\n"
  "debugfs /sys/kernel/debug debugfs defaults 0 0\n";

static const char default_inittab[] =
  "# etc/inittab — from Kernel Workbench; edit it in the project ([initramfs] inittab)\n"
  "::sysinit:/etc/init.d/rcS\n"
  "::respawn:-/bin/sh\n"
  "::askfirst:-/bin/sh\n"
  "::ctrlaltdel:/bin/umount -a -r\n";

/* The folders of a hand-made root: BusyBox's _install plus the usual mkdirs. */
static const char * const default_dirs[] = {
  "bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "etc/init.d",
  "dev", "mnt", "proc", "sys", "tmp",
};

const char *
kwb_initramfs_get_default_file (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "rcS"))
    return default_rcs;
  if (g_str_equal (name, "fstab"))
    return default_fstab;
  if (g_str_equal (name, "inittab"))
    return default_inittab;
  return NULL;
}

static void
kwb_initramfs_finalize (GObject *object)
{
  KwbInitramfs *self = (KwbInitramfs *) object;

  g_clear_object (&self->project);
  g_clear_pointer (&self->kernel_release, g_free);
  g_clear_pointer (&self->busybox, g_free);
  g_clear_pointer (&self->output, g_free);
  G_OBJECT_CLASS (kwb_initramfs_parent_class)->finalize (object);
}

static void
kwb_initramfs_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KwbInitramfs *self = KWB_INITRAMFS (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_initramfs_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KwbInitramfs *self = KWB_INITRAMFS (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      self->project = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_initramfs_class_init (KwbInitramfsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_initramfs_finalize;
  object_class->get_property = kwb_initramfs_get_property;
  object_class->set_property = kwb_initramfs_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, KWB_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_initramfs_init (KwbInitramfs *self)
{
}

KwbInitramfs *
kwb_initramfs_new (KwbProject *project)
{
  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);
  return g_object_new (KWB_TYPE_INITRAMFS, "project", project, NULL);
}

KwbProject *
kwb_initramfs_get_project (KwbInitramfs *self)
{
  g_return_val_if_fail (KWB_IS_INITRAMFS (self), NULL);
  return self->project;
}

void
kwb_initramfs_set_kernel_release (KwbInitramfs *self,
                                  const char   *release)
{
  g_return_if_fail (KWB_IS_INITRAMFS (self));
  g_free (self->kernel_release);
  self->kernel_release = g_strdup (release);
}

void
kwb_initramfs_set_busybox (KwbInitramfs *self,
                           const char   *binary)
{
  g_return_if_fail (KWB_IS_INITRAMFS (self));
  g_free (self->busybox);
  self->busybox = g_strdup (binary);
}

void
kwb_initramfs_set_output (KwbInitramfs *self,
                          const char   *output)
{
  g_return_if_fail (KWB_IS_INITRAMFS (self));
  g_free (self->output);
  self->output = g_strdup (output);
}

char *
kwb_initramfs_dup_output (KwbInitramfs *self)
{
  char *output;

  g_return_val_if_fail (KWB_IS_INITRAMFS (self), NULL);

  if (self->output != NULL)
    return g_canonicalize_filename (self->output, NULL);
  output = kwb_project_dup_path (self->project, "initramfs", "output");
  return output ? output : g_build_filename (kwb_project_get_directory (self->project),
                                             "build", "initramfs.cpio.gz", NULL);
}

/* ------------------------------------------------------------------ assembly */

static char *
dup_kernel_release (KwbInitramfs  *self,
                    GError       **error)
{
  g_autofree char *build_dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (self->kernel_release != NULL)
    return g_strdup (self->kernel_release);

  build_dir = kwb_project_dup_path (self->project, "kernel", "build-dir");
  if (build_dir != NULL)
    {
      path = g_build_filename (build_dir, "include", "config", "kernel.release", NULL);
      if (g_file_get_contents (path, &text, NULL, NULL) && *g_strstrip (text) != '\0')
        return g_steal_pointer (&text);
    }

  g_set_error (error, KWB_INITRAMFS_ERROR, KWB_INITRAMFS_ERROR_NO_RELEASE,
               _("Kernel modules go to /lib/modules/RELEASE/, but the kernel release is unknown "
                 "(%s does not exist). Build the kernel first (kwb kernel build) or remove "
                 "[initramfs] modules."),
               path ? path : "include/config/kernel.release");
  return NULL;
}

/* Host mode bits, or an error that names the [initramfs] key. */
static gboolean
add_host_tree (KwbCpio     *cpio,
               const char  *host,
               const char  *guest,
               const char  *spec,
               GError     **error)
{
  GStatBuf st;

  if (g_lstat (host, &st) != 0)
    {
      int errsv = errno;

      g_set_error (error, KWB_INITRAMFS_ERROR, KWB_INITRAMFS_ERROR_FILE_MISSING,
                   _("[initramfs] extra-files “%s”: %s: %s. Fix the path or remove the entry."),
                   spec, host, g_strerror (errsv));
      return FALSE;
    }

  if (S_ISLNK (st.st_mode))
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *target = g_file_read_link (host, &local_error);

      if (target == NULL)
        {
          g_set_error (error, KWB_INITRAMFS_ERROR, KWB_INITRAMFS_ERROR_FILE_MISSING,
                       _("[initramfs] extra-files “%s”: cannot read the link %s: %s"),
                       spec, host, local_error->message);
          return FALSE;
        }
      return kwb_cpio_add_symlink (cpio, guest, target, error);
    }
  if (S_ISREG (st.st_mode))
    return kwb_cpio_add_file_from_host (cpio, guest, st.st_mode & 07777, host, error);
  if (S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode))
    return kwb_cpio_add_device (cpio, guest,
                                S_ISCHR (st.st_mode) ? KWB_CPIO_ENTRY_CHAR_DEVICE : KWB_CPIO_ENTRY_BLOCK_DEVICE,
                                st.st_mode & 07777, major (st.st_rdev), minor (st.st_rdev), error);
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (!kwb_cpio_add_directory (cpio, guest, st.st_mode & 07777, error))
        return FALSE;
      if ((dir = g_dir_open (host, 0, &local_error)) == NULL)
        {
          g_set_error (error, KWB_INITRAMFS_ERROR, KWB_INITRAMFS_ERROR_FILE_MISSING,
                       _("[initramfs] extra-files “%s”: cannot read the folder %s: %s"),
                       spec, host, local_error->message);
          return FALSE;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *h = g_build_filename (host, names->pdata[i], NULL);
          g_autofree char *g = g_build_filename (guest, names->pdata[i], NULL);

          if (!add_host_tree (cpio, h, g, spec, error))
            return FALSE;
        }
      return TRUE;
    }

  g_set_error (error, KWB_INITRAMFS_ERROR, KWB_INITRAMFS_ERROR_BAD_EXTRA_FILE,
               _("[initramfs] extra-files “%s”: %s is a pipe or socket, which an initramfs "
                 "cannot hold. Remove it from the folder or the list."), spec, host);
  return FALSE;
}

static gboolean
add_extra_files (KwbInitramfs  *self,
                 KwbCpio       *cpio,
                 GError       **error)
{
  g_auto(GStrv) specs = kwb_project_dup_string_list (self->project, "initramfs", "extra-files");
  const char *base = kwb_project_get_directory (self->project);

  for (guint i = 0; specs[i] != NULL; i++)
    {
      const char *spec = specs[i];
      const char *colon = strrchr (spec, ':');
      g_autofree char *host_raw = NULL;
      g_autofree char *host = NULL;
      g_autofree char *guest = NULL;

      if (*spec == '\0')
        continue;
      /* HOST:GUEST, GUEST absolute. The last colon splits, so a host path
       * may contain colons; a bare HOST goes to /BASENAME. */
      if (colon != NULL && colon[1] == '/')
        {
          host_raw = g_strndup (spec, colon - spec);
          guest = g_strdup (colon + 1);
        }
      else if (colon == NULL)
        {
          host_raw = g_strdup (spec);
          guest = g_path_get_basename (spec);
        }
      else
        {
          g_set_error (error, KWB_INITRAMFS_ERROR, KWB_INITRAMFS_ERROR_BAD_EXTRA_FILE,
                       _("[initramfs] extra-files “%s”: expected HOST_PATH:/GUEST_PATH, "
                         "the guest path starting with “/”"), spec);
          return FALSE;
        }

      if (host_raw[0] == '~' && (host_raw[1] == '/' || host_raw[1] == '\0'))
        host = g_build_filename (g_get_home_dir (), host_raw + 1, NULL);
      else
        host = g_canonicalize_filename (host_raw, base);

      if (!add_host_tree (cpio, host, guest, spec, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_modules (KwbInitramfs  *self,
             KwbCpio       *cpio,
             GError       **error)
{
  g_auto(GStrv) listed = kwb_project_dup_string_list (self->project, "initramfs", "modules");
  /* The module projects' .ko files come along without being listed. */
  g_auto(GStrv) built = kwb_module_build_dup_built_modules (self->project);
  g_auto(GStrv) modules = NULL;
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();
  g_autofree char *release = NULL;
  const char *base = kwb_project_get_directory (self->project);

  g_strv_builder_addv (all, (const char **) listed);
  for (guint i = 0; built[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) listed, built[i]))
      g_strv_builder_add (all, built[i]);
  modules = g_strv_builder_end (all);
  if (modules[0] == NULL)
    return TRUE;
  if ((release = dup_kernel_release (self, error)) == NULL)
    return FALSE;

  for (guint i = 0; modules[i] != NULL; i++)
    {
      g_autofree char *host = g_canonicalize_filename (modules[i], base);
      g_autofree char *name = g_path_get_basename (host);
      g_autofree char *guest = g_build_filename ("/lib/modules", release, name, NULL);

      if (!kwb_path_check_regular_file (host, "initramfs.modules", error))
        return FALSE;
      if (!g_file_test (host, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, KWB_INITRAMFS_ERROR, KWB_INITRAMFS_ERROR_FILE_MISSING,
                       _("[initramfs] modules: %s does not exist. Build the module or remove it "
                         "from the list."), host);
          return FALSE;
        }
      if (!kwb_cpio_add_file_from_host (cpio, guest, 0644, host, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_etc_file (KwbInitramfs  *self,
              KwbCpio       *cpio,
              const char    *key,
              const char    *guest,
              guint          mode,
              const char    *builtin,
              GError       **error)
{
  g_autofree char *path = kwb_project_dup_path (self->project, "initramfs", key);
  g_autofree char *setting = NULL;

  if (path == NULL)
    return kwb_cpio_add_file_from_data (cpio, guest, mode, builtin, error);

  setting = g_strconcat ("initramfs.", key, NULL);
  if (!kwb_path_check_regular_file (path, setting, error))
    return FALSE;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, KWB_INITRAMFS_ERROR, KWB_INITRAMFS_ERROR_FILE_MISSING,
                   _("[initramfs] %s: %s does not exist. Create it, or empty the key to use the "
                     "built-in %s."), key, path, guest);
      return FALSE;
    }
  return kwb_cpio_add_file_from_host (cpio, guest, mode, path, error);
}

/* bin/ash → "busybox", sbin/init → "../bin/busybox": relative, so links are
 * right both in the guest and when the archive is unpacked anywhere else. */
static char *
applet_target (const char *applet)
{
  g_autoptr(GString) target = g_string_new (NULL);
  g_autofree char *dir = g_path_get_dirname (applet);

  if (g_str_equal (dir, "bin"))
    return g_strdup ("busybox");
  if (g_str_equal (dir, "."))
    return g_strdup ("bin/busybox");
  for (const char *p = applet; *p; p++)
    if (*p == '/')
      g_string_append (target, "../");
  g_string_append (target, "bin/busybox");
  return g_string_free (g_steal_pointer (&target), FALSE);
}

static KwbCpio *
assemble (KwbInitramfs         *self,
          const char           *busybox,
          const char * const   *applets,
          GError              **error)
{
  g_autoptr(KwbCpio) cpio = kwb_cpio_new ();

  for (guint i = 0; i < G_N_ELEMENTS (default_dirs); i++)
    if (!kwb_cpio_add_directory (cpio, default_dirs[i], 0755, error))
      return NULL;

  /* What `sudo mknod` does in the manual way: just two headers here. */
  if (!kwb_cpio_add_device (cpio, "dev/console", KWB_CPIO_ENTRY_CHAR_DEVICE, 0600, 5, 1, error) ||
      !kwb_cpio_add_device (cpio, "dev/null", KWB_CPIO_ENTRY_CHAR_DEVICE, 0666, 1, 3, error))
    return NULL;

  if (!kwb_cpio_add_file_from_host (cpio, "bin/busybox", 0755, busybox, error))
    return NULL;
  for (guint i = 0; applets[i] != NULL; i++)
    {
      g_autofree char *target = applet_target (applets[i]);

      if (g_str_equal (applets[i], "bin/busybox"))
        continue;
      if (!kwb_cpio_add_symlink (cpio, applets[i], target, error))
        return NULL;
    }
  /* BusyBox's make install creates linuxrc, and the classic command line
   * boots with rdinit=/linuxrc. The kernel's own default for an initramfs is /init, so
   * that a boot without rdinit= finds BusyBox too. */
  if (!kwb_cpio_add_symlink (cpio, "linuxrc", "bin/busybox", error) ||
      !kwb_cpio_add_symlink (cpio, "init", "bin/busybox", error))
    return NULL;

  if (!add_etc_file (self, cpio, "rcs", "etc/init.d/rcS", 0755, default_rcs, error) ||
      !add_etc_file (self, cpio, "fstab", "etc/fstab", 0644, default_fstab, error) ||
      !add_etc_file (self, cpio, "inittab", "etc/inittab", 0644, default_inittab, error))
    return NULL;

  /* The user's files last: they may replace anything above. */
  if (!add_modules (self, cpio, error) || !add_extra_files (self, cpio, error))
    return NULL;

  return g_steal_pointer (&cpio);
}

typedef struct
{
  char    *busybox;
  KwbCpio *cpio;
  char    *output;
  KwbCpioCompression compression;
} PrepareData;

static void
prepare_data_free (gpointer data)
{
  PrepareData *pd = data;

  g_free (pd->busybox);
  g_clear_object (&pd->cpio);
  g_free (pd->output);
  g_free (pd);
}

static void
applets_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbInitramfs *self = g_task_get_source_object (task);
  PrepareData *pd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) applets = NULL;
  KwbCpio *cpio;

  if ((applets = kwb_busybox_list_applets_finish (result, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((cpio = assemble (self, pd->busybox, (const char * const *) applets, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, cpio, g_object_unref);
}

void
kwb_initramfs_prepare_async (KwbInitramfs        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PrepareData *pd;

  g_return_if_fail (KWB_IS_INITRAMFS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_initramfs_prepare_async);
  pd = g_new0 (PrepareData, 1);
  g_task_set_task_data (task, pd, prepare_data_free);

  if (self->busybox != NULL)
    {
      /* Chosen on the command line: name that, not the project's key. */
      if (!kwb_path_check_regular_file (self->busybox, "--busybox", &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      pd->busybox = g_strdup (self->busybox);
    }
  else
    {
      g_autoptr(KwbBusybox) bb = kwb_busybox_new (self->project);

      if ((pd->busybox = kwb_busybox_dup_binary_path (bb, &error)) == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  /* Refuse a dynamic or foreign binary before it becomes a kernel panic. */
  if (!kwb_busybox_check_binary (pd->busybox, kwb_arch_for_project (self->project), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kwb_busybox_list_applets_async (pd->busybox, kwb_arch_for_project (self->project), cancellable,
                                  applets_listed_cb, g_steal_pointer (&task));
}

KwbCpio *
kwb_initramfs_prepare_finish (KwbInitramfs  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (KWB_IS_INITRAMFS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_initramfs_prepare_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PrepareData *pd = task_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_cpio_write_file (pd->cpio, pd->output, pd->compression, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_strdup (pd->output), g_free);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  KwbInitramfs *self = KWB_INITRAMFS (object);
  g_autoptr(GTask) task = user_data;
  PrepareData *pd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if ((pd->cpio = kwb_initramfs_prepare_finish (self, result, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, write_thread);
}

void
kwb_initramfs_build_async (KwbInitramfs        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *compression = NULL;
  PrepareData *pd;

  g_return_if_fail (KWB_IS_INITRAMFS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_initramfs_build_async);
  pd = g_new0 (PrepareData, 1);
  pd->output = kwb_initramfs_dup_output (self);
  compression = kwb_project_dup_string (self->project, "initramfs", "compression");
  pd->compression = g_strcmp0 (compression, "none") == 0 ? KWB_CPIO_COMPRESSION_NONE
                                                         : KWB_CPIO_COMPRESSION_GZIP;
  g_task_set_task_data (task, pd, prepare_data_free);

  kwb_initramfs_prepare_async (self, cancellable, prepared_cb, g_steal_pointer (&task));
}

char *
kwb_initramfs_build_finish (KwbInitramfs  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (KWB_IS_INITRAMFS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_initramfs_build_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
