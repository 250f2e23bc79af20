/* kwb-git-url.c — the credentials in a clone address: hidden, and taken apart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A clone address may carry a user name and a password or token
 * (https://user:token@host/…). Everything that shows, logs or stores an
 * address goes through kwb_git_repo_redact_url(); the clone takes the
 * credentials apart with kwb_git_url_credentials() and hands them to
 * libgit2 itself. Kept apart from the repository object because it is
 * pure text handling, tested on its own against many address shapes.
 */
#include "config.h"

#include <string.h>

#include "kwb-git-repo.h"
#include "kwb-git-url-private.h"

/* Where the userinfo of URL is, if it has one: URL[auth, at) is the
 * userinfo, URL[at + 1, host_end) the host (and port). Two shapes carry one:
 * "scheme://userinfo@host/…" (the authority ends at the first '/', '?' or
 * '#', and its userinfo at the last '@' in it, since a password may hold an
 * '@'), and scp-like "user@host:path". In the ssh shapes the user name is
 * a login name, not a secret, and is kept (ssh and git print it too); only
 * a ":password" after it is. Elsewhere a lone name is redacted as well: a
 * token is often given as the user name (https://TOKEN@host/…). */
typedef struct {
  gsize    auth;
  gsize    at;
  gsize    host_end;
  gboolean keep_user;
} UrlParts;

static gboolean
url_parts (const char *url,
           UrlParts   *p)
{
  const char *sep = strstr (url, "://");
  const char *auth;
  const char *end;
  const char *at = NULL;

  if (sep != NULL)
    {
      g_autofree char *scheme = g_ascii_strdown (url, sep - url);

      if (sep == url)
        return FALSE;
      for (const char *c = url; c < sep; c++)
        if (!g_ascii_isalnum (*c) && *c != '+' && *c != '-' && *c != '.')
          return FALSE;
      auth = sep + 3;
      end = auth + strcspn (auth, "/?#");
      p->keep_user = g_str_equal (scheme, "ssh") || g_str_equal (scheme, "git+ssh") ||
                     g_str_equal (scheme, "ssh+git");
    }
  else
    {
      auth = url;
      end = url + strcspn (url, "/");
      p->keep_user = TRUE;
    }
  for (const char *c = auth; c < end; c++)
    if (*c == '@')
      at = c;
  if (at == NULL)
    return FALSE;
  if (sep == NULL)
    {
      /* scp-like only when "host:path" follows; "a@b/c" is a local path. */
      const char *colon = strchr (at, ':');

      if (colon == NULL || colon >= end)
        return FALSE;
      end = colon;
    }
  p->auth = auth - url;
  p->at = at - url;
  p->host_end = end - url;
  return TRUE;
}

/**
 * kwb_git_repo_redact_url:
 * @url: an address as the user typed it, or a local path
 *
 * @url without the secrets of its userinfo: what may be printed, shown,
 * logged or stored. https://user:token@host/r.git and https://token@host/r.git
 * become https://host/r.git; ssh://user:pw@host/r.git becomes
 * ssh://user@host/r.git; git@host:r.git and local paths are unchanged.
 */
char *
kwb_git_repo_redact_url (const char *url)
{
  UrlParts p;
  const char *colon;

  g_return_val_if_fail (url != NULL, NULL);

  if (!url_parts (url, &p))
    return g_strdup (url);
  if (!p.keep_user)
    return g_strdup_printf ("%.*s%s", (int) p.auth, url, url + p.at + 1);
  colon = memchr (url + p.auth, ':', p.at - p.auth);
  if (colon == NULL)
    return g_strdup (url);
  return g_strdup_printf ("%.*s%s", (int) (colon - url), url, url + p.at);
}

/* The user name and password of URL's userinfo, percent-decoded (either
 * may be NULL), and its host. */
void
kwb_git_url_credentials (const char  *url,
                         char       **user,
                         char       **password,
                         char       **host)
{
  UrlParts p;
  const char *colon;

  *user = *password = *host = NULL;
  if (!url_parts (url, &p))
    {
      if (strstr (url, "://") != NULL)
        {
          const char *auth = strstr (url, "://") + 3;

          *host = g_strndup (auth, strcspn (auth, "/?#"));
        }
      return;
    }
  *host = g_strndup (url + p.at + 1, p.host_end - p.at - 1);
  colon = memchr (url + p.auth, ':', p.at - p.auth);
  *user = g_uri_unescape_segment (url + p.auth, colon ? colon : url + p.at, NULL);
  if (colon != NULL)
    *password = g_uri_unescape_segment (colon + 1, url + p.at, NULL);
  /* Not valid percent-encoding: use it as typed. */
  if (*user == NULL)
    *user = g_strndup (url + p.auth, (colon ? colon : url + p.at) - (url + p.auth));
  if (colon != NULL && *password == NULL)
    *password = g_strndup (colon + 1, url + p.at - colon - 1);
}
