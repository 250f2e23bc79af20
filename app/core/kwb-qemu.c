/* kwb-qemu.c — one qemu-system-x86_64 guest: serial PTY, QMP and GDB stub on private sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Safe by default: QEMU's "-s" is "-gdb tcp::1234", which listens on every
 * interface and lets anyone on the network drive the guest. We put the GDB
 * stub and QMP on unix sockets inside a fresh 0700 directory instead. Only
 * when asked (expose-tcp) is the stub offered on 127.0.0.1 at a free port.
 *
 * The serial console is a PTY we create (posix_openpt) and hand to QEMU by
 * its slave path: the GUI hosts the master in a VTE terminal, tests and kwb
 * read and write it (watch-console).
 *
 * QMP is JSON (json-glib): replies and events parsed with JsonParser,
 * commands built with JsonBuilder. A watchdog keeps a QMP command in flight
 * while the guest lives: a QEMU that stops answering is killed with a reason
 * instead of leaving GDB waiting for a stop that never comes.
 *
 * Stopping is polite first: QMP "quit", then SIGTERM, then SIGKILL to the
 * whole process group. QEMU also dies with us (PR_SET_PDEATHSIG, kwb-spawn).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-qemu.h"
#include "kwb-spawn.h"

#define CONSOLE_TAIL_BYTES  8192
#define STDERR_TAIL_LINES   20
#define QMP_CONNECT_TIMEOUT_MS 15000
#define WATCHDOG_INTERVAL_MS 2500
#define QMP_REPLY_TIMEOUT_MS 5000
#define QUIT_GRACE_MS       3000
#define TERM_GRACE_MS       2000

struct _KwbQemu
{
  GObject        parent_instance;

  /* configuration */
  char          *binary;
  char          *kernel;
  char          *initrd;
  char          *append;
  guint          memory;
  guint          cpus;
  KwbQemuAccel   accel;
  gboolean       freeze;
  gboolean       expose_tcp;
  gboolean       watch_console;
  GStrv          extra_args;

  /* running state */
  GSubprocess   *process;
  GStrv          argv;
  char          *accelerator;
  char          *runtime_dir;
  char          *qmp_path;
  char          *gdb_path;
  guint          tcp_port;
  int            pty_master;
  char          *pty_path;
  GInputStream  *console_stream;
  GCancellable  *io_cancellable;
  GByteArray    *console_tail;
  GQueue        *stderr_tail;
  GSocketConnection *qmp;
  GDataInputStream  *qmp_in;
  GQueue        *qmp_pending;  /* GTask, answered in order */
  GTask         *start_task;
  GQueue        *stop_tasks;
  char          *binary_path;
  char          *accel_note;
  guint          connect_id;
  gint64         connect_deadline; /* monotonic µs: QMP and stub sockets by then */
  guint          watchdog_id;
  gint64         watchdog_last;    /* monotonic µs of the previous tick */
  char          *hang_reason;      /* set when we killed it for not answering */
  gboolean       term_sent;        /* stopping: quit ignored, SIGTERM sent */
  guint          stop_timeout_id;
  gboolean       stop_requested;
  gboolean       exited;
};

G_DEFINE_FINAL_TYPE (KwbQemu, kwb_qemu, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-qemu-error-quark, kwb_qemu_error)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_ACCELERATOR,
  N_PROPS
};

enum {
  CONSOLE_OUTPUT,
  EXITED,
  QMP_EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean kvm_failed_here;

static void qmp_read_next (KwbQemu *self);
static void process_exited_cb (GObject *object, GAsyncResult *result, gpointer user_data);
static void stderr_line_cb (GObject *object, GAsyncResult *result, gpointer user_data);
static gboolean try_connect_qmp (gpointer user_data);
static gboolean retry_with_tcg (KwbQemu *self, const char *reason);

gboolean
kwb_qemu_kvm_usable (void)
{
  int fd = open ("/dev/kvm", O_RDWR | O_CLOEXEC);

  if (fd < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

/* Whether a guest makes progress under KVM here. /dev/kvm opening is not
 * enough: under some nested hypervisors QEMU aborts on an MSR, and under
 * others the vCPU stalls silently inside the firmware (SeaBIOS stops after
 * "Scan for VGA option rom"), so a kernel never reaches start_kernel. The
 * probe boots the firmware alone with its debug port on stdout and waits
 * for it to finish POST; the answer is kept per host boot and QEMU binary,
 * so only the first session after a reboot pays for it (well under a second
 * where KVM works). */
#define KVM_PROBE_TIMEOUT_MS 4000

static char *
kvm_probe_cache_key (const char *qemu_path)
{
  g_autofree char *boot_id = NULL;
  struct stat st;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &boot_id, NULL, NULL) ||
      stat (qemu_path, &st) != 0)
    return NULL;
  return g_strdup_printf ("%s %s %lld", g_strstrip (boot_id), qemu_path, (long long) st.st_mtime);
}

static char *
kvm_probe_cache_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "kernel-workbench", "kvm-probe", NULL);
}

