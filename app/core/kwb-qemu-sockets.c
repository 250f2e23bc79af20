/* kwb-qemu-sockets.c — where QEMU's control and GDB sockets live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * QEMU's "-s" listens on every interface; KwbQemu puts QMP and the GDB
 * stub on unix sockets in a private folder made here instead, and asks for
 * a free loopback port only when the stub is to be offered over TCP. Apart
 * from kwb-qemu.c because it is host plumbing with no QEMU state.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-qemu.h"
#include "kwb-qemu-private.h"

/* A free port on 127.0.0.1 for a GDB stub offered over TCP (expose-tcp),
 * or 0. */
guint
kwb_qemu_find_free_tcp_port (void)
{
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  guint port = 0;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return 0;
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0 &&
      getsockname (fd, (struct sockaddr *) &addr, &len) == 0)
    port = ntohs (addr.sin_port);
  close (fd);
  return port;
}

/* A unix socket path must fit sockaddr_un.sun_path (108 bytes with its NUL). */
static gboolean
socket_dir_fits (const char *base)
{
  struct sockaddr_un addr;

  return base != NULL && g_file_test (base, G_FILE_TEST_IS_DIR) &&
         strlen (base) + strlen ("/kwb-XXXXXX/qmp.sock") < sizeof addr.sun_path;
}

/* A new 0700 folder for QEMU's sockets, whose socket paths fit sun_path. */
char *
kwb_qemu_make_socket_dir (GError **error)
{
  /* XDG_RUNTIME_DIR is per user and 0700 already; g_mkdtemp creates ours 0700
   * too, so the sockets inside are reachable by this user only. A base whose
   * socket paths would not fit sun_path (a long XDG_RUNTIME_DIR or TMPDIR)
   * gives way to a shorter one: the folder is as private anywhere. */
  const char *bases[] = { g_get_user_runtime_dir (), g_get_tmp_dir (), "/tmp" };
  const char *base = NULL;
  g_autofree char *template = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bases) && base == NULL; i++)
    if (socket_dir_fits (bases[i]))
      base = bases[i];
  if (base == NULL)
    {
      g_set_error (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_SETUP,
                   _("No folder for QEMU's sockets: %s is too long for a socket path and /tmp "
                     "cannot be used; set TMPDIR to a short folder"),
                   bases[0]);
      return NULL;
    }
  template = g_build_filename (base, "kwb-XXXXXX", NULL);
  if (g_mkdtemp_full (template, 0700) == NULL)
    {
      int errsv = errno;

      g_set_error (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_SETUP,
                   _("Cannot create a private folder for QEMU's sockets in %s: %s"),
                   base, g_strerror (errsv));
      return NULL;
    }
  chmod (template, 0700);
  return g_steal_pointer (&template);
}
