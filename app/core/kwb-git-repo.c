/* kwb-git-repo.c — a kernel source tree as a git repository, through libgit2
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything but the clone runs in the caller's thread: status of a kernel
 * tree takes a fraction of a second once the index is warm. The clone runs in
 * a GTask thread; libgit2 reports progress there, so the latest figures are
 * kept under a lock and handed to the caller's main context by one pending
 * idle at a time (a burst of thousands of object callbacks becomes a few
 * updates per frame). A clone goes into a hidden folder next to the target
 * and is renamed into place only when complete, so a failed or cancelled
 * clone leaves nothing behind.
 *
 * Credentials: an address may carry them (https://user:token@host/…). They
 * are never shown and never written: every message names the address
 * through kwb_git_repo_redact_url(), and the clone's "origin" is created
 * with that redacted address, so the clone's .git/config holds no secret
 * (libgit2 would otherwise store the address as typed). The user name and
 * password from the address are handed to libgit2 once, from the
 * credential callback; with none there, the caller's KwbGitAuthFunc is
 * asked once. A second request means the server refused them: the clone
 * ends with AUTH_FAILED instead of asking again (libgit2 would call back
 * up to 15 times). Without a KwbGitAuthFunc (the CLI) the clone fails at
 * once with AUTH_REQUIRED.
 */
#include "config.h"

#include <errno.h>
#include <git2.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "kwb-build-manifest.h"
#include "kwb-git-auth-request-private.h"
#include "kwb-git-repo.h"
#include "kwb-git-url-private.h"

struct _KwbGitRepo
{
  GObject         parent_instance;
  char           *path;
  git_repository *repo;
};

G_DEFINE_FINAL_TYPE (KwbGitRepo, kwb_git_repo, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-git-repo-error-quark, kwb_git_repo_error)
G_DEFINE_BOXED_TYPE (KwbGitCommit, kwb_git_commit, kwb_git_commit_copy, kwb_git_commit_free)

KwbGitCommit *
kwb_git_commit_copy (const KwbGitCommit *commit)
{
  KwbGitCommit *copy = g_new0 (KwbGitCommit, 1);

  copy->id = g_strdup (commit->id);
  copy->short_id = g_strdup (commit->short_id);
  copy->subject = g_strdup (commit->subject);
  copy->author = g_strdup (commit->author);
  copy->time = commit->time;
  return copy;
}

void
kwb_git_commit_free (KwbGitCommit *commit)
{
  if (commit == NULL)
    return;
  g_free (commit->id);
  g_free (commit->short_id);
  g_free (commit->subject);
  g_free (commit->author);
  g_free (commit);
}

static const char *
last_git_message (void)
{
  const git_error *e = git_error_last ();

  return e != NULL && e->message != NULL ? e->message : _("unknown libgit2 error");
}

static void
kwb_git_repo_finalize (GObject *object)
{
  KwbGitRepo *self = KWB_GIT_REPO (object);

  g_clear_pointer (&self->repo, git_repository_free);
  g_clear_pointer (&self->path, g_free);
  G_OBJECT_CLASS (kwb_git_repo_parent_class)->finalize (object);
}

static void
kwb_git_repo_class_init (KwbGitRepoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_git_repo_finalize;
}

/* Once per process and never shut down: libgit2 keeps global state (TLS,
 * caches) that other users in the process share. */
static void
ensure_libgit2 (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      git_libgit2_init ();
      g_once_init_leave (&done, 1);
    }
}

static void
kwb_git_repo_init (KwbGitRepo *self)
{
}

/**
 * kwb_git_repo_open:
 * @path: the top of a work tree
 *
 * Only @path itself is looked at (no search upwards): a kernel extracted
 * inside some other checkout is not that checkout's tree.
 */
KwbGitRepo *
kwb_git_repo_open (const char  *path,
                   GError     **error)
{
  g_autoptr(KwbGitRepo) self = NULL;
  git_repository *repo = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  ensure_libgit2 ();
  if (git_repository_open_ext (&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
    {
      g_set_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_NOT_A_REPOSITORY,
                   _("“%s” is not a git repository (%s)"), path, last_git_message ());
      return NULL;
    }
  if (git_repository_is_bare (repo))
    {
      git_repository_free (repo);
      g_set_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_NOT_A_REPOSITORY,
                   _("“%s” is a bare git repository: it has no files to build. Clone it, then choose the clone"),
                   path);
      return NULL;
    }

  self = g_object_new (KWB_TYPE_GIT_REPO, NULL);
  self->path = g_canonicalize_filename (path, NULL);
  self->repo = repo;
  return g_steal_pointer (&self);
}

