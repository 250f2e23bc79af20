/* kwb-crash.c — what the guest kernel crashed with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text of an oops is found in the kernel log by the line every oops
 * prints through die() ("Oops: 0002 [#1] PREEMPT SMP", "invalid opcode:
 * 0000 [#1] …"): the report begins a few lines before it, with the
 * "BUG: …" headline of a fault or the "kernel BUG at FILE:LINE!" of a
 * BUG(). arm64 stops before its die() line: its report is the fault's
 * lines so far ("Unable to handle kernel …", "kernel BUG at …"). A panic's message is still unformatted when the session stops at
 * panic()'s first instruction, so GDB formats it from the format string
 * and the argument registers (kwb_crash_dup_printf_command).
 */
#include "config.h"

#include <string.h>

#include "kwb-crash.h"
#include "kwb-frame.h"

struct _KwbCrash
{
  GObject       parent_instance;

  KwbCrashKind  kind;
  char         *title;
  char         *text;
  GListModel   *frames;
};

G_DEFINE_FINAL_TYPE (KwbCrash, kwb_crash, G_TYPE_OBJECT)

static void
kwb_crash_finalize (GObject *object)
{
  KwbCrash *self = KWB_CRASH (object);

  g_free (self->title);
  g_free (self->text);
  g_clear_object (&self->frames);
  G_OBJECT_CLASS (kwb_crash_parent_class)->finalize (object);
}

static void
kwb_crash_class_init (KwbCrashClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_crash_finalize;
}

static void
kwb_crash_init (KwbCrash *self)
{
}

KwbCrash *
kwb_crash_new (KwbCrashKind  kind,
               const char   *title,
               const char   *text,
               GListModel   *frames)
{
  KwbCrash *self = g_object_new (KWB_TYPE_CRASH, NULL);

  self->kind = kind;
  self->title = g_strdup (title ? title : "");
  self->text = g_strdup (text ? text : "");
  self->frames = frames ? g_object_ref (frames) : G_LIST_MODEL (g_list_store_new (KWB_TYPE_FRAME));
  return self;
}

KwbCrashKind
kwb_crash_get_kind (KwbCrash *self)
{
  g_return_val_if_fail (KWB_IS_CRASH (self), KWB_CRASH_OOPS);
  return self->kind;
}

const char *
kwb_crash_kind_to_string (KwbCrashKind kind)
{
  switch (kind)
    {
    case KWB_CRASH_BUG: return "BUG";
    case KWB_CRASH_WARNING: return "warning";
    case KWB_CRASH_PANIC: return "panic";
    case KWB_CRASH_OOPS:
    default: return "oops";
    }
}

const char *
kwb_crash_get_title (KwbCrash *self)
{
  g_return_val_if_fail (KWB_IS_CRASH (self), NULL);
  return self->title;
}

const char *
kwb_crash_get_text (KwbCrash *self)
{
  g_return_val_if_fail (KWB_IS_CRASH (self), NULL);
  return self->text;
}

GListModel *
kwb_crash_get_frames (KwbCrash *self)
{
  g_return_val_if_fail (KWB_IS_CRASH (self), NULL);
  return self->frames;
}

/* ---- the report in the log ---- */

#define CUT_HERE "------------[ cut here ]------------"

/* "…: 0002 [#1] …": the line die() prints for every oops (arm64's error
 * code has 16 digits: "Internal error: Oops: 0000000096000045 [#1] …"). */
static gboolean
is_die_line (const char *line)
{
  const char *p = line;

  while ((p = strstr (p, ": ")) != NULL)
    {
      gsize digits;

      p += 2;
      digits = strspn (p, "0123456789abcdefABCDEF");
      if (digits >= 4 && g_str_has_prefix (p + digits, " [#") && g_ascii_isdigit (p[digits + 3]))
        return TRUE;
    }
  return FALSE;
}

/* What arm64 prints before it calls die(), where its session stops: the
 * newest of these with no die() line after it is a report in progress. */
static gboolean
is_fault_line (const char *line)
{
  return g_str_has_prefix (line, "Unable to handle kernel ") || g_str_has_prefix (line, "kernel BUG at ");
}

/* The lines an oops report may begin with, before its die() line. */
static gboolean
is_lead_line (const char *line)
{
  return g_str_has_prefix (line, "BUG: ") || g_str_has_prefix (line, "#PF: ") ||
         g_str_has_prefix (line, "PGD ") || g_str_has_prefix (line, "kernel BUG at ") ||
         g_str_has_prefix (line, CUT_HERE);
}

