/* kwb-git-auth-request.c — a git server's question for a user name and password, and its answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libgit2 asks for credentials on the clone's worker thread, but only the
 * main thread may show a dialog. The clone makes one of these, hands it to
 * the caller's KwbGitAuthFunc in the caller's main context, and blocks in
 * kwb_git_auth_request_wait() until the caller replies or cancels, or the
 * clone's cancellable fires (closing the window must not leave the thread
 * waiting forever). The URL it shows never carries the user's secrets:
 * the clone gives it the address without its userinfo.
 */
#include "config.h"

#include <string.h>

#include "kwb-git-auth-request-private.h"

typedef enum {
  STATE_PENDING,
  STATE_REPLIED,
  STATE_CANCELLED,
} State;

struct _KwbGitAuthRequest
{
  GObject  parent_instance;

  char    *url;
  char    *host;
  char    *username;

  GMutex   lock;
  GCond    cond;
  State    state;
  char    *reply_username;
  char    *reply_password;
};

G_DEFINE_FINAL_TYPE (KwbGitAuthRequest, kwb_git_auth_request, G_TYPE_OBJECT)

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
kwb_git_auth_request_finalize (GObject *object)
{
  KwbGitAuthRequest *self = KWB_GIT_AUTH_REQUEST (object);

  g_free (self->url);
  g_free (self->host);
  g_free (self->username);
  g_free (self->reply_username);
  clear_secret (&self->reply_password);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (kwb_git_auth_request_parent_class)->finalize (object);
}

static void
kwb_git_auth_request_class_init (KwbGitAuthRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_git_auth_request_finalize;
}

static void
kwb_git_auth_request_init (KwbGitAuthRequest *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

KwbGitAuthRequest *
kwb_git_auth_request_new (const char *url,
                          const char *host,
                          const char *username)
{
  KwbGitAuthRequest *self = g_object_new (KWB_TYPE_GIT_AUTH_REQUEST, NULL);

  self->url = g_strdup (url);
  self->host = g_strdup (host);
  self->username = g_strdup (username);
  return self;
}

/* The repository's address, without any user name or password. */
const char *
kwb_git_auth_request_get_url (KwbGitAuthRequest *self)
{
  g_return_val_if_fail (KWB_IS_GIT_AUTH_REQUEST (self), NULL);
  return self->url;
}

const char *
kwb_git_auth_request_get_host (KwbGitAuthRequest *self)
{
  g_return_val_if_fail (KWB_IS_GIT_AUTH_REQUEST (self), NULL);
  return self->host;
}

/* The user name the address named (to fill in), or NULL. */
const char *
kwb_git_auth_request_get_username (KwbGitAuthRequest *self)
{
  g_return_val_if_fail (KWB_IS_GIT_AUTH_REQUEST (self), NULL);
  return self->username;
}

static void
settle (KwbGitAuthRequest *self,
        State              state,
        const char        *username,
        const char        *password)
{
  g_mutex_lock (&self->lock);
  if (self->state == STATE_PENDING)
    {
      self->state = state;
      self->reply_username = g_strdup (username);
      self->reply_password = g_strdup (password);
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);
}

/* Once: a later reply or cancel is ignored. */
void
kwb_git_auth_request_reply (KwbGitAuthRequest *self,
                            const char        *username,
                            const char        *password)
{
  g_return_if_fail (KWB_IS_GIT_AUTH_REQUEST (self));
  g_return_if_fail (username != NULL && password != NULL);
  settle (self, STATE_REPLIED, username, password);
}

void
kwb_git_auth_request_cancel (KwbGitAuthRequest *self)
{
  g_return_if_fail (KWB_IS_GIT_AUTH_REQUEST (self));
  settle (self, STATE_CANCELLED, NULL, NULL);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  kwb_git_auth_request_cancel (user_data);
}

/* Worker thread: TRUE with the reply, FALSE when cancelled either way. */
gboolean
kwb_git_auth_request_wait (KwbGitAuthRequest  *self,
                           GCancellable       *cancellable,
                           char              **username,
                           char              **password)
{
  gulong handler = 0;
  gboolean replied;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
  g_mutex_lock (&self->lock);
  while (self->state == STATE_PENDING)
    g_cond_wait (&self->cond, &self->lock);
  replied = self->state == STATE_REPLIED;
  if (replied)
    {
      *username = g_steal_pointer (&self->reply_username);
      *password = g_steal_pointer (&self->reply_password);
    }
  g_mutex_unlock (&self->lock);
  g_cancellable_disconnect (cancellable, handler);
  return replied;
}