const char *
kwb_git_repo_get_path (KwbGitRepo *self)
{
  g_return_val_if_fail (KWB_IS_GIT_REPO (self), NULL);
  return self->path;
}

/* The current branch's short name, or NULL when HEAD is detached. An unborn
 * branch (no commit yet) still has a name. */
char *
kwb_git_repo_dup_branch (KwbGitRepo *self)
{
  git_reference *head = NULL;
  char *name = NULL;

  g_return_val_if_fail (KWB_IS_GIT_REPO (self), NULL);

  if (git_repository_head_detached (self->repo) == 1)
    return NULL;
  if (git_repository_head (&head, self->repo) == 0)
    {
      if (git_reference_is_branch (head))
        name = g_strdup (git_reference_shorthand (head));
      git_reference_free (head);
    }
  else if (git_reference_lookup (&head, self->repo, "HEAD") == 0)
    {
      const char *target = git_reference_symbolic_target (head);

      if (target != NULL && g_str_has_prefix (target, "refs/heads/"))
        name = g_strdup (target + strlen ("refs/heads/"));
      git_reference_free (head);
    }
  return name;
}

static KwbGitCommit *
commit_summary (git_commit *commit)
{
  KwbGitCommit *c = g_new0 (KwbGitCommit, 1);
  const git_signature *author = git_commit_author (commit);
  char hex[GIT_OID_HEXSZ + 1];
  git_buf shorthex = GIT_BUF_INIT;

  git_oid_tostr (hex, sizeof hex, git_commit_id (commit));
  c->id = g_strdup (hex);
  if (git_object_short_id (&shorthex, (const git_object *) commit) == 0)
    c->short_id = g_strndup (shorthex.ptr, shorthex.size);
  else
    c->short_id = g_strndup (hex, 7);
  git_buf_dispose (&shorthex);
  c->subject = g_strdup (git_commit_summary (commit) ? git_commit_summary (commit) : "");
  if (author != NULL)
    {
      c->author = g_strdup_printf ("%s <%s>", author->name, author->email);
      c->time = author->when.time;
    }
  else
    c->author = g_strdup ("");
  return c;
}

KwbGitCommit *
kwb_git_repo_dup_head (KwbGitRepo  *self,
                       GError     **error)
{
  git_object *obj = NULL;
  KwbGitCommit *c;

  g_return_val_if_fail (KWB_IS_GIT_REPO (self), NULL);

  if (git_revparse_single (&obj, self->repo, "HEAD^{commit}") != 0)
    {
      g_set_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_UNKNOWN_REVISION,
                   _("The repository in “%s” has no commit yet (%s)"), self->path, last_git_message ());
      return NULL;
    }
  c = commit_summary ((git_commit *) obj);
  git_object_free (obj);
  return c;
}

/* Tracked files that differ from HEAD, in the index or the work tree.
 * Untracked files do not count: the kernel build manifest does not count
 * them either, and a checkout does not lose them. */
char **
kwb_git_repo_list_changed_files (KwbGitRepo  *self,
                                 GError     **error)
{
  git_status_options opts = GIT_STATUS_OPTIONS_INIT;
  git_status_list *status = NULL;
  g_autoptr(GStrvBuilder) files = g_strv_builder_new ();
  size_t n;

  g_return_val_if_fail (KWB_IS_GIT_REPO (self), NULL);

  opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY;
  if (git_status_list_new (&status, self->repo, &opts) != 0)
    {
      g_set_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_FAILED,
                   _("Could not read the status of “%s”: %s"), self->path, last_git_message ());
      return NULL;
    }
  n = git_status_list_entrycount (status);
  for (size_t i = 0; i < n; i++)
    {
      const git_status_entry *e = git_status_byindex (status, i);
      const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;

      if (d == NULL)
        continue;
      g_strv_builder_add (files, d->new_file.path ? d->new_file.path : d->old_file.path);
    }
  git_status_list_free (status);
  return g_strv_builder_end (files);
}