static gboolean
kvm_probe_run (const char  *qemu_path,
               char       **why)
{
  const char *argv[] = { qemu_path, "-nodefaults", "-no-user-config", "-display", "none",
                         "-no-reboot", "-accel", "kvm", "-cpu", "host", "-m", "32",
                         "-chardev", "stdio,id=probe", "-device", "isa-debugcon,iobase=0x402,chardev=probe",
                         NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + KVM_PROBE_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  GInputStream *out;
  gboolean done = FALSE;
  int fd;

  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  if ((process = kwb_spawn (launcher, argv, "qemu-system-x86", &error)) == NULL)
    {
      *why = g_strdup (error->message);
      return FALSE;
    }
  out = g_subprocess_get_stdout_pipe (process);
  fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (out));

  /* SeaBIOS ends POST with its boot attempts; with no disk it says which
   * device it tries. Any of those lines means the vCPU ran the firmware. */
  while (!done)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      char buf[4096];
      gssize n;

      if (left <= 0 || poll (&pfd, 1, (int) left) <= 0)
        break;
      if ((n = read (fd, buf, sizeof buf)) <= 0)
        break;
      g_string_append_len (seen, buf, n);
      done = strstr (seen->str, "Booting from") != NULL || strstr (seen->str, "No bootable device") != NULL;
      if (seen->len > 1024 * 1024)
        break;
    }

  kwb_spawn_kill_group (process, SIGKILL);
  g_subprocess_wait (process, NULL, NULL);
  if (!done)
    *why = g_strdup (seen->len == 0 ? _("QEMU ended or printed nothing under KVM")
                                    : _("the guest's firmware stalled under KVM"));
  return done;
}

static gboolean
kvm_runs_guests (const char  *qemu_path,
                 char       **why)
{
  g_autofree char *key = kvm_probe_cache_key (qemu_path);
  g_autofree char *cache = kvm_probe_cache_path ();
  g_autofree char *contents = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *line = NULL;
  gboolean works;

  if (key != NULL && g_file_get_contents (cache, &contents, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (contents, "\n", 3);

      if (g_strv_length (lines) >= 2 && g_str_equal (lines[0], key))
        {
          works = g_str_equal (lines[1], "yes");
          if (!works)
            *why = g_strdup (lines[2] && *lines[2] ? lines[2] : lines[1]);
          return works;
        }
    }

  works = kvm_probe_run (qemu_path, &reason);
  if (key != NULL)
    {
      dir = g_path_get_dirname (cache);
      line = g_strdup_printf ("%s\n%s\n%s\n", key, works ? "yes" : "no", reason ? reason : "");
      if (g_mkdir_with_parents (dir, 0700) == 0)
        g_file_set_contents (cache, line, -1, NULL);
    }
  if (!works)
    *why = g_steal_pointer (&reason);
  return works;
}

static void
kvm_probe_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  char *why = NULL;

  if (kvm_runs_guests (task_data, &why))
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_pointer (task, why, g_free);
}

static void
cleanup_runtime_dir (KwbQemu *self)
{
  if (self->runtime_dir == NULL)
    return;
  if (self->qmp_path)
    g_unlink (self->qmp_path);
  if (self->gdb_path)
    g_unlink (self->gdb_path);
  g_rmdir (self->runtime_dir);
  g_clear_pointer (&self->runtime_dir, g_free);
  g_clear_pointer (&self->qmp_path, g_free);
  g_clear_pointer (&self->gdb_path, g_free);
}

static void
fail_pending (KwbQemu    *self,
              const char *why)
{
  GTask *task;

  while (self->qmp_pending && (task = g_queue_pop_head (self->qmp_pending)) != NULL)
    {
      g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NOT_RUNNING, "%s", why);
      g_object_unref (task);
    }
}

static void
kwb_qemu_dispose (GObject *object)
{
  KwbQemu *self = (KwbQemu *) object;

  /* Never leave a guest behind when the object goes away. */
  if (self->process != NULL && !self->exited)
    kwb_spawn_kill_group (self->process, SIGKILL);

  if (self->io_cancellable)
    g_cancellable_cancel (self->io_cancellable);
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  g_clear_handle_id (&self->connect_id, g_source_remove);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  fail_pending (self, _("QEMU session closed"));
  g_clear_object (&self->qmp_in);
  g_clear_object (&self->qmp);
  g_clear_object (&self->console_stream);
  g_clear_object (&self->process);
  cleanup_runtime_dir (self);

  G_OBJECT_CLASS (kwb_qemu_parent_class)->dispose (object);
}

static void
kwb_qemu_finalize (GObject *object)
{
  KwbQemu *self = (KwbQemu *) object;

  if (self->pty_master >= 0)
    close (self->pty_master);
  g_free (self->binary);
  g_free (self->kernel);
  g_free (self->initrd);
  g_free (self->append);
  g_strfreev (self->extra_args);
  g_strfreev (self->argv);
  g_free (self->accelerator);
  g_free (self->binary_path);
  g_free (self->accel_note);
  g_free (self->qmp_path);
  g_free (self->gdb_path);
  g_free (self->pty_path);
  g_free (self->hang_reason);
  g_clear_object (&self->io_cancellable);
  g_byte_array_unref (self->console_tail);
  g_queue_free_full (self->stderr_tail, g_free);
  g_queue_free (self->qmp_pending);
  g_queue_free (self->stop_tasks);

  G_OBJECT_CLASS (kwb_qemu_parent_class)->finalize (object);
}

