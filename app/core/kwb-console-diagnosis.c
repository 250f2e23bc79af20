/* kwb-console-diagnosis.c — recognises the classic boot failures in the serial console
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The manual way's first boots fail in four well-known ways, each with a
 * message that does not say what to do: no initramfs ("VFS: Unable to mount
 * root fs"), an rcS writing a hotplug file the kernel does not have, a
 * BusyBox that cannot run as init ("No working init found"), and a console=
 * that names no port of the machine (nothing at all). A kernel without
 * CONFIG_BLOCK (the fast profile's) never mounts a root disk: without an
 * initramfs it ends in "No working init found" too, and what tells the two
 * apart is whether an initramfs was unpacked and whether an init from it
 * failed to execute. The CLI (kwb boot,
 * kwb debug) feeds the bytes KwbQemu reads; the GUI feeds what its terminal
 * shows. Both tell it whether the guest runs, so that time spent halted in
 * GDB never counts as silence. ::diagnosed is emitted once per kind.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-console-diagnosis.h"
#include "kwb-enums.h"

/* Longer lines are cut: every message we look for is near a line's start. */
#define MAX_LINE 4096

struct _KwbConsoleDiagnosis
{
  GObject   parent_instance;

  GString  *line;
  gboolean  line_cut;
  guint     found;          /* bit per KwbConsoleProblem */
  gboolean  seen_output;
  gboolean  seen_initramfs; /* "Unpacking initramfs..." */
  gboolean  seen_exec_failure; /* "Failed to execute /linuxrc (error -2)" */
  gboolean  running;
  guint     silence_ms;
  gint64    running_us;     /* running time before the current stretch */
  gint64    running_since;  /* monotonic start of the current stretch, or 0 */
  guint     silence_id;
  KwbQemu  *qemu;           /* weak: the followed session's, fed from */
};