gboolean
kwb_git_repo_is_dirty (KwbGitRepo *self)
{
  g_auto(GStrv) files = kwb_git_repo_list_changed_files (self, NULL);

  return files != NULL && files[0] != NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

char **
kwb_git_repo_list_branches (KwbGitRepo  *self,
                            GError     **error)
{
  git_branch_iterator *it = NULL;
  git_reference *ref = NULL;
  git_branch_t type;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_return_val_if_fail (KWB_IS_GIT_REPO (self), NULL);

  if (git_branch_iterator_new (&it, self->repo, GIT_BRANCH_ALL) != 0)
    {
      g_set_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_FAILED,
                   _("Could not list the branches of “%s”: %s"), self->path, last_git_message ());
      return NULL;
    }
  while (git_branch_next (&ref, &type, it) == 0)
    {
      const char *name = git_reference_shorthand (ref);

      /* origin/HEAD is a pointer to another branch, not one to choose. */
      if (!(type == GIT_BRANCH_REMOTE && g_str_has_suffix (name, "/HEAD")))
        g_ptr_array_add (names, g_strdup (name));
      git_reference_free (ref);
    }
  git_branch_iterator_free (it);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

char **
kwb_git_repo_list_tags (KwbGitRepo  *self,
                        GError     **error)
{
  git_strarray tags = { 0 };
  char **out;

  g_return_val_if_fail (KWB_IS_GIT_REPO (self), NULL);

  if (git_tag_list (&tags, self->repo) != 0)
    {
      g_set_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_FAILED,
                   _("Could not list the tags of “%s”: %s"), self->path, last_git_message ());
      return NULL;
    }
  out = g_new0 (char *, tags.count + 1);
  for (size_t i = 0; i < tags.count; i++)
    out[i] = g_strdup (tags.strings[i]);
  git_strarray_dispose (&tags);
  return out;
}

/**
 * kwb_git_repo_checkout:
 * @revision: a local branch, a remote branch, a tag or a commit
 *
 * Refuses when tracked files have local changes, listing them: switching
 * would mix them into another version, and they are the user's work.
 * A local branch is checked out as that branch; anything else detaches HEAD.
 */
gboolean
kwb_git_repo_checkout (KwbGitRepo  *self,
                       const char  *revision,
                       GError     **error)
{
  g_auto(GStrv) changed = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *local_ref = NULL;
  git_object *target = NULL;
  git_reference *branch = NULL;
  git_checkout_options opts = GIT_CHECKOUT_OPTIONS_INIT;
  int rc;

  g_return_val_if_fail (KWB_IS_GIT_REPO (self), FALSE);
  g_return_val_if_fail (revision != NULL, FALSE);

  changed = kwb_git_repo_list_changed_files (self, error);
  if (changed == NULL)
    return FALSE;
  if (changed[0] != NULL)
    {
      guint n = g_strv_length (changed);
      g_autofree char *shown = NULL;

      /* A kernel tree can have thousands; the first twenty say enough. */
      if (n > 20)
        {
          g_autofree char *first = NULL;

          g_free (changed[20]);
          changed[20] = NULL;
          first = g_strjoinv ("\n  ", changed);
          shown = g_strdup_printf (_("%s\n  … and %u more"), first, n - 20);
        }
      else
        shown = g_strjoinv ("\n  ", changed);
      g_set_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_DIRTY,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Did not check out “%s”: %u file in “%s” has local changes. Commit or stash it first:\n  %s",
                                "Did not check out “%s”: %u files in “%s” have local changes. Commit or stash them first:\n  %s",
                                n),
                   revision, n, self->path, shown);
      return FALSE;
    }

  spec = g_strdup_printf ("%s^{commit}", revision);
  if (git_revparse_single (&target, self->repo, spec) != 0)
    {
      g_set_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_UNKNOWN_REVISION,
                   _("“%s” is no branch, tag or commit of “%s” (%s)"), revision, self->path, last_git_message ());
      return FALSE;
    }

  opts.checkout_strategy = GIT_CHECKOUT_SAFE;
  rc = git_checkout_tree (self->repo, target, &opts);
  if (rc == 0)
    {
      local_ref = g_strdup_printf ("refs/heads/%s", revision);
      if (git_reference_lookup (&branch, self->repo, local_ref) == 0)
        {
          rc = git_repository_set_head (self->repo, local_ref);
          git_reference_free (branch);
        }
      else
        rc = git_repository_set_head_detached (self->repo, git_object_id (target));
    }
  git_object_free (target);
  if (rc != 0)
    {
      g_set_error (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_FAILED,
                   _("Could not check out “%s” in “%s”: %s"), revision, self->path, last_git_message ());
      return FALSE;
    }
  return TRUE;
}