static void
kwb_qemu_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  KwbQemu *self = KWB_QEMU (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, kwb_qemu_get_running (self));
      break;
    case PROP_ACCELERATOR:
      g_value_set_string (value, self->accelerator);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_qemu_class_init (KwbQemuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_qemu_dispose;
  object_class->finalize = kwb_qemu_finalize;
  object_class->get_property = kwb_qemu_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCELERATOR] =
    g_param_spec_string ("accelerator", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KwbQemu::console-output:
   * @bytes: what the guest wrote to its serial console
   *
   * Only while watch-console is on (the default); the GUI turns it off and
   * reads the PTY master in its terminal instead.
   */
  signals[CONSOLE_OUTPUT] =
    g_signal_new ("console-output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);

  /**
   * KwbQemu::exited:
   * @requested: whether we asked it to stop
   * @reason: what happened, for the user (exit status, signal, QEMU's last error)
   */
  signals[EXITED] =
    g_signal_new ("exited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);

  /**
   * KwbQemu::qmp-event:
   * @name: the QMP event, e.g. STOP, RESUME, SHUTDOWN
   * @data: (nullable): its "data" member, usually an object
   */
  signals[QMP_EVENT] =
    g_signal_new ("qmp-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_NODE);
}

static void
kwb_qemu_init (KwbQemu *self)
{
  self->binary = g_strdup ("qemu-system-x86_64");
  self->memory = 1024;
  self->cpus = 2;
  self->accel = KWB_QEMU_ACCEL_AUTO;
  self->freeze = TRUE;
  self->watch_console = TRUE;
  self->pty_master = -1;
  self->console_tail = g_byte_array_new ();
  self->stderr_tail = g_queue_new ();
  self->qmp_pending = g_queue_new ();
  self->stop_tasks = g_queue_new ();
}

KwbQemu *
kwb_qemu_new (void)
{
  return g_object_new (KWB_TYPE_QEMU, NULL);
}

void
kwb_qemu_apply_project (KwbQemu    *self,
                        KwbProject *project)
{
  g_autofree char *binary = kwb_project_dup_string (project, "qemu", "binary");
  g_autofree char *accel = kwb_project_dup_string (project, "qemu", "accel");
  g_auto(GStrv) extra = kwb_project_dup_string_list (project, "qemu", "extra-args");

  kwb_qemu_set_binary (self, binary);
  kwb_qemu_set_memory (self, kwb_project_get_int (project, "qemu", "memory"));
  kwb_qemu_set_cpus (self, kwb_project_get_int (project, "qemu", "cpus"));
  kwb_qemu_set_freeze (self, kwb_project_get_boolean (project, "qemu", "freeze"));
  kwb_qemu_set_expose_tcp (self, kwb_project_get_boolean (project, "qemu", "expose-tcp"));
  kwb_qemu_set_extra_args (self, (const char * const *) extra);
  if (g_strcmp0 (accel, "kvm") == 0)
    kwb_qemu_set_accel (self, KWB_QEMU_ACCEL_KVM);
  else if (g_strcmp0 (accel, "tcg") == 0)
    kwb_qemu_set_accel (self, KWB_QEMU_ACCEL_TCG);
  else
    kwb_qemu_set_accel (self, KWB_QEMU_ACCEL_AUTO);
}

#define SETTER_STRING(name, field) \
  void kwb_qemu_set_##name (KwbQemu *self, const char *value) \
  { \
    g_return_if_fail (KWB_IS_QEMU (self)); \
    g_free (self->field); \
    self->field = (value && *value) ? g_strdup (value) : NULL; \
  }

SETTER_STRING (binary, binary)
SETTER_STRING (kernel, kernel)
SETTER_STRING (initrd, initrd)
SETTER_STRING (append, append)

void
kwb_qemu_set_memory (KwbQemu *self,
                     guint    mib)
{
  g_return_if_fail (KWB_IS_QEMU (self));
  self->memory = MAX (mib, 32);
}

void
kwb_qemu_set_cpus (KwbQemu *self,
                   guint    cpus)
{
  g_return_if_fail (KWB_IS_QEMU (self));
  self->cpus = MAX (cpus, 1);
}

void
kwb_qemu_set_accel (KwbQemu      *self,
                    KwbQemuAccel  accel)
{
  g_return_if_fail (KWB_IS_QEMU (self));
  self->accel = accel;
}

void
kwb_qemu_set_freeze (KwbQemu  *self,
                     gboolean  freeze)
{
  g_return_if_fail (KWB_IS_QEMU (self));
  self->freeze = !!freeze;
}

void
kwb_qemu_set_expose_tcp (KwbQemu  *self,
                         gboolean  expose)
{
  g_return_if_fail (KWB_IS_QEMU (self));
  self->expose_tcp = !!expose;
}

void
kwb_qemu_set_extra_args (KwbQemu            *self,
                         const char * const *args)
{
  g_return_if_fail (KWB_IS_QEMU (self));
  g_strfreev (self->extra_args);
  self->extra_args = g_strdupv ((char **) args);
}

void
kwb_qemu_set_watch_console (KwbQemu  *self,
                            gboolean  watch)
{
  g_return_if_fail (KWB_IS_QEMU (self));
  self->watch_console = !!watch;
}

/* ---- the serial console ---- */

static void
append_console_tail (KwbQemu      *self,
                     const guint8 *data,
                     gsize         len)
{
  g_byte_array_append (self->console_tail, data, len);
  if (self->console_tail->len > CONSOLE_TAIL_BYTES)
    g_byte_array_remove_range (self->console_tail, 0, self->console_tail->len - CONSOLE_TAIL_BYTES);
}

static void
console_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KwbQemu) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return; /* cancelled, or EIO once QEMU closed the slave */

  append_console_tail (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_signal_emit (self, signals[CONSOLE_OUTPUT], 0, bytes);

  if (self->console_stream != NULL && !g_cancellable_is_cancelled (self->io_cancellable))
    g_input_stream_read_bytes_async (self->console_stream, 4096, G_PRIORITY_DEFAULT,
                                     self->io_cancellable, console_read_cb, g_object_ref (self));
}

static gboolean
open_pty (KwbQemu  *self,
          GError  **error)
{
  char name[128];
  int fd;

  fd = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0 || grantpt (fd) != 0 || unlockpt (fd) != 0 || ptsname_r (fd, name, sizeof name) != 0)
    {
      int errsv = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_SETUP,
                   _("Cannot create a terminal for the serial console: %s"), g_strerror (errsv));
      return FALSE;
    }
  self->pty_master = fd;
  self->pty_path = g_strdup (name);
  return TRUE;
}