G_DEFINE_FINAL_TYPE (KwbConsoleDiagnosis, kwb_console_diagnosis, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_SILENCE_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DIAGNOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
kwb_console_problem_to_string (KwbConsoleProblem problem)
{
  switch (problem)
    {
    case KWB_CONSOLE_PROBLEM_NO_INITRAMFS: return "no-initramfs";
    case KWB_CONSOLE_PROBLEM_NO_HOTPLUG: return "no-hotplug";
    case KWB_CONSOLE_PROBLEM_NO_INIT: return "no-init";
    case KWB_CONSOLE_PROBLEM_SILENT: return "silent";
    default: g_return_val_if_reached (NULL);
    }
}

const char *
kwb_console_problem_get_title (KwbConsoleProblem problem)
{
  switch (problem)
    {
    case KWB_CONSOLE_PROBLEM_NO_INITRAMFS:
      return _("The kernel found no initramfs to start from");
    case KWB_CONSOLE_PROBLEM_NO_HOTPLUG:
      return _("The kernel has no /proc/sys/kernel/hotplug");
    case KWB_CONSOLE_PROBLEM_NO_INIT:
      return _("The kernel found no init program it could run");
    case KWB_CONSOLE_PROBLEM_SILENT:
      return _("The kernel prints nothing on this console");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
kwb_console_problem_get_advice (KwbConsoleProblem problem)
{
  switch (problem)
    {
    case KWB_CONSOLE_PROBLEM_NO_INITRAMFS:
      return _("It booted without a usable initramfs: none was passed, the file is not one, or "
               "kernel.initramfs is builtin but the kernel holds none. "
               "Build the initramfs with “kwb initramfs PROJECT” or on the wizard's Initramfs page, "
               "and check its path (initramfs.output).");
    case KWB_CONSOLE_PROBLEM_NO_HOTPLUG:
      return _("The file exists only with CONFIG_UEVENT_HELPER (and CONFIG_UEVENT_HELPER_PATH) on, and "
               "only once /proc is mounted. Turn the options on in the kernel configuration, or let "
               "your rcS (initramfs.rcs) mount /proc first and write the file only when it exists, "
               "as the default rcS does.");
    case KWB_CONSOLE_PROBLEM_NO_INIT:
      return _("The initramfs's BusyBox is not static (the initramfs has no C library for it) or "
               "is not at /init or /linuxrc. Use a static BusyBox: install busybox-static, or build "
               "it from source on the BusyBox page; then rebuild the initramfs.");
    case KWB_CONSOLE_PROBLEM_SILENT:
      return _("The console= on the kernel command line names no serial port of this machine: "
               "x86 needs console=ttyS0 (ARM64 virt: console=ttyAMA0). Check qemu.cmdline and "
               "qemu.extra-args; earlyprintk=serial shows the earliest messages.");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
report (KwbConsoleDiagnosis *self,
        KwbConsoleProblem    problem)
{
  if (self->found & (1u << problem))
    return;
  self->found |= 1u << problem;
  g_debug ("console diagnosis: %s", kwb_console_problem_to_string (problem));
  g_signal_emit (self, signals[DIAGNOSED], 0, problem,
                 kwb_console_problem_get_title (problem),
                 kwb_console_problem_get_advice (problem));
}

/* ---- silence: running time without one byte ---- */

static gint64
running_time_us (KwbConsoleDiagnosis *self)
{
  gint64 t = self->running_us;

  if (self->running_since != 0)
    t += g_get_monotonic_time () - self->running_since;
  return t;
}

static gboolean silence_cb (gpointer user_data);

static void
rearm_silence (KwbConsoleDiagnosis *self)
{
  gint64 left_ms;

  g_clear_handle_id (&self->silence_id, g_source_remove);
  if (!self->running || self->seen_output || (self->found & (1u << KWB_CONSOLE_PROBLEM_SILENT)))
    return;
  left_ms = (gint64) self->silence_ms - running_time_us (self) / 1000;
  self->silence_id = g_timeout_add ((guint) MAX (left_ms, 0), silence_cb, self);
}

static gboolean
silence_cb (gpointer user_data)
{
  KwbConsoleDiagnosis *self = user_data;

  self->silence_id = 0;
  if (running_time_us (self) / 1000 < self->silence_ms)
    {
      /* A timeout may fire early by a rounding: wait for the rest. */
      rearm_silence (self);
      return G_SOURCE_REMOVE;
    }
  report (self, KWB_CONSOLE_PROBLEM_SILENT);
  return G_SOURCE_REMOVE;
}

void
kwb_console_diagnosis_set_running (KwbConsoleDiagnosis *self,
                                   gboolean             running)
{
  g_return_if_fail (KWB_IS_CONSOLE_DIAGNOSIS (self));

  running = !!running;
  if (self->running == running)
    return;
  if (running)
    self->running_since = g_get_monotonic_time ();
  else
    {
      self->running_us = running_time_us (self);
      self->running_since = 0;
    }
  self->running = running;
  rearm_silence (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
kwb_console_diagnosis_get_running (KwbConsoleDiagnosis *self)
{
  g_return_val_if_fail (KWB_IS_CONSOLE_DIAGNOSIS (self), FALSE);
  return self->running;
}

guint
kwb_console_diagnosis_get_silence_ms (KwbConsoleDiagnosis *self)
{
  g_return_val_if_fail (KWB_IS_CONSOLE_DIAGNOSIS (self), 0);
  return self->silence_ms;
}

void
kwb_console_diagnosis_set_silence_ms (KwbConsoleDiagnosis *self,
                                      guint                ms)
{
  g_return_if_fail (KWB_IS_CONSOLE_DIAGNOSIS (self));

  if (self->silence_ms == ms)
    return;
  self->silence_ms = ms;
  rearm_silence (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SILENCE_MS]);
}

/* ---- lines ---- */

/* Drops escape sequences (colour, cursor moves: CSI … final byte, OSC …
 * BEL/ST, two-byte ESC x) and other control characters, so that a prompt's
 * colours or a terminal reset cannot split a message. */
static void
strip_controls (GString *line)
{
  gsize in = 0, out = 0;
  char *s = line->str;

  while (in < line->len)
    {
      guchar c = s[in];

      if (c == 0x1b && in + 1 < line->len)
        {
          guchar kind = s[in + 1];

          in += 2;
          if (kind == '[')
            {
              while (in < line->len && !((guchar) s[in] >= 0x40 && (guchar) s[in] <= 0x7e))
                in++;
              in++;
            }
          else if (kind == ']')
            {
              while (in < line->len && s[in] != 0x07 && s[in] != 0x1b)
                in++;
              in += (in < line->len && s[in] == 0x1b) ? 2 : 1;
            }
          continue;
        }
      in++;
      if (c < 0x20 && c != '\t')
        continue;
      if (c == 0x7f)
        continue;
      s[out++] = c;
    }
  g_string_truncate (line, MIN (out, line->len));
}

static gboolean
contains (const char *line,
          const char *needle)
{
  return strstr (line, needle) != NULL;
}

static void
check_line (KwbConsoleDiagnosis *self,
            const char          *line)
{
  if (contains (line, "VFS: Unable to mount root fs"))
    report (self, KWB_CONSOLE_PROBLEM_NO_INITRAMFS);
  /* BusyBox's ash says "can't create", dash "cannot create". */
  else if (contains (line, "/proc/sys/kernel/hotplug") &&
           (contains (line, "can't create") || contains (line, "cannot create")))
    report (self, KWB_CONSOLE_PROBLEM_NO_HOTPLUG);
  else if (contains (line, "Unpacking initramfs") || contains (line, "Trying to unpack rootfs image"))
    self->seen_initramfs = TRUE;
  else if (contains (line, "Failed to execute /"))
    self->seen_exec_failure = TRUE;
  else if (contains (line, "No working init found"))
    report (self, self->seen_initramfs || self->seen_exec_failure
                  ? KWB_CONSOLE_PROBLEM_NO_INIT : KWB_CONSOLE_PROBLEM_NO_INITRAMFS);
}

static void
end_line (KwbConsoleDiagnosis *self)
{
  strip_controls (self->line);
  check_line (self, self->line->str);
  g_string_truncate (self->line, 0);
  self->line_cut = FALSE;
}

void
kwb_console_diagnosis_feed (KwbConsoleDiagnosis *self,
                            const char          *data,
                            gssize               length)
{
  const char *end;

  g_return_if_fail (KWB_IS_CONSOLE_DIAGNOSIS (self));
  g_return_if_fail (data != NULL || length == 0);

  if (length < 0)
    length = strlen (data);
  if (length == 0)
    return;
  if (!self->seen_output)
    {
      self->seen_output = TRUE;
      g_clear_handle_id (&self->silence_id, g_source_remove);
    }

  end = data + length;
  while (data < end)
    {
      const char *nl = memchr (data, '\n', end - data);
      const char *stop = nl ? nl : end;
      gsize n = stop - data;

      if (!self->line_cut)
        {
          if (self->line->len + n > MAX_LINE)
            {
              n = MAX_LINE - self->line->len;
              self->line_cut = TRUE;
            }
          g_string_append_len (self->line, data, n);
        }
      if (nl == NULL)
        break;
      end_line (self);
      data = nl + 1;
    }
}

void
kwb_console_diagnosis_finish (KwbConsoleDiagnosis *self)
{
  g_return_if_fail (KWB_IS_CONSOLE_DIAGNOSIS (self));

  if (self->line->len > 0)
    end_line (self);
  kwb_console_diagnosis_set_running (self, FALSE);
}

gboolean
kwb_console_diagnosis_has_problem (KwbConsoleDiagnosis *self,
                                   KwbConsoleProblem    problem)
{
  g_return_val_if_fail (KWB_IS_CONSOLE_DIAGNOSIS (self), FALSE);
  return (self->found & (1u << problem)) != 0;
}

/* ---- following a session ---- */

static void
on_console_output (KwbQemu             *qemu,
                   GBytes              *bytes,
                   KwbConsoleDiagnosis *self)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  kwb_console_diagnosis_feed (self, data, len);
}

/* A session that stops at a panic (debug.stop-on-crash) stops before the
 * kernel prints its message: the crash has it already. */
static void
on_session_stopped (KwbSession          *session,
                    KwbGdbStop          *stop,
                    KwbConsoleDiagnosis *self)
{
  KwbCrash *crash = kwb_session_get_crash (session);
  g_autofree char *line = NULL;

  if (crash == NULL || kwb_crash_get_kind (crash) != KWB_CRASH_PANIC)
    return;
  line = g_strdup_printf ("\n%s\n", kwb_crash_get_title (crash));
  kwb_console_diagnosis_feed (self, line, -1);
}

static void
on_session_state_changed (KwbSession          *session,
                          KwbSessionState      old_state,
                          KwbSessionState      new_state,
                          KwbConsoleDiagnosis *self)
{
  KwbQemu *qemu = kwb_session_get_qemu (session);

  /* The session makes its QEMU when it starts. */
  if (qemu != NULL && qemu != self->qemu)
    {
      g_set_weak_pointer (&self->qemu, qemu);
      g_signal_connect_object (qemu, "console-output", G_CALLBACK (on_console_output), self, 0);
    }
  if (new_state == KWB_SESSION_STATE_EXITED || new_state == KWB_SESSION_STATE_FAILED)
    kwb_console_diagnosis_finish (self);
  else
    kwb_console_diagnosis_set_running (self, new_state == KWB_SESSION_STATE_RUNNING);
}

void
kwb_console_diagnosis_follow_session (KwbConsoleDiagnosis *self,
                                      KwbSession          *session)
{
  g_return_if_fail (KWB_IS_CONSOLE_DIAGNOSIS (self));
  g_return_if_fail (KWB_IS_SESSION (session));

  g_signal_connect_object (session, "state-changed", G_CALLBACK (on_session_state_changed), self, 0);
  g_signal_connect_object (session, "stopped", G_CALLBACK (on_session_stopped), self, 0);
  on_session_state_changed (session, kwb_session_get_state (session), kwb_session_get_state (session), self);
}

/* ---- GObject ---- */

KwbConsoleDiagnosis *
kwb_console_diagnosis_new (void)
{
  return g_object_new (KWB_TYPE_CONSOLE_DIAGNOSIS, NULL);
}

static void
kwb_console_diagnosis_finalize (GObject *object)
{
  KwbConsoleDiagnosis *self = KWB_CONSOLE_DIAGNOSIS (object);

  g_clear_handle_id (&self->silence_id, g_source_remove);
  g_clear_weak_pointer (&self->qemu);
  g_string_free (self->line, TRUE);
  G_OBJECT_CLASS (kwb_console_diagnosis_parent_class)->finalize (object);
}

static void
kwb_console_diagnosis_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  KwbConsoleDiagnosis *self = KWB_CONSOLE_DIAGNOSIS (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_SILENCE_MS:
      g_value_set_uint (value, self->silence_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_console_diagnosis_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  KwbConsoleDiagnosis *self = KWB_CONSOLE_DIAGNOSIS (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      kwb_console_diagnosis_set_running (self, g_value_get_boolean (value));
      break;
    case PROP_SILENCE_MS:
      kwb_console_diagnosis_set_silence_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_console_diagnosis_class_init (KwbConsoleDiagnosisClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_console_diagnosis_finalize;
  object_class->get_property = kwb_console_diagnosis_get_property;
  object_class->set_property = kwb_console_diagnosis_set_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SILENCE_MS] =
    g_param_spec_uint ("silence-ms", NULL, NULL, 1, G_MAXUINT, KWB_CONSOLE_DIAGNOSIS_DEFAULT_SILENCE_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KwbConsoleDiagnosis::diagnosed:
   * @problem: a #KwbConsoleProblem
   * @title: one line, translated
   * @advice: what to do, translated
   */
  signals[DIAGNOSED] =
    g_signal_new ("diagnosed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  KWB_TYPE_CONSOLE_PROBLEM, G_TYPE_STRING, G_TYPE_STRING);
}

static void
kwb_console_diagnosis_init (KwbConsoleDiagnosis *self)
{
  self->line = g_string_new (NULL);
  self->silence_ms = KWB_CONSOLE_DIAGNOSIS_DEFAULT_SILENCE_MS;
}
