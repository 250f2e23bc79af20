/* kwb-qemu.c — one QEMU guest (x86-64, or an arm64 virt board): serial PTY, QMP and GDB stub on private sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Safe by default: QEMU's "-s" is "-gdb tcp::1234", which listens on every
 * interface and lets anyone on the network drive the guest. We put the GDB
 * stub and QMP on unix sockets inside a fresh 0700 directory instead. Only
 * when asked (expose-tcp) is the stub offered on 127.0.0.1 at a free port.
 * The folder and the port come from kwb-qemu-sockets.c.
 *
 * The serial console is a PTY we create (posix_openpt) and hand to QEMU by
 * its slave path: the GUI hosts the master in a VTE terminal, tests and kwb
 * read and write it (watch-console).
 *
 * QMP is spoken by KwbQmp (kwb-qmp.c); this file only waits for the sockets,
 * forwards commands and events, and turns QMP errors into KwbQemu ones. The
 * QMP watchdog keeps a command in flight while the guest lives: a QEMU that
 * stops answering is killed with a reason instead of leaving GDB waiting for
 * a stop that never comes. The KVM probe lives in kwb-kvm-probe.c.
 *
 * Record and replay (KwbQemuReplay, QEMU's -icount rr=) run one CPU under
 * TCG, with the console PTY handed over as a plain file (see open_pty)
 * and, while recording, typed input paced (see type_paced).
 *
 * At about 1400 lines this is one GObject whose parts (process, PTY,
 * start with its TCG fallback, stop) share the running state; splitting
 * it further would mean passing that state around.
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
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-console-window.h"
#include "kwb-kvm-probe.h"
#include "kwb-qemu.h"
#include "kwb-path-checks.h"
#include "kwb-qemu-private.h"
#include "kwb-qmp.h"
#include "kwb-spawn.h"

/* Above this, a recording's note says what guest memory costs a step back. */
#define RECORD_MEMORY_HINT_MIB 512
#define CONSOLE_TAIL_BYTES  8192
#define STDERR_TAIL_LINES   20
#define QMP_CONNECT_TIMEOUT_MS 15000
#define WATCHDOG_INTERVAL_MS 2500
#define QMP_REPLY_TIMEOUT_MS 5000
/* Replaying, QEMU's main loop can wait seconds for the replaying CPU (seen
 * over 5 s on a loaded machine while going backwards): a stuck replay is
 * still told from a slow one, later. */
#define REPLAY_QMP_REPLY_TIMEOUT_MS 120000
#define QUIT_GRACE_MS       3000
#define TERM_GRACE_MS       2000

struct _KwbQemu
{
  GObject        parent_instance;

  /* configuration */
  const KwbArch *arch;
  char          *binary;
  char          *kernel;
  char          *initrd;
  char          *firmware;      /* -bios; NULL: QEMU's default */
  char          *append;
  guint          memory;
  guint          cpus;
  KwbQemuAccel   accel;
  gboolean       freeze;
  gboolean       expose_tcp;
  gboolean       watch_console;
  GStrv          extra_args;
  KwbQemuReplay  replay;
  char          *replay_log;
  char          *replay_image;