/* ---- QMP ---- */

/* MEMBER of OBJECT if it is a string, else NULL (QMP is outside input: a
 * member of another type must not trip json-glib's type checks). */
static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
qmp_handle_line (KwbQemu    *self,
                 const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonObject *msg;
  JsonNode *ret;
  JsonNode *err;
  const char *event;

  if (!json_parser_load_from_data (parser, line, -1, &error))
    {
      g_warning ("QMP sent something that is not JSON: %s", error->message);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  msg = json_node_get_object (json_parser_get_root (parser));

  if ((event = member_string (msg, "event")) != NULL)
    {
      g_signal_emit (self, signals[QMP_EVENT], 0, event, json_object_get_member (msg, "data"));
      return;
    }
  if (json_object_has_member (msg, "QMP"))
    return; /* greeting, handled by the capabilities negotiation queued first */

  ret = json_object_get_member (msg, "return");
  err = json_object_get_member (msg, "error");
  if (ret != NULL || err != NULL)
    {
      g_autoptr(GTask) task = g_queue_pop_head (self->qmp_pending);

      if (task == NULL)
        return;
      if (err != NULL)
        {
          const char *desc = JSON_NODE_HOLDS_OBJECT (err) ? member_string (json_node_get_object (err), "desc") : NULL;

          g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_QMP,
                                   _("QEMU refused the command: %s"), desc ? desc : "?");
        }
      else
        g_task_return_pointer (task, json_node_copy (ret), (GDestroyNotify) json_node_unref);
    }
}

static void
qmp_line_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KwbQemu) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, &error);
  if (line == NULL)
    {
      fail_pending (self, _("QEMU closed its QMP connection"));
      return;
    }
  qmp_handle_line (self, line);
  qmp_read_next (self);
}

static void
qmp_read_next (KwbQemu *self)
{
  if (self->qmp_in == NULL || g_cancellable_is_cancelled (self->io_cancellable))
    return;
  g_data_input_stream_read_line_async (self->qmp_in, G_PRIORITY_DEFAULT, self->io_cancellable,
                                       qmp_line_cb, g_object_ref (self));
}

static void
qmp_send (KwbQemu    *self,
          const char *command,
          JsonObject *arguments,
          GTask      *task)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 *sent;
  GOutputStream *out;
  gsize len;

  if (self->qmp == NULL || self->exited)
    {
      g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NOT_RUNNING,
                               _("QEMU is not running"));
      g_object_unref (task);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "execute");
  json_builder_add_string_value (builder, command);
  if (arguments != NULL)
    {
      JsonNode *node = json_node_init_object (json_node_alloc (), arguments);

      json_builder_set_member_name (builder, "arguments");
      json_builder_add_value (builder, node);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  /* QMP commands are tiny; a blocking write to a local socket is fine and
   * keeps requests in the order they were made. */
  out = g_io_stream_get_output_stream (G_IO_STREAM (self->qmp));
  if (!g_output_stream_write_all (out, text, len, NULL, NULL, &error) ||
      !g_output_stream_write_all (out, "\n", 1, NULL, NULL, &error))
    {
      g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NOT_RUNNING,
                               _("Cannot talk to QEMU: %s"), error->message);
      g_object_unref (task);
      return;
    }
  /* When it was sent, for the watchdog. */
  sent = g_new (gint64, 1);
  *sent = g_get_monotonic_time ();
  g_task_set_task_data (task, sent, g_free);
  g_queue_push_tail (self->qmp_pending, task);
}

/**
 * kwb_qemu_qmp_async:
 * @command: a QMP command, e.g. "query-status"
 * @arguments: (nullable): its "arguments" object
 *
 * Sends one QMP command; replies come in the order commands were sent.
 */
void
kwb_qemu_qmp_async (KwbQemu             *self,
                    const char          *command,
                    JsonObject          *arguments,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KWB_IS_QEMU (self));
  g_return_if_fail (command != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_qemu_qmp_async);
  qmp_send (self, command, arguments, task);
}

/* The reply's "return" member (an object for most commands). */
JsonNode *
kwb_qemu_qmp_finish (KwbQemu       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- watchdog ---- */

static void
ping_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(JsonNode) ret = kwb_qemu_qmp_finish (KWB_QEMU (object), result, NULL);
}

