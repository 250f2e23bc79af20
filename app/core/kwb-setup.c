/* kwb-setup.c — setting a project up: what the host offers, what a change needs rebuilt
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rebuild table is the one place that knows which project keys feed
 * which build step: the project settings dialog and the Build button read it
 * to say "Rebuild the initramfs" rather than rebuilding everything.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-busybox.h"
#include "kwb-setup.h"
#include "kwb-spawn.h"

static const struct {
  const char *group;
  const char *key;    /* NULL: every key of the group */
  KwbRebuild  level;
} rebuild_table[] = {
  { "kernel", "source", KWB_REBUILD_FULL },
  { "kernel", "source-dir", KWB_REBUILD_FULL },
  { "kernel", "build-dir", KWB_REBUILD_FULL },
  { "kernel", "profile", KWB_REBUILD_CONFIG },
  { "kernel", "config", KWB_REBUILD_CONFIG },
  { "kernel", "extra-config", KWB_REBUILD_CONFIG },
  { "kernel", "relocatable", KWB_REBUILD_CONFIG },
  /* builtin links the archive into the image: the .config names it. */
  { "kernel", "initramfs", KWB_REBUILD_CONFIG },
  { "kernel", "jobs", KWB_REBUILD_NONE },
  { "kernel", "image", KWB_REBUILD_NONE },
  { "kernel", "vmlinux", KWB_REBUILD_NONE },
  /* Where the compiles run, not what they make. */
  { "kernel", "distcc-hosts", KWB_REBUILD_NONE },
  { "busybox", NULL, KWB_REBUILD_INITRAMFS },
  { "initramfs", NULL, KWB_REBUILD_INITRAMFS },
  { "qemu", NULL, KWB_REBUILD_NONE },
  { "debug", NULL, KWB_REBUILD_NONE },
  { "project", NULL, KWB_REBUILD_NONE },
};

KwbRebuild
kwb_rebuild_for_key (const char *group,
                     const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (rebuild_table); i++)
    if (g_strcmp0 (rebuild_table[i].group, group) == 0 &&
        (rebuild_table[i].key == NULL || g_strcmp0 (rebuild_table[i].key, key) == 0))
      return rebuild_table[i].level;
  /* A key we do not know: assume the worst rather than run a stale kernel. */
  return KWB_REBUILD_FULL;
}

static const char * const rebuild_words[] = { "none", "initramfs", "config", "full" };

const char *
kwb_rebuild_to_string (KwbRebuild level)
{
  g_return_val_if_fail (level <= KWB_REBUILD_FULL, "full");
  return rebuild_words[level];
}

KwbRebuild
kwb_rebuild_from_string (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (rebuild_words); i++)
    if (g_strcmp0 (rebuild_words[i], word) == 0)
      return i;
  return KWB_REBUILD_NONE;
}

/* The Build button's label for a level. */
const char *
kwb_rebuild_describe (KwbRebuild level)
{
  switch (level)
    {
    case KWB_REBUILD_NONE:
      return _("Build");
    case KWB_REBUILD_INITRAMFS:
      return _("Rebuild Initramfs");
    case KWB_REBUILD_CONFIG:
      return _("Reconfigure and Build Kernel");
    case KWB_REBUILD_FULL:
      return _("Rebuild Everything");
    default:
      g_return_val_if_reached (_("Build"));
    }
}

static int
compare_versions_desc (gconstpointer a,
                       gconstpointer b)
{
  /* strverscmp sorts 6.12 after 6.1, as a person would. */
  return -strverscmp (*(char * const *) a, *(char * const *) b);
}

char **
kwb_setup_list_linux_sources (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/usr/src", 0, NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "linux-source-") && g_str_has_suffix (name, ".tar.xz"))
      g_ptr_array_add (found, g_build_filename ("/usr/src", name, NULL));
  g_ptr_array_sort (found, compare_versions_desc);
  g_ptr_array_add (found, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&found), FALSE);
}

char *
kwb_setup_dup_kernel_version (const char *srctree)
{
  g_autofree char *makefile = g_build_filename (srctree, "Makefile", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *names[] = { "VERSION", "PATCHLEVEL", "SUBLEVEL", "EXTRAVERSION" };
  char *values[4] = { NULL };
  char *version = NULL;

  if (!g_file_get_contents (makefile, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", 40);
  for (guint i = 0; lines[i] != NULL; i++)
    for (guint n = 0; n < G_N_ELEMENTS (names); n++)
      if (values[n] == NULL && g_str_has_prefix (lines[i], names[n]))
        {
          const char *rest = lines[i] + strlen (names[n]);

          while (*rest == ' ' || *rest == '\t')
            rest++;
          if (*rest != '=')
            continue;
          values[n] = g_strstrip (g_strdup (rest + 1));
        }
  if (values[0] == NULL || values[1] == NULL || *values[0] == '\0')
    version = NULL;
  else if (values[2] == NULL || *values[2] == '\0' || g_str_equal (values[2], "0"))
    version = g_strdup_printf ("%s.%s%s", values[0], values[1], values[3] ? values[3] : "");
  else
    version = g_strdup_printf ("%s.%s.%s%s", values[0], values[1], values[2], values[3] ? values[3] : "");
  for (guint n = 0; n < G_N_ELEMENTS (values); n++)
    g_free (values[n]);
  return version;
}

static void
version_communicated (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *v;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &out, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  v = out ? strstr (out, "BusyBox v") : NULL;
  if (v == NULL)
    {
      g_task_return_new_error (task, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_NO_APPLETS,
                               _("“%s” did not introduce itself as BusyBox. Choose a BusyBox binary"),
                               (const char *) g_task_get_task_data (task));
      return;
    }
  v += strlen ("BusyBox v");
  g_task_return_pointer (task, g_strndup (v, strcspn (v, " \n")), g_free);
}

void
kwb_setup_busybox_version_async (const char          *binary,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { binary, NULL };

  g_task_set_source_tag (task, kwb_setup_busybox_version_async);
  g_task_set_task_data (task, g_strdup (binary), g_free);
  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  if ((process = kwb_spawn (launcher, argv, "busybox-static", &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_subprocess_communicate_utf8_async (process, NULL, cancellable, version_communicated,
                                       g_steal_pointer (&task));
}

char *
kwb_setup_busybox_version_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