static gboolean
newest_change_after (const char *root,
                     char      **files,
                     gint64      when,
                     const char **which)
{
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (root, files[i], NULL);
      struct stat st;

      /* A deleted file has no time; its deletion is a change either way. */
      if (g_lstat (path, &st) != 0 || (gint64) st.st_mtime * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000 > when)
        {
          *which = files[i];
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * kwb_git_repo_is_build_stale:
 *
 * Stale when the tree's HEAD is not the manifest's source-commit, when the
 * tree has local changes and the build had none (or the other way round), or
 * when both had local changes and a changed file is newer than the manifest
 * (the manifest is written at the end of every build, including an
 * up-to-date one, so its time is when make last looked at the tree).
 */
gboolean
kwb_git_repo_is_build_stale (KwbGitRepo  *self,
                             const char  *build_dir,
                             char       **reason)
{
  g_autoptr(KwbBuildManifest) manifest = NULL;
  g_autofree char *built_commit = NULL;
  g_autoptr(KwbGitCommit) head = NULL;
  g_auto(GStrv) changed = NULL;
  gboolean built_dirty;
  gboolean dirty;

  g_return_val_if_fail (KWB_IS_GIT_REPO (self), FALSE);
  g_return_val_if_fail (build_dir != NULL, FALSE);

  if (reason)
    *reason = NULL;
  if ((manifest = kwb_build_manifest_load (build_dir, NULL)) == NULL)
    return FALSE;
  built_commit = kwb_build_manifest_dup_source_commit (manifest);
  if (built_commit == NULL)
    return FALSE;
  built_dirty = kwb_build_manifest_get_source_dirty (manifest);

  head = kwb_git_repo_dup_head (self, NULL);
  if (head == NULL || !g_str_equal (head->id, built_commit))
    {
      if (reason)
        *reason = g_strdup_printf (_("The kernel was built from commit %.12s; the source is now at %s."),
                                   built_commit, head ? head->short_id : _("no commit"));
      return TRUE;
    }

  changed = kwb_git_repo_list_changed_files (self, NULL);
  dirty = changed != NULL && changed[0] != NULL;
  if (dirty && !built_dirty)
    {
      if (reason)
        *reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u source file changed since the build: %s.",
                                                "%u source files changed since the build, first %s.",
                                                g_strv_length (changed)),
                                   g_strv_length (changed), changed[0]);
      return TRUE;
    }
  if (!dirty && built_dirty)
    {
      if (reason)
        *reason = g_strdup (_("The kernel was built with local changes that are no longer in the source."));
      return TRUE;
    }
  if (dirty)
    {
      const char *which = NULL;
      gint64 built = kwb_build_manifest_get_modified (manifest);

      if (newest_change_after (self->path, changed, built, &which))
        {
          if (reason)
            *reason = g_strdup_printf (_("%s changed after the last build."), which);
          return TRUE;
        }
    }
  return FALSE;
}

/* --- clone ------------------------------------------------------------ */

typedef enum {
  AUTH_OK,
  AUTH_REQUIRED,    /* asked, and there was no one to ask */
  AUTH_REJECTED,    /* asked again: the credentials given were refused */
  AUTH_CANCELLED,   /* the user cancelled the question */
} AuthState;

typedef struct {
  gatomicrefcount      ref;
  GMutex               lock;
  GMainContext        *context;
  KwbGitCloneProgressFunc func;
  gpointer             func_data;
  GDestroyNotify       func_destroy;
  KwbGitCloneProgress  latest;
  gboolean             pending;
  gboolean             finished;   /* main thread only */
  gint64               started;
  GCancellable        *cancellable;

  /* Credentials; all but auth_state are read-only once the thread runs. */
  KwbGitAuthFunc       auth_func;
  gpointer             auth_data;
  char                *display_url;
  char                *host;
  char                *url_user;
  char                *url_password;
  gboolean             auth_tried;   /* clone thread only */
  AuthState            auth_state;   /* clone thread only, read after it */
} CloneShared;

typedef struct {
  char        *url;
  char        *destination;
  char        *branch;
  char        *staging;
  CloneShared *shared;
} CloneData;

static CloneShared *
clone_shared_ref (CloneShared *s)
{
  g_atomic_ref_count_inc (&s->ref);
  return s;
}