/* A QEMU that is stopped (SIGSTOP) or stuck answers neither QMP nor GDB, and
 * GDB would wait for its stop reply for ever. QMP is answered by QEMU's main
 * loop whether the guest runs or not, so a command left unanswered for
 * QMP_REPLY_TIMEOUT_MS means QEMU is gone for practical purposes: kill it and
 * say why, which ends the session like any other death of QEMU. When nothing
 * is pending, ask something cheap so there is a reply to wait for. (A slow
 * command, e.g. a synchronous dump-guest-memory, would need its async form.) */
static gboolean
watchdog_tick (gpointer user_data)
{
  KwbQemu *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 last = self->watchdog_last;
  gint64 *sent;
  GTask *oldest;

  if (self->exited || self->stop_requested || self->qmp == NULL)
    {
      self->watchdog_id = 0;
      return G_SOURCE_REMOVE;
    }
  self->watchdog_last = now;
  if ((oldest = g_queue_peek_head (self->qmp_pending)) == NULL)
    {
      kwb_qemu_qmp_async (self, "query-status", NULL, NULL, ping_cb, NULL);
      return G_SOURCE_CONTINUE;
    }
  /* A late tick means we did not run (stopped ourselves, or starved): the
   * answer may be waiting unread, so QEMU gets a fresh delay. */
  sent = g_task_get_task_data (oldest);
  if (last != 0 && now - last > 2 * WATCHDOG_INTERVAL_MS * G_TIME_SPAN_MILLISECOND)
    *sent = now;
  if (now - *sent < QMP_REPLY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND)
    return G_SOURCE_CONTINUE;

  g_free (self->hang_reason);
  self->hang_reason = g_strdup_printf (_("QEMU stopped responding: no answer on its control socket "
                                         "for %d s (was it stopped with SIGSTOP, or is it stuck?), "
                                         "so it was killed"),
                                       QMP_REPLY_TIMEOUT_MS / 1000);
  g_debug ("%s", self->hang_reason);
  kwb_spawn_kill_group (self->process, SIGKILL);
  self->watchdog_id = 0;
  return G_SOURCE_REMOVE;
}

/* ---- start ---- */

static char *
format_exit_reason (KwbQemu *self,
                    int      wait_status)
{
  g_autofree char *tail = kwb_qemu_dup_stderr_tail (self);
  g_autofree char *what = NULL;

  if (WIFSIGNALED (wait_status))
    what = g_strdup_printf (_("QEMU was killed by signal %d (%s)"),
                            WTERMSIG (wait_status), g_strsignal (WTERMSIG (wait_status)));
  else if (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0)
    what = g_strdup (_("QEMU exited (the guest shut down or rebooted; -no-reboot ends it)"));
  else
    what = g_strdup_printf (_("QEMU exited with status %d"), WEXITSTATUS (wait_status));

  if (tail != NULL && *tail != '\0')
    return g_strdup_printf ("%s: %s", what, tail);
  return g_steal_pointer (&what);
}

static void
process_exited_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KwbQemu) self = user_data;
  g_autofree char *reason = NULL;
  GTask *task;
  int status;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  status = g_subprocess_get_status (G_SUBPROCESS (object));
  self->exited = TRUE;

  /* Anything left in the group (nothing, normally) goes with it. */
  kwb_spawn_kill_group (G_SUBPROCESS (object), SIGKILL);

  reason = self->hang_reason != NULL ? g_strdup (self->hang_reason) : format_exit_reason (self, status);
  g_debug ("%s", reason);

  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  fail_pending (self, reason);
  cleanup_runtime_dir (self);

  if (self->start_task != NULL && retry_with_tcg (self, reason))
    return;

  if (self->start_task != NULL)
    {
      g_autoptr(GTask) start = g_steal_pointer (&self->start_task);

      g_task_return_new_error (start, KWB_QEMU_ERROR, KWB_QEMU_ERROR_START_FAILED,
                               _("QEMU did not start. %s"), reason);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[EXITED], 0, self->stop_requested, reason);

  while ((task = g_queue_pop_head (self->stop_tasks)) != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

static void
stderr_line_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KwbQemu) self = user_data;
  char *line;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, NULL);
  if (line == NULL)
    return;
  g_debug ("qemu: %s", line);
  g_queue_push_tail (self->stderr_tail, line);
  while (g_queue_get_length (self->stderr_tail) > STDERR_TAIL_LINES)
    g_free (g_queue_pop_head (self->stderr_tail));
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (object), G_PRIORITY_DEFAULT,
                                       self->io_cancellable, stderr_line_cb, g_object_ref (self));
}

static void
capabilities_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KwbQemu) self = user_data;
  g_autoptr(JsonNode) ret = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) start = NULL;

  ret = kwb_qemu_qmp_finish (self, result, &error);
  if (self->start_task == NULL)
    return; /* the process exit already failed it */
  start = g_steal_pointer (&self->start_task);
  if (ret == NULL)
    {
      kwb_qemu_kill (self);
      g_task_return_error (start, g_steal_pointer (&error));
      return;
    }

  if (self->watch_console)
    {
      self->console_stream = g_unix_input_stream_new (self->pty_master, FALSE);
      g_input_stream_read_bytes_async (self->console_stream, 4096, G_PRIORITY_DEFAULT,
                                       self->io_cancellable, console_read_cb, g_object_ref (self));
    }
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  self->watchdog_last = 0;
  self->watchdog_id = g_timeout_add (WATCHDOG_INTERVAL_MS, watchdog_tick, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_task_return_boolean (start, TRUE);
}