  /* running state */
  GSubprocess   *process;
  GStrv          argv;
  char          *accelerator;
  char          *runtime_dir;
  char          *qmp_path;
  char          *gdb_path;
  guint          tcp_port;
  int            pty_master;
  int            pty_slave;       /* record/replay: held open, in raw mode */
  GByteArray    *typing;          /* record: console input, one byte per tick */
  guint          typing_id;
  gboolean       typing_echo;     /* the next byte waits for the guest's output */
  char          *pty_path;
  GInputStream  *console_stream;
  GCancellable  *io_cancellable;
  KwbConsoleWindow *console_tail;
  GQueue        *stderr_tail;
  KwbQmp        *qmp;
  GCancellable  *qmp_cancellable;  /* the connect; cancelled when QEMU goes */
  GTask         *start_task;
  GQueue        *stop_tasks;
  char          *binary_path;
  char          *accel_note;
  guint          connect_id;
  gint64         connect_deadline; /* monotonic µs: QMP and stub sockets by then */
  char          *hang_reason;      /* set when we killed it for not answering */
  guint64        hang_cpu_ticks;   /* record/replay: its CPU time when QMP last went unanswered */
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

static void process_exited_cb (GObject *object, GAsyncResult *result, gpointer user_data);
static void stderr_line_cb (GObject *object, GAsyncResult *result, gpointer user_data);
static gboolean wait_for_sockets (gpointer user_data);
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

static void
cleanup_runtime_dir (KwbQemu *self)
{
  if (self->runtime_dir == NULL)
    return;
  if (self->qmp_path)
    g_unlink (self->qmp_path);
  if (self->gdb_path)
    g_unlink (self->gdb_path);
  kwb_qemu_remove_socket_dir (self->runtime_dir);
  g_clear_pointer (&self->runtime_dir, g_free);
  g_clear_pointer (&self->qmp_path, g_free);
  g_clear_pointer (&self->gdb_path, g_free);
}

static void
close_qmp (KwbQemu    *self,
           const char *why)
{
  if (self->qmp_cancellable != NULL)
    g_cancellable_cancel (self->qmp_cancellable);
  g_clear_object (&self->qmp_cancellable);
  if (self->qmp != NULL)
    kwb_qmp_close (self->qmp, why);
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
  close_qmp (self, _("QEMU session closed"));
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
  if (self->pty_slave >= 0)
    close (self->pty_slave);
  g_clear_handle_id (&self->typing_id, g_source_remove);
  g_clear_pointer (&self->typing, g_byte_array_unref);
  g_free (self->binary);
  g_free (self->kernel);
  g_free (self->initrd);
  g_free (self->firmware);
  g_free (self->append);
  g_strfreev (self->extra_args);
  g_free (self->replay_log);
  g_free (self->replay_image);
  g_strfreev (self->argv);
  g_free (self->accelerator);
  g_free (self->binary_path);
  g_free (self->accel_note);
  g_free (self->qmp_path);
  g_free (self->gdb_path);
  g_free (self->pty_path);
  g_free (self->hang_reason);
  g_clear_object (&self->io_cancellable);
  kwb_console_window_free (self->console_tail);
  g_queue_free_full (self->stderr_tail, g_free);
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
  self->arch = kwb_arch_get_default ();
  self->binary = g_strdup (self->arch->qemu_binary);
  self->memory = 1024;
  self->cpus = 2;
  self->accel = KWB_QEMU_ACCEL_AUTO;
  self->freeze = TRUE;
  self->watch_console = TRUE;
  self->pty_master = -1;
  self->pty_slave = -1;
  self->console_tail = kwb_console_window_new (CONSOLE_TAIL_BYTES);
  self->stderr_tail = g_queue_new ();
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
  const KwbArch *arch = kwb_arch_for_project (project);
  g_autofree char *configured = kwb_project_dup_string (project, "qemu", "binary");
  g_autofree char *binary = kwb_arch_dup_qemu_binary (arch, configured);
  g_autofree char *accel = kwb_project_dup_string (project, "qemu", "accel");
  g_auto(GStrv) extra = kwb_project_dup_string_list (project, "qemu", "extra-args");

  kwb_qemu_set_arch (self, arch);
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
SETTER_STRING (firmware, firmware)
SETTER_STRING (append, append)

/* The guest's architecture: QEMU's machine, CPU and console, and whether
 * KVM can run it (only the host's own). Set the binary after it. */
void
kwb_qemu_set_arch (KwbQemu       *self,
                   const KwbArch *arch)
{
  g_return_if_fail (KWB_IS_QEMU (self));
  g_return_if_fail (arch != NULL);
  self->arch = arch;
}

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
kwb_qemu_set_replay (KwbQemu       *self,
                     KwbQemuReplay  mode,
                     const char    *log_file,
                     const char    *snapshot_image)
{
  g_return_if_fail (KWB_IS_QEMU (self));
  g_return_if_fail (mode == KWB_QEMU_REPLAY_NONE || (log_file != NULL && snapshot_image != NULL));
  self->replay = mode;
  g_free (self->replay_log);
  g_free (self->replay_image);
  self->replay_log = g_strdup (log_file);
  self->replay_image = g_strdup (snapshot_image);
}

KwbQemuReplay
kwb_qemu_get_replay (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), KWB_QEMU_REPLAY_NONE);
  return self->replay;
}

void
kwb_qemu_set_watch_console (KwbQemu  *self,
                            gboolean  watch)
{
  g_return_if_fail (KWB_IS_QEMU (self));
  self->watch_console = !!watch;
}

/* ---- the serial console ---- */