static void
clone_shared_unref (CloneShared *s)
{
  if (!g_atomic_ref_count_dec (&s->ref))
    return;
  if (s->func_destroy)
    s->func_destroy (s->func_data);
  g_mutex_clear (&s->lock);
  g_main_context_unref (s->context);
  g_clear_object (&s->cancellable);
  g_free (s->display_url);
  g_free (s->host);
  g_free (s->url_user);
  if (s->url_password != NULL)
    explicit_bzero (s->url_password, strlen (s->url_password));
  g_free (s->url_password);
  g_free (s);
}

static void
clone_data_free (CloneData *d)
{
  g_free (d->url);
  g_free (d->destination);
  g_free (d->branch);
  g_free (d->staging);
  clone_shared_unref (d->shared);
  g_free (d);
}

static gboolean
deliver_progress (gpointer user_data)
{
  CloneShared *s = user_data;
  KwbGitCloneProgress copy;

  g_mutex_lock (&s->lock);
  copy = s->latest;
  s->pending = FALSE;
  g_mutex_unlock (&s->lock);
  if (!s->finished && s->func != NULL)
    s->func (&copy, s->func_data);
  return G_SOURCE_REMOVE;
}

/* Clone thread: record, and wake the main context unless a wake-up is
 * already queued. */
static void
post_progress (CloneShared *s)
{
  gboolean schedule;

  schedule = !s->pending;
  s->pending = TRUE;
  if (schedule)
    {
      GSource *idle = g_idle_source_new ();

      g_source_set_priority (idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (idle, deliver_progress, clone_shared_ref (s),
                             (GDestroyNotify) clone_shared_unref);
      g_source_set_static_name (idle, "[kwb] clone progress");
      g_source_attach (idle, s->context);
      g_source_unref (idle);
    }
}

static int
on_transfer (const git_indexer_progress *stats,
             void                       *payload)
{
  CloneShared *s = payload;
  double seconds = (g_get_monotonic_time () - s->started) / (double) G_USEC_PER_SEC;

  g_mutex_lock (&s->lock);
  s->latest.received_objects = stats->received_objects;
  s->latest.indexed_objects = stats->indexed_objects;
  s->latest.total_objects = stats->total_objects;
  s->latest.received_bytes = stats->received_bytes;
  s->latest.bytes_per_second = seconds > 0.05 ? stats->received_bytes / seconds : 0;
  post_progress (s);
  g_mutex_unlock (&s->lock);

  /* Non-zero makes libgit2 stop the fetch and return GIT_EUSER. */
  return g_cancellable_is_cancelled (s->cancellable) ? -1 : 0;
}

static int
on_sideband (const char *str,
             int         len,
             void       *payload)
{
  CloneShared *s = payload;

  return g_cancellable_is_cancelled (s->cancellable) ? -1 : 0;
}

static void
on_checkout_progress (const char *path,
                      size_t      completed_steps,
                      size_t      total_steps,
                      void       *payload)
{
  CloneShared *s = payload;

  g_mutex_lock (&s->lock);
  s->latest.checkout_done = completed_steps;
  s->latest.checkout_total = total_steps;
  post_progress (s);
  g_mutex_unlock (&s->lock);
}

static int
on_checkout_notify (git_checkout_notify_t    why,
                    const char              *path,
                    const git_diff_file     *baseline,
                    const git_diff_file     *target,
                    const git_diff_file     *workdir,
                    void                    *payload)
{
  CloneShared *s = payload;

  return g_cancellable_is_cancelled (s->cancellable) ? -1 : 0;
}

typedef struct {
  CloneShared       *shared;
  KwbGitAuthRequest *request;
} AuthCall;

static void
auth_call_free (AuthCall *call)
{
  clone_shared_unref (call->shared);
  g_object_unref (call->request);
  g_free (call);
}

static gboolean
deliver_auth (gpointer user_data)
{
  AuthCall *call = user_data;

  call->shared->auth_func (call->request, call->shared->auth_data);
  return G_SOURCE_REMOVE;
}

/* Clone thread: ask the caller in its main context, and wait. */
static gboolean
ask_credentials (CloneShared  *s,
                 char        **user,
                 char        **password)
{
  g_autoptr(KwbGitAuthRequest) request = kwb_git_auth_request_new (s->display_url, s->host, s->url_user);
  AuthCall *call = g_new0 (AuthCall, 1);

  call->shared = clone_shared_ref (s);
  call->request = g_object_ref (request);
  g_main_context_invoke_full (s->context, G_PRIORITY_DEFAULT, deliver_auth, call,
                              (GDestroyNotify) auth_call_free);
  return kwb_git_auth_request_wait (request, s->cancellable, user, password);
}

static int
on_credentials (git_credential **out,
                const char      *url,
                const char      *username_from_url,
                unsigned int     allowed_types,
                void            *payload)
{
  CloneShared *s = payload;

  if (g_cancellable_is_cancelled (s->cancellable))
    return GIT_EUSER;
  /* Called again: what was given was refused. Asking again would loop. */
  if (s->auth_tried)
    {
      s->auth_state = AUTH_REJECTED;
      git_error_set_str (GIT_ERROR_NET, "authentication failed");
      return GIT_EAUTH;
    }
  if (allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT)
    {
      g_autofree char *user = NULL;
      g_autofree char *password = NULL;
      int rc;

      s->auth_tried = TRUE;
      if (s->url_password != NULL)
        return git_credential_userpass_plaintext_new (out, s->url_user ? s->url_user : "", s->url_password);
      if (s->auth_func == NULL)
        {
          s->auth_state = AUTH_REQUIRED;
          git_error_set_str (GIT_ERROR_NET, "authentication required");
          return GIT_EAUTH;
        }
      if (!ask_credentials (s, &user, &password))
        {
          s->auth_state = AUTH_CANCELLED;
          return GIT_EUSER;
        }
      rc = git_credential_userpass_plaintext_new (out, user, password);
      explicit_bzero (password, strlen (password));
      return rc;
    }
  /* SSH: the agent's keys, once, as ssh itself would try them. */
  if ((allowed_types & GIT_CREDENTIAL_SSH_KEY) && username_from_url != NULL)
    {
      s->auth_tried = TRUE;
      return git_credential_ssh_key_from_agent (out, username_from_url);
    }
  if (allowed_types & GIT_CREDENTIAL_USERNAME)
    return git_credential_username_new (out, s->url_user ? s->url_user : g_get_user_name ());
  s->auth_state = AUTH_REQUIRED;
  git_error_set_str (GIT_ERROR_NET, "authentication required");
  return GIT_EAUTH;
}

/* "origin" gets the address without secrets: libgit2 writes it to the
 * clone's .git/config. The credentials reach the server through
 * on_credentials instead. */
static int
create_origin (git_remote     **out,
               git_repository  *repo,
               const char      *name,
               const char      *url,
               void            *payload)
{
  CloneShared *s = payload;

  return git_remote_create (out, repo, name, s->display_url);
}

/* libgit2's own words, with the address as typed replaced by the shown
 * one and any password masked, should libgit2 ever quote them. */
static char *
scrub_message (CloneShared *s,
               const char  *url,
               const char  *message)
{
  g_autoptr(GString) text = g_string_new (message);

  if (!g_str_equal (url, s->display_url))
    g_string_replace (text, url, s->display_url, 0);
  if (s->url_password != NULL && *s->url_password != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (s->url_password, NULL, FALSE);

      g_string_replace (text, s->url_password, "***", 0);
      g_string_replace (text, escaped, "***", 0);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir != NULL && g_dir_read_name (dir) == NULL;
}

/* After a clone without checkout: a remote branch becomes a local one of the
 * same name; a tag or commit is checked out detached. GIT_ENOTFOUND when
 * the name is neither. */
static int
checkout_requested (git_repository       *repo,
                    const char           *name,
                    git_checkout_options *base)
{
  g_autofree char *local = g_strdup_printf ("refs/heads/%s", name);
  g_autofree char *remote = g_strdup_printf ("refs/remotes/origin/%s", name);
  g_autofree char *spec = g_strdup_printf ("%s^{commit}", name);
  git_checkout_options opts = *base;
  git_reference *ref = NULL;
  git_object *target = NULL;
  int rc;

  opts.checkout_strategy = GIT_CHECKOUT_FORCE;
  if (git_reference_lookup (&ref, repo, local) == 0)
    {
      rc = git_reference_peel (&target, ref, GIT_OBJECT_COMMIT);
      git_reference_free (ref);
      if (rc == 0)
        rc = git_checkout_tree (repo, target, &opts);
      if (rc == 0)
        rc = git_repository_set_head (repo, local);
    }
  else if (git_reference_lookup (&ref, repo, remote) == 0)
    {
      git_reference *branch = NULL;

      rc = git_reference_peel (&target, ref, GIT_OBJECT_COMMIT);
      git_reference_free (ref);
      if (rc == 0)
        rc = git_branch_create (&branch, repo, name, (git_commit *) target, 0);
      if (rc == 0)
        {
          g_autofree char *upstream = g_strdup_printf ("origin/%s", name);

          git_branch_set_upstream (branch, upstream);
          git_reference_free (branch);
          rc = git_checkout_tree (repo, target, &opts);
        }
      if (rc == 0)
        rc = git_repository_set_head (repo, local);
    }
  else if ((rc = git_revparse_single (&target, repo, spec)) == 0)
    {
      rc = git_checkout_tree (repo, target, &opts);
      if (rc == 0)
        rc = git_repository_set_head_detached (repo, git_object_id (target));
    }
  git_object_free (target);
  return rc;
}

static void
clone_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CloneData *d = task_data;
  git_clone_options opts = GIT_CLONE_OPTIONS_INIT;
  git_repository *repo = NULL;
  int rc;

  opts.fetch_opts.callbacks.transfer_progress = on_transfer;
  opts.fetch_opts.callbacks.sideband_progress = on_sideband;
  opts.fetch_opts.callbacks.credentials = on_credentials;
  opts.fetch_opts.callbacks.payload = d->shared;
  opts.remote_cb = create_origin;
  opts.remote_cb_payload = d->shared;
  opts.checkout_opts.progress_cb = on_checkout_progress;
  opts.checkout_opts.progress_payload = d->shared;
  opts.checkout_opts.notify_cb = on_checkout_notify;
  opts.checkout_opts.notify_flags = GIT_CHECKOUT_NOTIFY_ALL;
  opts.checkout_opts.notify_payload = d->shared;
  /* libgit2 checks out only branches at clone time; a tag (v6.1) is the
   * common ask for kernels, so with a name given nothing is checked out
   * until the name is resolved below: one checkout, not two. */
  if (d->branch != NULL)
    opts.checkout_opts.checkout_strategy = GIT_CHECKOUT_NONE;
  d->shared->started = g_get_monotonic_time ();

  rc = git_clone (&repo, d->url, d->staging, &opts);
  if (rc == 0 && d->branch != NULL)
    rc = checkout_requested (repo, d->branch, &opts.checkout_opts);
  if (repo != NULL)
    git_repository_free (repo);

  if (rc == 0 && g_cancellable_is_cancelled (cancellable))
    rc = GIT_EUSER;
  if (rc != 0)
    {
      CloneShared *s = d->shared;
      g_autofree char *message = scrub_message (s, d->url, last_git_message ());
      const char *shown = s->display_url;

      remove_tree (d->staging);
      if (rc == GIT_EUSER || s->auth_state == AUTH_CANCELLED || g_cancellable_is_cancelled (cancellable))
        g_task_return_new_error (task, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_CANCELLED,
                                 _("Cloning “%s” was cancelled; nothing was kept"), shown);
      else if (s->auth_state == AUTH_REQUIRED)
        g_task_return_new_error (task, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_AUTH_REQUIRED,
                                 _("Could not clone “%s”: the server %s asks for a user name and a password or "
                                   "token, and none was given. Clone it with git, which can use your credential "
                                   "helper, then choose the cloned folder as the kernel source"),
                                 shown, s->host ? s->host : shown);
      else if (s->auth_state == AUTH_REJECTED)
        g_task_return_new_error (task, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_AUTH_FAILED,
                                 _("Could not clone “%s”: authentication failed: the server %s refused the user "
                                   "name and password or token. Check them (a token may have expired or lack read "
                                   "access) and clone again"),
                                 shown, s->host ? s->host : shown);
      else if (d->branch != NULL && rc == GIT_ENOTFOUND)
        g_task_return_new_error (task, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_UNKNOWN_REVISION,
                                 _("Could not clone “%s”: it has no branch or tag “%s” (%s)"),
                                 shown, d->branch, message);
      else
        g_task_return_new_error (task, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_CLONE,
                                 _("Could not clone “%s”: %s. Check the address and that the repository is reachable"),
                                 shown, message);
      return;
    }

  /* rename(2) replaces an empty directory, and the staging folder is on the
   * same file system, so the clone appears whole or not at all. */
  if (g_rename (d->staging, d->destination) != 0)
    {
      int saved = errno;

      remove_tree (d->staging);
      g_task_return_new_error (task, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_DESTINATION,
                               _("Could not move the clone to “%s”: %s"), d->destination, g_strerror (saved));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * kwb_git_repo_clone_async:
 * @url: a URL or a local path
 * @destination: a folder that does not exist, or is empty
 * @branch: (nullable): a branch or tag to check out, or %NULL for the remote's HEAD
 * @progress: (nullable): called in this thread's main context as objects arrive
 * @auth: (nullable): asked for credentials the server wants and @url lacks;
 *   without it such a clone fails with %KWB_GIT_REPO_ERROR_AUTH_REQUIRED
 * @auth_data: for @auth; kept valid by the caller until @callback
 *
 * Cancelling @cancellable stops the transfer or the checkout at the next
 * callback; the half-made clone is removed.
 */
void
kwb_git_repo_clone_async (const char              *url,
                          const char              *destination,
                          const char              *branch,
                          KwbGitCloneProgressFunc  progress,
                          gpointer                 progress_data,
                          GDestroyNotify           progress_destroy,
                          KwbGitAuthFunc           auth,
                          gpointer                 auth_data,
                          GCancellable            *cancellable,
                          GAsyncReadyCallback      callback,
                          gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  CloneData *d;

  g_return_if_fail (url != NULL);
  g_return_if_fail (destination != NULL);

  ensure_libgit2 ();
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_git_repo_clone_async);
  g_task_set_return_on_cancel (task, FALSE);
  /* Our own CANCELLED error says what was (not) kept; do not let GTask
   * replace it with a bare G_IO_ERROR_CANCELLED. */
  g_task_set_check_cancellable (task, FALSE);

  absolute = g_canonicalize_filename (destination, NULL);
  if (g_file_test (absolute, G_FILE_TEST_EXISTS) &&
      (!g_file_test (absolute, G_FILE_TEST_IS_DIR) || !dir_is_empty (absolute)))
    {
      if (progress_destroy)
        progress_destroy (progress_data);
      g_task_return_new_error (task, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_DESTINATION,
                               _("Did not clone into “%s”: it exists and is not an empty folder. Choose a new folder name"),
                               absolute);
      return;
    }
  parent = g_path_get_dirname (absolute);
  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      int saved = errno;

      if (progress_destroy)
        progress_destroy (progress_data);
      g_task_return_new_error (task, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_DESTINATION,
                               _("Could not create the folder “%s”: %s"), parent, g_strerror (saved));
      return;
    }
  base = g_path_get_basename (absolute);
  template = g_strdup_printf ("%s/.%s.clone-XXXXXX", parent, base);
  if (g_mkdtemp (template) == NULL)
    {
      int saved = errno;

      if (progress_destroy)
        progress_destroy (progress_data);
      g_task_return_new_error (task, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_DESTINATION,
                               _("Could not create a folder in “%s”: %s"), parent, g_strerror (saved));
      return;
    }

  d = g_new0 (CloneData, 1);
  d->url = g_strdup (url);
  d->destination = g_steal_pointer (&absolute);
  d->branch = branch && *branch ? g_strdup (branch) : NULL;
  d->staging = g_steal_pointer (&template);
  d->shared = g_new0 (CloneShared, 1);
  g_atomic_ref_count_init (&d->shared->ref);
  g_mutex_init (&d->shared->lock);
  d->shared->context = g_main_context_ref_thread_default ();
  d->shared->func = progress;
  d->shared->func_data = progress_data;
  d->shared->func_destroy = progress_destroy;
  /* The thread needs a cancellable to poll even when the caller gave none. */
  d->shared->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  d->shared->auth_func = auth;
  d->shared->auth_data = auth_data;
  d->shared->display_url = kwb_git_repo_redact_url (url);
  kwb_git_url_credentials (url, &d->shared->url_user, &d->shared->url_password, &d->shared->host);
  g_task_set_task_data (task, d, (GDestroyNotify) clone_data_free);
  g_task_run_in_thread (task, clone_thread);
}

KwbGitRepo *
kwb_git_repo_clone_finish (GAsyncResult  *result,
                           GError       **error)
{
  GTask *task = G_TASK (result);
  CloneData *d;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == kwb_git_repo_clone_async, NULL);

  d = g_task_get_task_data (task);
  if (d != NULL)
    d->shared->finished = TRUE;
  if (!g_task_propagate_boolean (task, error))
    return NULL;
  return kwb_git_repo_open (d->destination, error);
}