static gboolean
try_connect_qmp (gpointer user_data)
{
  KwbQemu *self = user_data;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;
  GTask *task;

  if (self->start_task == NULL)
    {
      self->connect_id = 0;
      return G_SOURCE_REMOVE;
    }

  /* QEMU opens the QMP socket early and the GDB stub's later: ready means
   * both are there. */
  if (!self->expose_tcp && !g_file_test (self->gdb_path, G_FILE_TEST_EXISTS) &&
      g_get_monotonic_time () < self->connect_deadline)
    return G_SOURCE_CONTINUE;

  client = g_socket_client_new ();
  address = g_unix_socket_address_new (self->qmp_path);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  if (connection == NULL)
    {
      if (g_get_monotonic_time () < self->connect_deadline)
        return G_SOURCE_CONTINUE;
      {
        g_autoptr(GTask) start = g_steal_pointer (&self->start_task);

        kwb_qemu_kill (self);
        g_task_return_new_error (start, KWB_QEMU_ERROR, KWB_QEMU_ERROR_START_FAILED,
                                 _("QEMU did not open its control socket within %d s: %s"),
                                 QMP_CONNECT_TIMEOUT_MS / 1000, error->message);
      }
      self->connect_id = 0;
      return G_SOURCE_REMOVE;
    }

  self->qmp = connection;
  self->qmp_in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (self->qmp_in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  qmp_read_next (self);

  task = g_task_new (self, NULL, capabilities_cb, g_object_ref (self));
  g_task_set_source_tag (task, kwb_qemu_qmp_async);
  qmp_send (self, "qmp_capabilities", NULL, task);
  self->connect_id = 0;
  return G_SOURCE_REMOVE;
}

static guint
find_free_tcp_port (void)
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

static gboolean
make_runtime_dir (KwbQemu  *self,
                  GError  **error)
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
      return FALSE;
    }
  template = g_build_filename (base, "kwb-XXXXXX", NULL);
  if (g_mkdtemp_full (template, 0700) == NULL)
    {
      int errsv = errno;

      g_set_error (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_SETUP,
                   _("Cannot create a private folder for QEMU's sockets in %s: %s"),
                   base, g_strerror (errsv));
      return FALSE;
    }
  chmod (template, 0700);
  self->runtime_dir = g_steal_pointer (&template);
  self->qmp_path = g_build_filename (self->runtime_dir, "qmp.sock", NULL);
  self->gdb_path = g_build_filename (self->runtime_dir, "gdb.sock", NULL);
  return TRUE;
}

/* QEMU's option syntax (key=value,key=value) takes a comma inside a value
 * as ",,": a path with a comma would otherwise end the value there. */
static char *
escape_option_value (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);

  return g_strjoinv (",,", parts);
}

static GStrv
build_argv (KwbQemu *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *mem = g_strdup_printf ("%u", self->memory);
  g_autofree char *smp = g_strdup_printf ("%u", self->cpus);
  g_autofree char *pty_path = escape_option_value (self->pty_path);
  g_autofree char *qmp_path = escape_option_value (self->qmp_path);
  g_autofree char *gdb_path = escape_option_value (self->gdb_path);
  g_autofree char *chardev = g_strdup_printf ("serial,id=console0,path=%s", pty_path);
  g_autofree char *qmp = g_strdup_printf ("unix:%s,server=on,wait=off", qmp_path);
  g_autofree char *gdb = NULL;
  gboolean kvm = g_str_equal (self->accelerator, "kvm");

  if (self->expose_tcp)
    gdb = g_strdup_printf ("tcp:127.0.0.1:%u", self->tcp_port);
  else
    gdb = g_strdup_printf ("unix:path=%s,server=on,wait=off", gdb_path);

  g_strv_builder_add_many (b, self->binary,
                           "-nodefaults", "-no-user-config",
                           "-display", "none",
                           "-no-reboot",
                           "-accel", kvm ? "kvm" : "tcg",
                           "-cpu", kvm ? "host" : "max",
                           "-m", mem,
                           "-smp", smp,
                           "-kernel", self->kernel,
                           NULL);
  if (self->initrd != NULL)
    g_strv_builder_add_many (b, "-initrd", self->initrd, NULL);
  g_strv_builder_add_many (b, "-append", self->append ? self->append : "console=ttyS0",
                           "-chardev", chardev,
                           "-serial", "chardev:console0",
                           "-qmp", qmp,
                           "-gdb", gdb,
                           NULL);
  if (self->freeze)
    g_strv_builder_add (b, "-S");
  if (self->extra_args != NULL)
    g_strv_builder_addv (b, (const char **) self->extra_args);
  return g_strv_builder_end (b);
}

/* Everything one QEMU process needs; run again (with TCG) when KVM is there
 * but QEMU cannot use it. */