static void type_echoed (KwbQemu *self);

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

  kwb_console_window_append (self->console_tail, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_signal_emit (self, signals[CONSOLE_OUTPUT], 0, bytes);
  type_echoed (self);

  if (self->console_stream != NULL && !g_cancellable_is_cancelled (self->io_cancellable))
    g_input_stream_read_bytes_async (self->console_stream, 4096, G_PRIORITY_DEFAULT,
                                     self->io_cancellable, console_read_cb, g_object_ref (self));
}

/* What QEMU wrote just before it exited (a panic's last lines) may still be
 * in the PTY when its exit is seen: read it before anyone hears "exited". */
static void
drain_console (KwbQemu *self)
{
  struct pollfd pfd = { .fd = self->pty_master, .events = POLLIN };
  char buf[4096];
  gssize n;

  while (self->console_stream != NULL && poll (&pfd, 1, 0) == 1 && (pfd.revents & POLLIN) &&
         (n = read (self->pty_master, buf, sizeof buf)) > 0)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (buf, n);

      kwb_console_window_append (self->console_tail, buf, n);
      g_signal_emit (self, signals[CONSOLE_OUTPUT], 0, bytes);
    }
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

  /* Record and replay refuse QEMU's tty backend (it sets the line with
   * ioctls, which they cannot log): QEMU gets the terminal as a plain
   * file instead, so the raw mode that backend would set is set here. */
  if (self->replay != KWB_QEMU_REPLAY_NONE)
    {
      struct termios tio;

      if ((self->pty_slave = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 ||
          tcgetattr (self->pty_slave, &tio) != 0 ||
          (cfmakeraw (&tio), tcsetattr (self->pty_slave, TCSANOW, &tio)) != 0)
        {
          int errsv = errno;

          g_set_error (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_SETUP,
                       _("Cannot set up the terminal for the serial console: %s"), g_strerror (errsv));
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- QMP ---- */

/* KwbQemu's callers see KwbQemu errors: a refusal stays a refusal, and
 * anything else means QEMU is not there to answer. */
static GError *
qemu_error_from_qmp (const GError *error)
{
  if (g_error_matches (error, KWB_QMP_ERROR, KWB_QMP_ERROR_REFUSED))
    return g_error_new_literal (KWB_QEMU_ERROR, KWB_QEMU_ERROR_QMP, error->message);
  if (error->domain == KWB_QMP_ERROR)
    return g_error_new_literal (KWB_QEMU_ERROR, KWB_QEMU_ERROR_NOT_RUNNING, error->message);
  return g_error_copy (error);
}

static void
qmp_command_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *ret;

  ret = kwb_qmp_command_finish (KWB_QMP (object), result, &error);
  if (ret == NULL)
    g_task_return_error (task, qemu_error_from_qmp (error));
  else
    g_task_return_pointer (task, ret, (GDestroyNotify) json_node_unref);
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
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KWB_IS_QEMU (self));
  g_return_if_fail (command != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_qemu_qmp_async);
  if (self->qmp == NULL || self->exited)
    {
      g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NOT_RUNNING,
                               _("QEMU is not running"));
      return;
    }
  kwb_qmp_command_async (self->qmp, command, arguments, cancellable, qmp_command_cb, g_steal_pointer (&task));
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

static void
qmp_event_cb (KwbQmp     *qmp,
              const char *name,
              JsonNode   *data,
              KwbQemu    *self)
{
  g_signal_emit (self, signals[QMP_EVENT], 0, name, data);
}

/* A QEMU that is stopped (SIGSTOP) or stuck answers neither QMP nor GDB,
 * and GDB would wait for its stop reply for ever: kill it and say why,
 * which ends the session like any other death of QEMU. (A slow command,
 * e.g. a synchronous dump-guest-memory, would need its async form.) */
static guint
qmp_reply_timeout_ms (KwbQemu *self)
{
  return self->replay != KWB_QEMU_REPLAY_NONE ? REPLAY_QMP_REPLY_TIMEOUT_MS : QMP_REPLY_TIMEOUT_MS;
}

/* User and system time of the whole process, in clock ticks; 0 if unknown. */
static guint64
read_cpu_ticks (KwbQemu *self)
{
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (self->process == NULL || g_subprocess_get_identifier (self->process) == NULL)
    return 0;
  path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (self->process));
  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return 0;
  /* After "pid (comm)": state is field 3, utime 14, stime 15. */
  fields = g_strsplit (after + 2, " ", 14);
  if (g_strv_length (fields) < 14)
    return 0;
  return g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);
}

