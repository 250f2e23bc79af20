/* kwb-project-trust.c — whether a project may run the programs it names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A project file chooses programs that run on this computer: the QEMU and
 * GDB binaries and QEMU's extra arguments, the kernel, BusyBox and module
 * Makefiles make runs, the scripts GDB loads from the kernel build folder,
 * the BusyBox binary asked for its applets. A project someone else wrote (a
 * clone, a download, a copy) must not run them before the user has seen
 * them, in the manner of an editor's workspace trust.
 *
 * What is trusted is the list of those settings, not the file: the record
 * ($XDG_DATA_HOME/kernel-workbench/trusted-projects.ini, mode 0600) holds,
 * per project file (its real path), a SHA-256 of the settings in effect —
 * exactly what kwb_project_trust_dup_runs() shows the user: qemu.binary,
 * qemu.extra-args, debug.gdb, kernel.build-dir, kernel.source and
 * kernel.source-dir (kernel.vmlinux for a prebuilt kernel), busybox.tree or
 * busybox.binary, modules.projects; and two that are no program but must
 * not be chosen unseen either: initramfs.output (a file we write over) and
 * qemu.expose-tcp (the GDB stub open to local users). Editing one of them by
 * hand, or copying the project elsewhere, makes it untrusted again. Left
 * out, as they run nothing on this computer: memory, CPUs, the kernel
 * command line, the initramfs files and scripts (they run in the guest), the
 * breakpoints and start function (GDB gets each as one quoted -break-insert
 * location, never as a command), substitute-path and the search paths (read,
 * not run).
 *
 * A project is trusted when it was created by this program (kwb init, the
 * wizard: a KwbProject that was never loaded), when its settings match the
 * record at load, or after kwb_project_trust_grant() (kwb … --trust, the
 * application's "Trust and Open"). Saving a trusted project records its new
 * settings, so changes made in the application or with kwb set keep it
 * trusted; saving one loaded untrusted records nothing, so kwb set cannot
 * launder a hand edit. The core only answers; kwb and the application ask
 * before they run anything.
 *
 * A record that cannot be parsed is reported and never overwritten: the
 * projects are then untrusted until the user fixes or removes it. Entries
 * whose project file is gone are dropped when the record is next written.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-project-trust.h"
#include "kwb-project-trust-private.h"
#include "kwb-spawn.h"

G_DEFINE_QUARK (kwb-project-trust-error-quark, kwb_project_trust_error)

/* Set on a loaded project that is not trusted: the GError saying why. */
#define UNTRUSTED_KEY "kwb-project-trust-untrusted"
#define STORE_NAME "trusted-projects.ini"
/* Changing what is hashed changes every hash: all projects are asked again. */
#define HASH_VERSION "kwb-trust-2"

char *
kwb_project_trust_dup_store_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "kernel-workbench", STORE_NAME, NULL);
}

/* The record's key: the project file's real path, so that a symlinked
 * folder is the same project and a copy is another. */
static char *
dup_file_key (KwbProject *project)
{
  g_autofree char *real = realpath (kwb_project_get_directory (project), NULL);

  return g_build_filename (real ? real : kwb_project_get_directory (project), KWB_PROJECT_FILE_NAME, NULL);
}

static char *
dup_group_name (const char *file_key)
{
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, file_key, -1);

  return g_strdup_printf ("project %s", sum);
}

/* ---- what a project runs ---- */

typedef struct {
  GChecksum *hash;
  GPtrArray *lines;
} Runs;

static void
hash_key (Runs       *runs,
          KwbProject *project,
          const char *group,
          const char *key)
{
  const KwbProjectKey *k = kwb_project_lookup_key (group, key);

  g_checksum_update (runs->hash, (const guchar *) group, -1);
  g_checksum_update (runs->hash, (const guchar *) ".", 1);
  g_checksum_update (runs->hash, (const guchar *) key, -1);
  g_checksum_update (runs->hash, (const guchar *) "\n", 1);
  /* Lists as their items, so that how the file spells a list does not matter. */
  if (k != NULL && k->type == KWB_PROJECT_VALUE_STRING_LIST)
    {
      g_auto(GStrv) items = kwb_project_dup_string_list (project, group, key);

      for (guint i = 0; items[i] != NULL; i++)
        g_checksum_update (runs->hash, (const guchar *) items[i], strlen (items[i]) + 1);
    }
  else
    {
      g_autofree char *value = kwb_project_dup_string (project, group, key);

      if (value != NULL)
        g_checksum_update (runs->hash, (const guchar *) value, strlen (value) + 1);
    }
  g_checksum_update (runs->hash, (const guchar *) "\n", 1);
}