static gboolean
spawn_qemu (KwbQemu  *self,
            GError  **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) err_lines = NULL;

  if (!make_runtime_dir (self, error) || !open_pty (self, error))
    return FALSE;
  if (self->expose_tcp && (self->tcp_port = find_free_tcp_port ()) == 0)
    {
      g_set_error (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_SETUP,
                   _("No free TCP port on 127.0.0.1 for the GDB stub"));
      return FALSE;
    }

  g_strfreev (self->argv);
  self->argv = build_argv (self);
  g_free (self->argv[0]);
  self->argv[0] = g_strdup (self->binary_path);

  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT |
                                     G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE);
  self->process = kwb_spawn (launcher, (const char * const *) self->argv, "qemu-system-x86", error);
  if (self->process == NULL)
    return FALSE;
  self->exited = FALSE;

  self->io_cancellable = g_cancellable_new ();
  err_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (self->process));
  g_data_input_stream_read_line_async (err_lines, G_PRIORITY_DEFAULT, self->io_cancellable,
                                       stderr_line_cb, g_object_ref (self));
  g_subprocess_wait_async (self->process, NULL, process_exited_cb, g_object_ref (self));

  self->connect_deadline = g_get_monotonic_time () + QMP_CONNECT_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  g_clear_handle_id (&self->connect_id, g_source_remove);
  self->connect_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 5, try_connect_qmp, g_object_ref (self), g_object_unref);
  return TRUE;
}

/* KVM present but unusable (seen here: nested virtualisation without the
 * MSRs QEMU wants, and QEMU aborts): in auto mode, start again under TCG and
 * say so, rather than fail. Remembered for the rest of this process. */
static gboolean
retry_with_tcg (KwbQemu    *self,
                const char *reason)
{
  g_autoptr(GError) error = NULL;

  if (self->accel != KWB_QEMU_ACCEL_AUTO || g_strcmp0 (self->accelerator, "kvm") != 0 ||
      self->stop_requested)
    return FALSE;

  kvm_failed_here = TRUE;
  g_free (self->accel_note);
  self->accel_note = g_strdup_printf (_("KVM is present but QEMU could not use it (%s); using TCG"), reason);
  g_debug ("%s", self->accel_note);

  if (self->io_cancellable)
    g_cancellable_cancel (self->io_cancellable);
  g_clear_object (&self->io_cancellable);
  g_clear_object (&self->process);
  if (self->pty_master >= 0)
    close (self->pty_master);
  self->pty_master = -1;
  g_clear_pointer (&self->pty_path, g_free);
  g_queue_foreach (self->stderr_tail, (GFunc) g_free, NULL);
  g_queue_clear (self->stderr_tail);
  g_free (self->accelerator);
  self->accelerator = g_strdup ("tcg");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCELERATOR]);

  if (!spawn_qemu (self, &error))
    {
      g_autoptr(GTask) start = g_steal_pointer (&self->start_task);

      g_task_return_error (start, g_steal_pointer (&error));
    }
  return TRUE;
}

static void
start_spawn (KwbQemu *self,
             GTask   *task)
{
  g_autoptr(GError) error = NULL;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCELERATOR]);
  self->start_task = task;
  if (!spawn_qemu (self, &error))
    {
      g_autoptr(GTask) start = g_steal_pointer (&self->start_task);

      g_task_return_error (start, g_steal_pointer (&error));
    }
}

static void
kvm_probe_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KwbQemu *self = KWB_QEMU (object);
  GTask *task = user_data;
  g_autofree char *why = g_task_propagate_pointer (G_TASK (result), NULL);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (self->stop_requested)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The guest was stopped before it started"));
      g_object_unref (task);
      return;
    }
  if (why == NULL)
    self->accelerator = g_strdup ("kvm");
  else
    {
      kvm_failed_here = TRUE;
      self->accelerator = g_strdup ("tcg");
      g_free (self->accel_note);
      self->accel_note = g_strdup_printf (_("KVM is present but QEMU could not use it (%s); using TCG"), why);
      g_debug ("%s", self->accel_note);
    }
  start_spawn (self, task);
}

void
kwb_qemu_start_async (KwbQemu             *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  g_return_if_fail (KWB_IS_QEMU (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_qemu_start_async);

  if (self->process != NULL)
    {
      g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_BUSY,
                               _("This guest was started already; create a new one"));
      return;
    }
  if ((found = kwb_spawn_find_program (self->binary, "qemu-system-x86", &error)) == NULL)
    {
      g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NOT_INSTALLED, "%s", error->message);
      return;
    }
  if (self->kernel == NULL || !g_file_test (self->kernel, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NO_KERNEL,
                               _("No kernel image at %s. Build the kernel first (kwb kernel build), "
                                 "or point the project at a bzImage."),
                               self->kernel ? self->kernel : _("(none set)"));
      return;
    }
  if (self->initrd != NULL && !g_file_test (self->initrd, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NO_INITRD,
                               _("No initramfs at %s. Build it first (kwb initramfs)."), self->initrd);
      return;
    }

  switch (self->accel)
    {
    case KWB_QEMU_ACCEL_KVM:
      if (!kwb_qemu_kvm_usable ())
        {
          g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_SETUP,
                                   _("KVM was asked for but /dev/kvm cannot be opened: "
                                     "add yourself to the kvm group, or set qemu.accel to auto"));
          return;
        }
      self->accelerator = g_strdup ("kvm");
      break;
    case KWB_QEMU_ACCEL_TCG:
      self->accelerator = g_strdup ("tcg");
      break;
    case KWB_QEMU_ACCEL_AUTO:
    default:
      if (kwb_qemu_kvm_usable () && !kvm_failed_here)
        {
          g_autoptr(GTask) probe = g_task_new (self, cancellable, kvm_probe_done_cb, g_steal_pointer (&task));

          g_task_set_source_tag (probe, kwb_qemu_start_async);
          g_task_set_task_data (probe, g_strdup (found), g_free);
          self->binary_path = g_steal_pointer (&found);
          g_task_run_in_thread (probe, kvm_probe_thread);
          return;
        }
      self->accelerator = g_strdup ("tcg");
      break;
    }

  self->binary_path = g_steal_pointer (&found);
  start_spawn (self, g_steal_pointer (&task));
}