static void
qmp_stopped_responding_cb (KwbQmp  *qmp,
                           KwbQemu *self)
{
  if (self->exited || self->stop_requested)
    return;
  /* A replaying QEMU's main loop waits on the guest's CPU for as long as
   * the guest runs (going backwards replays from an earlier snapshot): QMP
   * goes unanswered while QEMU works. Only a QEMU that has also stopped
   * using the CPU is stuck. */
  if (self->replay != KWB_QEMU_REPLAY_NONE)
    {
      guint64 ticks = read_cpu_ticks (self);
      /* A second of CPU time in the whole wait is progress. */
      gboolean working = ticks > self->hang_cpu_ticks + (guint64) sysconf (_SC_CLK_TCK);

      self->hang_cpu_ticks = ticks;
      if (working)
        {
          g_debug ("QMP unanswered for %u s while the replaying QEMU works; waiting on",
                   qmp_reply_timeout_ms (self) / 1000);
          kwb_qmp_start_watchdog (qmp, WATCHDOG_INTERVAL_MS, qmp_reply_timeout_ms (self));
          return;
        }
    }
  g_free (self->hang_reason);
  self->hang_reason = g_strdup_printf (_("QEMU stopped responding: no answer on its control socket "
                                         "for %d s (was it stopped with SIGSTOP, or is it stuck?), "
                                         "so it was killed"),
                                       qmp_reply_timeout_ms (self) / 1000);
  g_debug ("%s", self->hang_reason);
  kwb_spawn_kill_group (self->process, SIGKILL);
}

gboolean
kwb_qemu_get_killed_for_hang (KwbQemu *self)
{
  g_return_val_if_fail (KWB_IS_QEMU (self), FALSE);
  return self->hang_reason != NULL && !self->exited;
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
  else if (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0 && self->replay == KWB_QEMU_REPLAY_PLAY)
    what = g_strdup (_("The replay reached the end of the recording"));
  else if (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0)
    what = g_strdup (_("QEMU exited (the guest shut down or rebooted; -no-reboot ends it)"));
  else
    what = g_strdup_printf (_("QEMU exited with status %d"), WEXITSTATUS (wait_status));

  if (tail != NULL && *tail != '\0')
    return g_strdup_printf ("%s: %s", what, tail);
  return g_steal_pointer (&what);
}

static void
sync_image_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    g_debug ("Could not sync %s: %s", path, g_strerror (errno));
  if (fd >= 0)
    close (fd);
  g_task_return_boolean (task, TRUE);
}

/* What a replay wrote to its image without flushes (see -drive), on the
 * disk; in a thread, since that can be a few hundred megabytes. */