static void
add_line (Runs       *runs,
          const char *label,
          const char *value)
{
  g_ptr_array_add (runs->lines, g_strdup_printf ("%s: %s", label, value));
}

/* A program as it will be found: "gdb (/usr/bin/gdb)". */
static char *
dup_program (const char *program)
{
  g_autofree char *found = kwb_spawn_find_program (program, NULL, NULL);

  if (found == NULL)
    return g_strdup_printf (_("%s (not found now)"), program);
  if (g_str_equal (found, program))
    return g_strdup (program);
  return g_strdup_printf ("%s (%s)", program, found);
}

static char *
dup_path_or_unset (KwbProject *project,
                   const char *group,
                   const char *key)
{
  char *path = kwb_project_dup_path (project, group, key);

  return path ? path : g_strdup_printf (_("(%s.%s is empty)"), group, key);
}

/* Walks the settings in effect: the same walk hashes them and describes
 * them, so the user is shown exactly what is trusted. */
static void
collect_runs (KwbProject *project,
              Runs       *runs)
{
  g_autofree char *qemu = kwb_project_dup_string (project, "qemu", "binary");
  g_auto(GStrv) qemu_args = kwb_project_dup_string_list (project, "qemu", "extra-args");
  g_autofree char *gdb = kwb_project_dup_string (project, "debug", "gdb");
  g_autofree char *profile = kwb_project_dup_string (project, "kernel", "profile");
  g_autofree char *busybox = kwb_project_dup_string (project, "busybox", "source");
  g_auto(GStrv) modules = kwb_project_dup_string_list (project, "modules", "projects");
  gboolean prebuilt = g_strcmp0 (profile, "prebuilt") == 0;
  g_autoptr(GString) command = g_string_new (NULL);
  g_autofree char *program = NULL;

  g_checksum_update (runs->hash, (const guchar *) HASH_VERSION "\n", -1);

  hash_key (runs, project, "qemu", "binary");
  hash_key (runs, project, "qemu", "extra-args");
  program = dup_program (qemu ? qemu : "");
  g_string_append (command, program);
  for (guint i = 0; qemu_args[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (qemu_args[i]);
      gboolean plain = *qemu_args[i] != '\0' &&
                       strspn (qemu_args[i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                             "0123456789_-+=,.:/@%") == strlen (qemu_args[i]);

      g_string_append_c (command, ' ');
      g_string_append (command, plain ? qemu_args[i] : quoted);
    }
  add_line (runs, _("QEMU"), command->str);

  hash_key (runs, project, "debug", "gdb");
  g_clear_pointer (&program, g_free);
  program = dup_program (gdb ? gdb : "");
  add_line (runs, _("GDB"), program);

  /* Module builds run make -C on the kernel build folder, and GDB loads the
   * Python scripts there (it is GDB's auto-load safe path). */
  hash_key (runs, project, "kernel", "build-dir");
  {
    g_autofree char *build = dup_path_or_unset (project, "kernel", "build-dir");

    add_line (runs, _("The kernel build folder’s Makefile and GDB scripts"), build);
  }
  if (prebuilt)
    {
      g_autofree char *vmlinux = kwb_project_dup_path (project, "kernel", "vmlinux");
      g_autofree char *dir = vmlinux ? g_path_get_dirname (vmlinux) : NULL;

      hash_key (runs, project, "kernel", "vmlinux");
      if (dir != NULL)
        add_line (runs, _("GDB scripts beside the vmlinux"), dir);
    }
  else
    {
      g_autofree char *source = dup_path_or_unset (project, "kernel", "source");
      g_autofree char *extract = kwb_project_dup_path (project, "kernel", "source-dir");

      /* A tarball's tree, once extracted to source-dir, is what make runs. */
      hash_key (runs, project, "kernel", "source");
      hash_key (runs, project, "kernel", "source-dir");
      if (g_file_test (source, G_FILE_TEST_IS_DIR) || extract == NULL)
        add_line (runs, _("The kernel source’s Makefiles, run by make"), source);
      else
        {
          g_autofree char *both = g_strdup_printf (_("%s, extracted to %s"), source, extract);

          add_line (runs, _("The kernel source’s Makefiles, run by make"), both);
        }
    }

  hash_key (runs, project, "busybox", "source");
  if (g_strcmp0 (busybox, "tree") == 0)
    {
      g_autofree char *tree = dup_path_or_unset (project, "busybox", "tree");

      hash_key (runs, project, "busybox", "tree");
      add_line (runs, _("The BusyBox source’s Makefiles, run by make"), tree);
    }
  else
    {
      g_autofree char *binary = kwb_project_dup_path (project, "busybox", "binary");

      hash_key (runs, project, "busybox", "binary");
      add_line (runs, _("BusyBox, run here to list its applets"), binary ? binary : "/bin/busybox");
    }

  /* Not a program, but written over whatever file it names: a project must
   * not choose, say, ~/.bashrc unseen. */
  hash_key (runs, project, "initramfs", "output");
  {
    g_autofree char *output = dup_path_or_unset (project, "initramfs", "output");

    add_line (runs, _("The initramfs archive, written over"), output);
  }
  /* Off by default: the stub on a TCP port lets any local user drive the
   * guest and read its memory. */
  hash_key (runs, project, "qemu", "expose-tcp");
  if (kwb_project_get_boolean (project, "qemu", "expose-tcp"))
    add_line (runs, _("QEMU’s GDB stub"), _("on a TCP port of 127.0.0.1, open to every local user"));

  hash_key (runs, project, "modules", "projects");
  for (guint i = 0; modules[i] != NULL; i++)
    {
      g_autofree char *path = g_canonicalize_filename (modules[i], kwb_project_get_directory (project));

      add_line (runs, _("A module’s Makefile, run by make"), path);
    }
}

static char *
dup_hash (KwbProject *project)
{
  Runs runs = { g_checksum_new (G_CHECKSUM_SHA256), g_ptr_array_new_with_free_func (g_free) };
  char *hash;

  collect_runs (project, &runs);
  hash = g_strdup (g_checksum_get_string (runs.hash));
  g_checksum_free (runs.hash);
  g_ptr_array_unref (runs.lines);
  return hash;
}

/**
 * kwb_project_trust_dup_runs:
 *
 * Returns: (transfer full): one line per program the project runs on this
 * computer, or folder whose Makefiles or scripts it runs, for a person to
 * read before trusting it.
 */
GStrv
kwb_project_trust_dup_runs (KwbProject *project)
{
  Runs runs = { g_checksum_new (G_CHECKSUM_SHA256), g_ptr_array_new () };

  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);

  collect_runs (project, &runs);
  g_checksum_free (runs.hash);
  g_ptr_array_add (runs.lines, NULL);
  return (GStrv) g_ptr_array_free (runs.lines, FALSE);
}

/* ---- the record ---- */

static gboolean
read_store (GKeyFile  **out,
            GError    **error)
{
  g_autofree char *path = kwb_project_trust_dup_store_path ();
  g_autoptr(GKeyFile) store = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (store, path, G_KEY_FILE_KEEP_COMMENTS, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_STORE,
                   _("The record of trusted projects %s cannot be read: %s. Fix or delete it; "
                     "it is not overwritten while it cannot be read."),
                   path, local_error->message);
      return FALSE;
    }
  *out = g_steal_pointer (&store);
  return TRUE;
}