gboolean
kwb_qemu_start_finish (KwbQemu       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- stop ---- */

static gboolean
stop_escalate (gpointer user_data)
{
  KwbQemu *self = user_data;

  self->stop_timeout_id = 0;
  if (self->exited || self->process == NULL)
    return G_SOURCE_REMOVE;

  if (!self->term_sent)
    {
      g_debug ("QEMU ignored quit; sending SIGTERM");
      kwb_spawn_kill_group (self->process, SIGTERM);
      self->term_sent = TRUE;
      self->stop_timeout_id = g_timeout_add (TERM_GRACE_MS, stop_escalate, self);
    }
  else
    {
      g_debug ("QEMU ignored SIGTERM; sending SIGKILL");
      kwb_spawn_kill_group (self->process, SIGKILL);
    }
  return G_SOURCE_REMOVE;
}

static void
quit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(JsonNode) ret = kwb_qemu_qmp_finish (KWB_QEMU (object), result, NULL);
}

void
kwb_qemu_stop_async (KwbQemu             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KWB_IS_QEMU (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_qemu_stop_async);

  if (self->process == NULL || self->exited)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_queue_push_tail (self->stop_tasks, g_steal_pointer (&task));
  if (self->stop_requested)
    return;
  self->stop_requested = TRUE;

  if (self->qmp != NULL)
    {
      kwb_qemu_qmp_async (self, "quit", NULL, NULL, quit_cb, NULL);
      self->stop_timeout_id = g_timeout_add (QUIT_GRACE_MS, stop_escalate, self);
    }
  else
    stop_escalate (self);
}

gboolean
kwb_qemu_stop_finish (KwbQemu       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kwb_qemu_kill (KwbQemu *self)
{
  g_return_if_fail (KWB_IS_QEMU (self));

  if (self->process != NULL && !self->exited)
    {
      self->stop_requested = TRUE;
      kwb_spawn_kill_group (self->process, SIGKILL);
    }
}

/* ---- accessors ---- */

gboolean
kwb_qemu_get_running (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), FALSE);
  return self->process != NULL && !self->exited && self->start_task == NULL && self->qmp != NULL;
}

const char *
kwb_qemu_get_accelerator (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), NULL);
  return self->accelerator;
}

/* Why the accelerator is not the one asked for, or NULL. */
const char *
kwb_qemu_get_accel_note (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), NULL);
  return self->accel_note;
}

const char *
kwb_qemu_get_runtime_dir (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), NULL);
  return self->runtime_dir;
}

const char *
kwb_qemu_get_gdb_socket (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), NULL);
  return self->expose_tcp ? NULL : self->gdb_path;
}

/* What GDB's "target remote" takes. */
char *
kwb_qemu_dup_gdb_target (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), NULL);
  if (self->expose_tcp)
    return g_strdup_printf ("127.0.0.1:%u", self->tcp_port);
  return g_strdup (self->gdb_path);
}

guint
kwb_qemu_get_tcp_port (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), 0);
  return self->tcp_port;
}

const char *
kwb_qemu_get_console_path (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), NULL);
  return self->pty_path;
}

int
kwb_qemu_get_console_fd (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), -1);
  return self->pty_master;
}

gboolean
kwb_qemu_console_write (KwbQemu     *self,
                        const char  *text,
                        gssize       length,
                        GError     **error)
{
  gsize len, done = 0;

  g_return_val_if_fail (KWB_IS_QEMU (self), FALSE);

  if (self->pty_master < 0 || self->exited)
    {
      g_set_error (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NOT_RUNNING, _("The guest is not running"));
      return FALSE;
    }
  len = length < 0 ? strlen (text) : (gsize) length;
  while (done < len)
    {
      gssize n = write (self->pty_master, text + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;

          g_set_error (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NOT_RUNNING,
                       _("Cannot write to the serial console: %s"), g_strerror (errsv));
          return FALSE;
        }
      done += n;
    }
  return TRUE;
}

/* The last lines the guest printed, for error reports ("failed: … last lines"). */
char *
kwb_qemu_dup_console_tail (KwbQemu *self,
                           guint    max_lines)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint n, first;

  g_return_val_if_fail (KWB_IS_QEMU (self), NULL);

  if (self->console_tail->len == 0)
    return g_strdup ("");
  text = g_utf8_make_valid ((const char *) self->console_tail->data, self->console_tail->len);
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  while (n > 0 && g_strstrip (lines[n - 1])[0] == '\0')
    n--;
  first = n > max_lines ? n - max_lines : 0;
  for (guint i = first; i < n; i++)
    {
      g_strchomp (lines[i]);
      g_string_append (out, lines[i]);
      if (i + 1 < n)
        g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
kwb_qemu_dup_stderr_tail (KwbQemu *self)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (KWB_IS_QEMU (self), NULL);

  for (GList *l = self->stderr_tail->head; l; l = l->next)
    {
      if (out->len)
        g_string_append (out, "; ");
      g_string_append (out, l->data);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

GPid
kwb_qemu_get_pid (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), 0);
  return self->process && !self->exited ? kwb_spawn_get_pid (self->process) : 0;
}

char **
kwb_qemu_dup_argv (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), NULL);
  return g_strdupv (self->argv);
}
