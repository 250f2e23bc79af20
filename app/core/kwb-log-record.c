/* kwb-log-record.c — one record of the guest kernel's printk log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built by KwbKernelLog from bytes read out of guest memory, so the text is
 * made valid UTF-8 here, once, and every view can show it as is.
 */
#include "config.h"

#include <string.h>

#include "kwb-log-record.h"

struct _KwbLogRecord
{
  GObject  parent_instance;
  guint64  seq;
  guint64  time_ns;
  guint32  caller_id;
  guint8   level;
  guint8   facility;
  gboolean is_new;
  char    *text;
};

G_DEFINE_FINAL_TYPE (KwbLogRecord, kwb_log_record, G_TYPE_OBJECT)

static void
kwb_log_record_finalize (GObject *object)
{
  KwbLogRecord *self = KWB_LOG_RECORD (object);

  g_free (self->text);
  G_OBJECT_CLASS (kwb_log_record_parent_class)->finalize (object);
}

static void
kwb_log_record_class_init (KwbLogRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_log_record_finalize;
}

static void
kwb_log_record_init (KwbLogRecord *self)
{
}

/* Valid UTF-8 is kept; any other byte, and control characters other than
 * newline and tab, become \xNN. */
static char *
escape_text (const char *text,
             gsize       length)
{
  GString *out = g_string_sized_new (length + 1);
  const char *p = text;
  const char *end = text + length;

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2 ||
          (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
        {
          g_string_append_printf (out, "\\x%02x", (guint8) *p);
          p++;
          continue;
        }
      g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

KwbLogRecord *
kwb_log_record_new (guint64     seq,
                    guint       level,
                    guint       facility,
                    guint64     time_ns,
                    guint32     caller_id,
                    const char *text,
                    gssize      length,
                    gboolean    is_new)
{
  KwbLogRecord *self;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  self = g_object_new (KWB_TYPE_LOG_RECORD, NULL);
  self->seq = seq;
  self->level = MIN (level, 7);
  self->facility = MIN (facility, 255);
  self->time_ns = time_ns;
  self->caller_id = caller_id;
  self->is_new = !!is_new;
  self->text = escape_text (text ? text : "", length < 0 ? strlen (text) : (gsize) length);
  return self;
}

guint64
kwb_log_record_get_seq (KwbLogRecord *self)
{
  g_return_val_if_fail (KWB_IS_LOG_RECORD (self), 0);
  return self->seq;
}

guint
kwb_log_record_get_level (KwbLogRecord *self)
{
  g_return_val_if_fail (KWB_IS_LOG_RECORD (self), 0);
  return self->level;
}

guint
kwb_log_record_get_facility (KwbLogRecord *self)
{
  g_return_val_if_fail (KWB_IS_LOG_RECORD (self), 0);
  return self->facility;
}

guint64
kwb_log_record_get_time_ns (KwbLogRecord *self)
{
  g_return_val_if_fail (KWB_IS_LOG_RECORD (self), 0);
  return self->time_ns;
}

guint32
kwb_log_record_get_caller_id (KwbLogRecord *self)
{
  g_return_val_if_fail (KWB_IS_LOG_RECORD (self), 0);
  return self->caller_id;
}

const char *
kwb_log_record_get_text (KwbLogRecord *self)
{
  g_return_val_if_fail (KWB_IS_LOG_RECORD (self), NULL);
  return self->text;
}

gboolean
kwb_log_record_get_is_new (KwbLogRecord *self)
{
  g_return_val_if_fail (KWB_IS_LOG_RECORD (self), FALSE);
  return self->is_new;
}

char *
kwb_log_record_format (KwbLogRecord *self)
{
  g_auto(GStrv) lines = NULL;
  GString *out;
  guint64 usec;

  g_return_val_if_fail (KWB_IS_LOG_RECORD (self), NULL);

  usec = self->time_ns / 1000;
  lines = g_strsplit (self->text, "\n", -1);
  out = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* A trailing newline makes no empty line of its own. */
      if (lines[i][0] == '\0' && lines[i + 1] == NULL && i > 0)
        break;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "[%5" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT "] <%u> %s",
                              usec / 1000000, usec % 1000000, self->level, lines[i]);
    }
  return g_string_free (out, FALSE);
}