/* Another kwb may record at the same moment: the read-change-write of the
 * record holds a lock, so that neither loses the other's entry. */
static int
lock_store (const char  *dir,
            GError     **error)
{
  g_autofree char *lock = g_build_filename (dir, "trusted-projects.lock", NULL);
  int fd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0 || flock (fd, LOCK_EX) != 0)
    {
      int errsv = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_STORE,
                   _("Cannot lock %s: %s"), lock, g_strerror (errsv));
      return -1;
    }
  return fd;
}

static gboolean
record (const char  *file_key,
        const char  *hash,
        GError     **error)
{
  g_autofree char *path = kwb_project_trust_dup_store_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *group = dup_group_name (file_key);
  g_autofree char *old = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GKeyFile) store = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  gboolean ok;
  gsize len;
  int lock;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_STORE,
                   _("Cannot create %s: %s"), dir, g_strerror (errsv));
      return FALSE;
    }
  if ((lock = lock_store (dir, error)) < 0)
    return FALSE;

  if (!read_store (&store, error))
    {
      close (lock);
      return FALSE;
    }
  old = g_key_file_get_string (store, group, "sha256", NULL);
  if (g_strcmp0 (old, hash) == 0)
    {
      close (lock);
      return TRUE;
    }

  groups = g_key_file_get_groups (store, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *project = g_key_file_get_string (store, groups[i], "path", NULL);

      if (project == NULL || !g_file_test (project, G_FILE_TEST_EXISTS))
        g_key_file_remove_group (store, groups[i], NULL);
    }
  g_key_file_set_comment (store, NULL, NULL,
                          " Projects trusted to run the programs they name, and a hash of those\n"
                          " settings. Written by Kernel Workbench; delete an entry to be asked again.", NULL);
  g_key_file_set_string (store, group, "path", file_key);
  g_key_file_set_string (store, group, "sha256", hash);

  data = g_key_file_to_data (store, &len, NULL);
  ok = g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error);
  close (lock);
  if (!ok)
    {
      g_set_error (error, KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_STORE,
                   _("Cannot write the record of trusted projects: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- the project's state ---- */

void
_kwb_project_trust_loaded (KwbProject *project)
{
  g_autofree char *file_key = dup_file_key (project);
  g_autofree char *group = dup_group_name (file_key);
  g_autofree char *hash = dup_hash (project);
  g_autofree char *recorded = NULL;
  g_autoptr(GKeyFile) store = NULL;
  g_autoptr(GError) store_error = NULL;
  GError *why = NULL;

  if (!read_store (&store, &store_error))
    why = g_error_new (KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_STORE,
                       _("%s cannot be checked. %s"), file_key, store_error->message);
  else if ((recorded = g_key_file_get_string (store, group, "sha256", NULL)) == NULL)
    why = g_error_new (KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_UNKNOWN,
                       _("%s is not trusted on this computer: it was not created here, "
                         "or it was copied or moved from elsewhere."), file_key);
  else if (!g_str_equal (recorded, hash))
    why = g_error_new (KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_CHANGED,
                       _("%s was changed outside Kernel Workbench since it was trusted: "
                         "what it runs is different now."), file_key);

  g_object_set_data_full (G_OBJECT (project), UNTRUSTED_KEY, why, (GDestroyNotify) g_error_free);
}

void
_kwb_project_trust_saved (KwbProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file_key = NULL;
  g_autofree char *hash = NULL;

  if (!kwb_project_trust_is_trusted (project))
    return;
  file_key = dup_file_key (project);
  hash = dup_hash (project);
  /* The save itself succeeded: a record that cannot be written only means
   * the next run asks again, and then says why. */
  if (!record (file_key, hash, &error))
    g_debug ("%s", error->message);
}

/**
 * kwb_project_trust_check:
 *
 * Returns: TRUE when the project may run what it names; FALSE with an error
 * in KWB_PROJECT_TRUST_ERROR saying why not (show it with
 * kwb_project_trust_dup_runs()).
 */
gboolean
kwb_project_trust_check (KwbProject  *project,
                         GError     **error)
{
  const GError *why;

  g_return_val_if_fail (KWB_IS_PROJECT (project), FALSE);

  why = g_object_get_data (G_OBJECT (project), UNTRUSTED_KEY);
  if (why == NULL)
    return TRUE;
  if (error != NULL)
    *error = g_error_copy (why);
  return FALSE;
}

gboolean
kwb_project_trust_is_trusted (KwbProject *project)
{
  return kwb_project_trust_check (project, NULL);
}

/**
 * kwb_project_trust_grant:
 *
 * Trusts @project as it is now: it may run its programs, and the record
 * remembers it for the next load. FALSE when the record could not be
 * written; the project stays trusted in this process all the same.
 */
gboolean
kwb_project_trust_grant (KwbProject  *project,
                         GError     **error)
{
  g_autofree char *file_key = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (KWB_IS_PROJECT (project), FALSE);

  g_object_set_data (G_OBJECT (project), UNTRUSTED_KEY, NULL);
  file_key = dup_file_key (project);
  hash = dup_hash (project);
  return record (file_key, hash, error);
}
