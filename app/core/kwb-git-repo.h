/* kwb-git-repo.h — a kernel source tree as a git repository, through libgit2
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-git-auth-request.h"

G_BEGIN_DECLS

#define KWB_GIT_REPO_ERROR (kwb_git_repo_error_quark ())

typedef enum {
  KWB_GIT_REPO_ERROR_NOT_A_REPOSITORY, /* the folder is not (the top of) a git work tree */
  KWB_GIT_REPO_ERROR_DESTINATION,      /* clone target exists and is not empty, or cannot be made */
  KWB_GIT_REPO_ERROR_CLONE,            /* the remote could not be reached or read */
  KWB_GIT_REPO_ERROR_CANCELLED,        /* a clone or checkout cancelled by the user */
  KWB_GIT_REPO_ERROR_DIRTY,            /* checkout refused: local changes; the message lists them */
  KWB_GIT_REPO_ERROR_UNKNOWN_REVISION, /* no branch, tag or commit of that name */
  KWB_GIT_REPO_ERROR_FAILED,           /* any other libgit2 failure (its message is kept) */
  KWB_GIT_REPO_ERROR_AUTH_REQUIRED,    /* the server wants credentials and nobody could give them */
  KWB_GIT_REPO_ERROR_AUTH_FAILED,      /* the server refused the credentials given (tried once) */
} KwbGitRepoError;

/* A commit, for the window header and the wizard. */
typedef struct {
  char   *id;        /* full hex */
  char   *short_id;  /* the shortest unambiguous prefix, at least 7 */
  char   *subject;
  char   *author;    /* "Name <email>" */
  gint64  time;      /* seconds since the epoch */
} KwbGitCommit;

#define KWB_TYPE_GIT_COMMIT (kwb_git_commit_get_type ())
GType         kwb_git_commit_get_type   (void) G_GNUC_CONST;
KwbGitCommit *kwb_git_commit_copy       (const KwbGitCommit *commit);
void          kwb_git_commit_free       (KwbGitCommit       *commit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbGitCommit, kwb_git_commit_free)

/* A snapshot of a clone's progress. Objects and bytes come from the network
 * (or local) transfer, then checkout_* while files are written. */
typedef struct {
  guint   received_objects;
  guint   indexed_objects;
  guint   total_objects;
  guint64 received_bytes;
  double  bytes_per_second;   /* average since the transfer started */
  guint   checkout_done;
  guint   checkout_total;
} KwbGitCloneProgress;

/* Called in the main context that was the thread-default one when the clone
 * started, never after the clone's callback. */
typedef void (*KwbGitCloneProgressFunc) (const KwbGitCloneProgress *progress,
                                         gpointer                   user_data);

/* Called in the main context that was the thread-default one when the
 * clone started, when the server asks for a user name and a password or
 * token. The clone waits until kwb_git_auth_request_reply() or
 * kwb_git_auth_request_cancel() (or its cancellable); called at most once a
 * clone: credentials the server refuses end the clone with
 * KWB_GIT_REPO_ERROR_AUTH_FAILED, they are not asked for again. */
typedef void (*KwbGitAuthFunc) (KwbGitAuthRequest *request,
                                gpointer           user_data);

#define KWB_TYPE_GIT_REPO (kwb_git_repo_get_type ())
G_DECLARE_FINAL_TYPE (KwbGitRepo, kwb_git_repo, KWB, GIT_REPO, GObject)

GQuark        kwb_git_repo_error_quark      (void);

char         *kwb_git_repo_redact_url       (const char              *url);

KwbGitRepo   *kwb_git_repo_open             (const char              *path,
                                             GError                 **error);
const char   *kwb_git_repo_get_path         (KwbGitRepo              *self);

char         *kwb_git_repo_dup_branch       (KwbGitRepo              *self);
KwbGitCommit *kwb_git_repo_dup_head         (KwbGitRepo              *self,
                                             GError                 **error);
char        **kwb_git_repo_list_changed_files (KwbGitRepo            *self,
                                             GError                 **error);
gboolean      kwb_git_repo_is_dirty         (KwbGitRepo              *self);
char        **kwb_git_repo_list_branches    (KwbGitRepo              *self,
                                             GError                 **error);
char        **kwb_git_repo_list_tags        (KwbGitRepo              *self,
                                             GError                 **error);
gboolean      kwb_git_repo_checkout         (KwbGitRepo              *self,
                                             const char              *revision,
                                             GError                 **error);

/* Compares the manifest of the kernel build in BUILD_DIR (KwbBuildManifest)
 * with the tree now. TRUE when the build is stale, with a sentence in
 * *reason. FALSE when it matches, or when the manifest has no source
 * commit (not built from a git tree; nothing to compare). */
gboolean      kwb_git_repo_is_build_stale   (KwbGitRepo              *self,
                                             const char              *build_dir,
                                             char                   **reason);

void          kwb_git_repo_clone_async      (const char              *url,
                                             const char              *destination,
                                             const char              *branch,
                                             KwbGitCloneProgressFunc  progress,
                                             gpointer                 progress_data,
                                             GDestroyNotify           progress_destroy,
                                             KwbGitAuthFunc           auth,
                                             gpointer                 auth_data,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
KwbGitRepo   *kwb_git_repo_clone_finish     (GAsyncResult            *result,
                                             GError                 **error);

G_END_DECLS