gint
kwb_crash_find_report (const char * const  *lines,
                       KwbCrashKind        *kind,
                       char               **title)
{
  gint n = lines ? (gint) g_strv_length ((char **) lines) : 0;
  gint die = -1;
  gint start;

  *kind = KWB_CRASH_OOPS;
  *title = NULL;
  for (gint i = n - 1; i >= 0 && die < 0; i--)
    {
      if (is_die_line (lines[i]))
        die = i;
      else if (is_fault_line (lines[i]))
        {
          if (g_str_has_prefix (lines[i], "kernel BUG at "))
            *kind = KWB_CRASH_BUG;
          *title = g_strdup (lines[i]);
          return i;
        }
    }
  if (die < 0)
    return -1;

  /* The lead-in is a handful of lines; more means they belong to something else. */
  start = die;
  while (start > 0 && die - start < 8 && is_lead_line (lines[start - 1]))
    start--;
  for (gint i = start; i <= die; i++)
    {
      if (g_str_has_prefix (lines[i], "kernel BUG at "))
        *kind = KWB_CRASH_BUG;
      if (*title == NULL && !g_str_has_prefix (lines[i], CUT_HERE))
        *title = g_strdup (lines[i]);
    }
  return start;
}

/* ---- a panic's message ---- */

static void
append_escaped (GString    *out,
                const char *text,
                gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '\\' || c == '"')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if ((guchar) c >= 0x20)
        g_string_append_c (out, c);
    }
}

char *
kwb_crash_dup_printf_command (const char         *format,
                              const char * const *args)
{
  g_autoptr(GString) fmt = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  guint n_args = args ? g_strv_length ((char **) args) : 0;
  guint used = 0;
  const char *p = format;

  g_return_val_if_fail (format != NULL, NULL);

  while (*p != '\0')
    {
      const char *percent = strchr (p, '%');
      const char *spec;
      gboolean is_long = FALSE;
      const char *cast;
      char conversion;

      if (percent == NULL)
        {
          append_escaped (fmt, p, strlen (p));
          break;
        }
      append_escaped (fmt, p, percent - p);
      if (percent[1] == '%')
        {
          g_string_append (fmt, "%%");
          p = percent + 2;
          continue;
        }
      /* flags, width, precision: copied as they are; '*' takes an argument GDB cannot type */
      spec = percent + 1;
      spec += strspn (spec, "-+ #0");
      spec += strspn (spec, "0123456789");
      if (*spec == '.')
        spec += 1 + strspn (spec + 1, "0123456789");
      if (*spec == '*' || (spec > percent + 1 && memchr (percent, '*', spec - percent) != NULL))
        return NULL;
      g_string_append_len (fmt, percent, spec - percent);
      /* length: GDB wants l for every 64-bit one */
      while (*spec == 'h' || *spec == 'l' || *spec == 'z' || *spec == 't' || *spec == 'j')
        {
          if (*spec != 'h')
            is_long = TRUE;
          spec++;
        }
      conversion = *spec;
      switch (conversion)
        {
        case 'd': case 'i':
          cast = is_long ? "(long)" : "(int)";
          break;
        case 'u': case 'x': case 'X': case 'o':
          cast = is_long ? "(unsigned long)" : "(unsigned int)";
          break;
        case 'c':
          cast = "(int)";
          is_long = FALSE;
          break;
        case 's':
          cast = "(char *)";
          is_long = FALSE;
          break;
        case 'p':
          /* %pS, %pV, %pe…: the kernel's own; a bare %p is an address */
          if (g_ascii_isalnum (spec[1]))
            return NULL;
          cast = "(void *)";
          is_long = FALSE;
          break;
        default:
          return NULL;
        }
      if (used >= n_args)
        return NULL;
      if (is_long)
        g_string_append_c (fmt, 'l');
      g_string_append_c (fmt, conversion);
      g_string_append_printf (values, ", %s%s", cast, args[used++]);
      p = spec + 1;
    }
  /* A line of its own, whatever the format ends with. */
  while (fmt->len >= 2 && g_str_has_suffix (fmt->str, "\\n"))
    g_string_truncate (fmt, fmt->len - 2);
  return g_strdup_printf ("printf \"%s\\n\"%s", fmt->str, values->str);
}