static void
sync_replay_image (KwbQemu *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->replay != KWB_QEMU_REPLAY_PLAY || self->replay_image == NULL)
    return;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, sync_replay_image);
  g_task_set_task_data (task, g_strdup (self->replay_image), g_free);
  g_task_run_in_thread (task, sync_image_thread);
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
  close_qmp (self, reason);
  cleanup_runtime_dir (self);
  sync_replay_image (self);

  if (self->start_task != NULL && retry_with_tcg (self, reason))
    return;

  if (self->start_task != NULL)
    {
      g_autoptr(GTask) start = g_steal_pointer (&self->start_task);

      g_task_return_new_error (start, KWB_QEMU_ERROR, KWB_QEMU_ERROR_START_FAILED,
                               _("QEMU did not start. %s"), reason);
    }

  drain_console (self);
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
qmp_connected_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbQemu) self = user_data;
  g_autoptr(KwbQmp) qmp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) start = NULL;

  qmp = kwb_qmp_connect_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->start_task == NULL)
    return; /* QEMU went away meanwhile; its exit handled the start */
  start = g_steal_pointer (&self->start_task);
  if (qmp == NULL)
    {
      kwb_qemu_kill (self);
      if (g_error_matches (error, KWB_QMP_ERROR, KWB_QMP_ERROR_CONNECT))
        g_task_return_new_error (start, KWB_QEMU_ERROR, KWB_QEMU_ERROR_START_FAILED,
                                 _("QEMU did not open its control socket within %d s: %s"),
                                 QMP_CONNECT_TIMEOUT_MS / 1000, error->message);
      else
        g_task_return_error (start, qemu_error_from_qmp (error));
      return;
    }

  self->qmp = g_steal_pointer (&qmp);
  g_signal_connect_object (self->qmp, "event-received", G_CALLBACK (qmp_event_cb), self, 0);
  g_signal_connect_object (self->qmp, "stopped-responding", G_CALLBACK (qmp_stopped_responding_cb), self, 0);
  if (self->watch_console)
    {
      self->console_stream = g_unix_input_stream_new (self->pty_master, FALSE);
      g_input_stream_read_bytes_async (self->console_stream, 4096, G_PRIORITY_DEFAULT,
                                       self->io_cancellable, console_read_cb, g_object_ref (self));
    }
  kwb_qmp_start_watchdog (self->qmp, WATCHDOG_INTERVAL_MS, qmp_reply_timeout_ms (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_task_return_boolean (start, TRUE);
}

/* QEMU opens the QMP socket early and the GDB stub's later: ready means
 * both are there, so wait for the stub's before connecting. */
static gboolean
wait_for_sockets (gpointer user_data)
{
  KwbQemu *self = user_data;

  if (self->start_task == NULL)
    {
      self->connect_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (!self->expose_tcp && !g_file_test (self->gdb_path, G_FILE_TEST_EXISTS) &&
      g_get_monotonic_time () < self->connect_deadline)
    return G_SOURCE_CONTINUE;

  g_clear_object (&self->qmp_cancellable);
  self->qmp_cancellable = g_cancellable_new ();
  kwb_qmp_connect_async (self->qmp_path, self->connect_deadline, self->qmp_cancellable,
                         qmp_connected_cb, g_object_ref (self));
  self->connect_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
make_runtime_dir (KwbQemu  *self,
                  GError  **error)
{
  if ((self->runtime_dir = kwb_qemu_make_socket_dir (error)) == NULL)
    return FALSE;
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
  /* One socket per CPU: a kernel without ACPI (the fast profile) finds its
   * CPUs in the BIOS's MP table, which lists sockets, not cores; with
   * QEMU's default of cores in one socket it would boot on one CPU. */
  guint cpus = self->replay != KWB_QEMU_REPLAY_NONE ? 1 : self->cpus;
  g_autofree char *smp = g_strdup_printf ("%u,sockets=%u", cpus, cpus);
  g_autofree char *pty_path = escape_option_value (self->pty_path);
  g_autofree char *qmp_path = escape_option_value (self->qmp_path);
  g_autofree char *gdb_path = escape_option_value (self->gdb_path);
  g_autofree char *chardev = g_strdup_printf ("%s,id=console0,path=%s",
                                              self->replay != KWB_QEMU_REPLAY_NONE ? "pipe" : "serial", pty_path);
  g_autofree char *qmp = g_strdup_printf ("unix:%s,server=on,wait=off", qmp_path);
  g_autofree char *gdb = NULL;
  g_autofree char *default_append = NULL;
  gboolean kvm = g_str_equal (self->accelerator, "kvm");

  if (self->expose_tcp)
    gdb = g_strdup_printf ("tcp:127.0.0.1:%u", self->tcp_port);
  else
    gdb = g_strdup_printf ("unix:path=%s,server=on,wait=off", gdb_path);

  g_strv_builder_add_many (b, self->binary,
                           "-nodefaults", "-no-user-config",
                           "-display", "none",
                           "-no-reboot",
                           NULL);
  if (self->arch->qemu_machine != NULL)
    g_strv_builder_add_many (b, "-M", self->arch->qemu_machine, NULL);
  g_strv_builder_add_many (b, "-accel", kvm ? "kvm" : "tcg",
                           "-cpu", kvm ? "host" : self->arch->qemu_tcg_cpu,
                           "-m", mem,
                           "-smp", smp,
                           "-kernel", self->kernel,
                           NULL);
  if (self->initrd != NULL)
    g_strv_builder_add_many (b, "-initrd", self->initrd, NULL);
  /* The user's own -bios (qemu.extra-args) wins. */
  if (self->firmware != NULL &&
      (self->extra_args == NULL || !g_strv_contains ((const char * const *) self->extra_args, "-bios")))
    g_strv_builder_add_many (b, "-bios", self->firmware, NULL);
  if (self->append == NULL)
    default_append = g_strconcat ("console=", self->arch->console, NULL);
  g_strv_builder_add_many (b, "-append", self->append ? self->append : default_append,
                           "-chardev", chardev,
                           "-serial", "chardev:console0",
                           "-qmp", qmp,
                           "-gdb", gdb,
                           NULL);
  if (self->freeze)
    g_strv_builder_add (b, "-S");
  if (self->replay != KWB_QEMU_REPLAY_NONE)
    {
      g_autofree char *log = escape_option_value (self->replay_log);
      g_autofree char *image = escape_option_value (self->replay_image);
      /* The first snapshot ("init", taken at the start) is what every step
       * backwards replays forward from; QEMU keeps it in the drive named
       * "rr", which no device uses. */
      g_autofree char *icount = g_strdup_printf ("shift=auto,rr=%s,rrfile=%s,rrsnapshot=init",
                                                 self->replay == KWB_QEMU_REPLAY_RECORD ? "record" : "replay",
                                                 log);
      /* A replay's savevm adds snapshots to the image, and each one's flush
       * cost about a second, most of a savevm: a replay leaves the flushes
       * to the page cache (cache=unsafe) and syncs the image once QEMU has
       * exited (sync_replay_image()). A recording keeps them: its "init"
       * snapshot is what every replay of it starts from. */
      g_autofree char *drive = g_strdup_printf ("file=%s,if=none,id=rr,format=qcow2%s", image,
                                                self->replay == KWB_QEMU_REPLAY_PLAY ? ",cache=unsafe" : "");

      g_strv_builder_add_many (b, "-icount", icount, "-drive", drive, NULL);
      if (self->arch->qemu_replay_args != NULL)
        g_strv_builder_addv (b, (const char **) self->arch->qemu_replay_args);
    }
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
  if (self->expose_tcp && (self->tcp_port = kwb_qemu_find_free_tcp_port ()) == 0)
    {
      g_set_error (error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_SETUP,
                   _("No free TCP port on 127.0.0.1 for the GDB stub"));
      return FALSE;
    }

  g_strfreev (self->argv);
  self->argv = build_argv (self);
  g_free (self->argv[0]);
  self->argv[0] = g_strdup (self->binary_path);
  {
    g_autofree char *command = g_strjoinv (" ", self->argv);

    g_debug ("QEMU: %s", command);
  }

  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT |
                                     G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE);
  self->process = kwb_spawn (launcher, (const char * const *) self->argv, self->arch->qemu_package, error);
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
  self->connect_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 5, wait_for_sockets, g_object_ref (self), g_object_unref);
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
  g_clear_object (&self->qmp);
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
  GTask *task = user_data;
  KwbQemu *self = g_task_get_source_object (task);
  g_autofree char *why = NULL;

  kwb_kvm_probe_finish (result, &why);

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
  if ((found = kwb_spawn_find_program (self->binary, self->arch->qemu_package, &error)) == NULL)
    {
      g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NOT_INSTALLED, "%s", error->message);
      return;
    }
  /* QEMU would wait forever reading a pipe given as either file. */
  if ((self->kernel != NULL && !kwb_path_check_regular_file (self->kernel, NULL, &error)) ||
      (self->initrd != NULL && !kwb_path_check_regular_file (self->initrd, NULL, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->kernel == NULL || !g_file_test (self->kernel, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NO_KERNEL,
                               _("No kernel image at %s. Build the kernel first (kwb kernel build), "
                                 "or point the project at a bzImage (arm64: an Image)."),
                               self->kernel ? self->kernel : _("(none set)"));
      return;
    }
  if (self->initrd != NULL && !g_file_test (self->initrd, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_NO_INITRD,
                               _("No initramfs at %s. Build it first (kwb initramfs)."), self->initrd);
      return;
    }

  /* Record and replay count instructions, which only TCG can. */
  if (self->replay != KWB_QEMU_REPLAY_NONE)
    {
      self->accelerator = g_strdup ("tcg");
      g_free (self->accel_note);
      self->accel_note = g_strdup (self->replay == KWB_QEMU_REPLAY_RECORD
                                   ? _("Recording: QEMU runs the guest under TCG on one CPU, counting instructions")
                                   : _("Replaying a recording: under TCG on one CPU, as it was recorded"));
      /* QEMU saves and loads all of the guest's memory with each snapshot:
       * measured, loading one took about 0.3 s at 1024 MiB and 0.09 s at
       * 256, and a single step back loads one. */
      if (self->replay == KWB_QEMU_REPLAY_RECORD && self->memory > RECORD_MEMORY_HINT_MIB)
        {
          g_autofree char *note = g_steal_pointer (&self->accel_note);

          self->accel_note = g_strdup_printf (_("%s. Each step back in a replay loads a snapshot of all %u MiB of "
                                                "guest memory: a smaller qemu.memory (256 is plenty for a BusyBox "
                                                "initramfs) makes steps back several times quicker"),
                                              note, self->memory);
        }
      self->binary_path = g_steal_pointer (&found);
      start_spawn (self, g_steal_pointer (&task));
      return;
    }

  /* KVM runs guests of the host's own architecture only. */
  if (!kwb_arch_is_native (self->arch))
    {
      if (self->accel == KWB_QEMU_ACCEL_KVM)
        {
          g_task_return_new_error (task, KWB_QEMU_ERROR, KWB_QEMU_ERROR_SETUP,
                                   _("KVM was asked for, but it runs only guests of this machine’s own "
                                     "architecture, and this guest is %s: set qemu.accel to auto or tcg"),
                                   self->arch->label);
          return;
        }
      self->accelerator = g_strdup ("tcg");
      if (kwb_qemu_kvm_usable ())
        {
          g_free (self->accel_note);
          self->accel_note = g_strdup_printf (_("KVM runs only guests of this machine’s own architecture, "
                                                "and this guest is %s; using TCG"), self->arch->label);
        }
      self->binary_path = g_steal_pointer (&found);
      start_spawn (self, g_steal_pointer (&task));
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
          kwb_kvm_probe_async (found, self->kernel, cancellable, kvm_probe_done_cb, g_steal_pointer (&task));
          self->binary_path = g_steal_pointer (&found);
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

/* While recording, QEMU hands console input to the guest's UART as it
 * arrives, not as the UART's one-byte buffer frees: a line written at once
 * loses characters ("input overrun"). Typed at about a fast typist's pace
 * instead; a person at the terminal is slower anyway. A pace alone still
 * lost characters on a busy host, where the guest's CPU thread got too
 * little time to read them: when the console is read here (watch-console),
 * each byte also waits for the guest's echo of the one before (any output;
 * TYPING_ECHO_WAIT_MS at most, for input the guest does not echo). */
#define TYPING_INTERVAL_MS  10
#define TYPING_ECHO_WAIT_MS 1000

static gboolean type_next (gpointer user_data);

static void
type_later (KwbQemu *self,
            guint    ms)
{
  g_clear_handle_id (&self->typing_id, g_source_remove);
  self->typing_id = g_timeout_add (ms, type_next, self);
}

static gboolean
type_next (gpointer user_data)
{
  KwbQemu *self = user_data;
  gboolean wrote;

  self->typing_id = 0;
  self->typing_echo = FALSE;
  if (self->typing->len == 0 || self->pty_master < 0 || self->exited)
    {
      g_byte_array_set_size (self->typing, 0);
      return G_SOURCE_REMOVE;
    }
  wrote = write (self->pty_master, self->typing->data, 1) == 1;
  if (wrote)
    g_byte_array_remove_index (self->typing, 0);
  if (self->typing->len == 0)
    return G_SOURCE_REMOVE;
  self->typing_echo = wrote && self->console_stream != NULL;
  type_later (self, self->typing_echo ? TYPING_ECHO_WAIT_MS : TYPING_INTERVAL_MS);
  return G_SOURCE_REMOVE;
}

/* The guest wrote: the byte typed last arrived. */
static void
type_echoed (KwbQemu *self)
{
  if (!self->typing_echo)
    return;
  self->typing_echo = FALSE;
  type_later (self, TYPING_INTERVAL_MS);
}

static void
type_paced (KwbQemu    *self,
            const char *text,
            gsize       len)
{
  if (self->typing == NULL)
    self->typing = g_byte_array_new ();
  g_byte_array_append (self->typing, (const guint8 *) text, len);
  if (self->typing_id == 0)
    type_later (self, TYPING_INTERVAL_MS);
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
  if (self->replay == KWB_QEMU_REPLAY_RECORD)
    {
      type_paced (self, text, len);
      return TRUE;
    }
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
  g_return_val_if_fail (KWB_IS_QEMU (self), NULL);

  return kwb_console_window_dup_last_lines (self->console_tail, max_lines);
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
