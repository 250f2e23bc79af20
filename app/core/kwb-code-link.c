/* kwb-code-link.c — code locations in kernel messages: what a link is, and what it points at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The serial console (a VTE terminal) and the kernel log view (labels with
 * markup) both turn the code locations in kernel messages into links, and
 * both resolve a clicked one through GDB. The patterns that say what a link
 * is and the parser that says where it points live here, once, so the two
 * never disagree; the GUI only draws and clicks. GTK-free, so the parsing
 * is tested in tests/core without a display.
 */
#include "config.h"

#include <string.h>

#include "kwb-code-link.h"

/* The patterns of kwb-code-link.h with the parts captured; the "? " prefix
 * changes nothing in where the link points, so it is not captured. */
#define SYMBOL_PARSE "(?:(RIP: [0-9a-f]{4}:)|\\[<([0-9a-f]{8,16})>\\] )?" \
                     "([A-Za-z_][A-Za-z0-9_.]*)\\+(0x[0-9a-f]+)(?:/(0x[0-9a-f]+))?"
#define SOURCE_PARSE "([A-Za-z0-9_./-]+\\.[chS]):([0-9]+)"

static GRegex *
compile_once (GRegex     **slot,
              const char  *pattern)
{
  if (g_once_init_enter (slot))
    {
      g_autoptr(GError) error = NULL;
      GRegex *regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &error);

      g_assert_no_error (error);
      g_once_init_leave (slot, regex);
    }
  return *slot;
}

static guint64
parse_hex (GMatchInfo *match,
           int         group)
{
  g_autofree char *text = g_match_info_fetch (match, group);

  /* strtoull's base 16 takes the "0x" prefix, and an empty group is 0. */
  return text != NULL && *text != '\0' ? g_ascii_strtoull (text, NULL, 16) : 0;
}

KwbCodeLink *
kwb_code_link_parse (const char *text)
{
  static GRegex *symbol_regex;
  static GRegex *source_regex;
  g_autoptr(GMatchInfo) symbol = NULL;
  g_autoptr(GMatchInfo) source = NULL;
  int symbol_start = -1, source_start = -1, end;
  KwbCodeLink *self;

  g_return_val_if_fail (text != NULL, NULL);

  if (g_regex_match (compile_once (&symbol_regex, SYMBOL_PARSE), text, 0, &symbol))
    g_match_info_fetch_pos (symbol, 0, &symbol_start, &end);
  if (g_regex_match (compile_once (&source_regex, SOURCE_PARSE), text, 0, &source))
    g_match_info_fetch_pos (source, 0, &source_start, &end);
  if (symbol_start < 0 && source_start < 0)
    return NULL;

  self = g_new0 (KwbCodeLink, 1);
  /* The leftmost, as a reader would pick it out of the line. */
  if (symbol_start >= 0 && (source_start < 0 || symbol_start <= source_start))
    {
      g_autofree char *rip = g_match_info_fetch (symbol, 1);

      self->kind = KWB_CODE_LINK_SYMBOL;
      self->faulting = rip != NULL && *rip != '\0';
      self->address = parse_hex (symbol, 2);
      self->function = g_match_info_fetch (symbol, 3);
      self->offset = parse_hex (symbol, 4);
      self->size = parse_hex (symbol, 5);
    }
  else
    {
      g_autofree char *line = g_match_info_fetch (source, 2);

      self->kind = KWB_CODE_LINK_SOURCE;
      self->file = g_match_info_fetch (source, 1);
      self->line = (guint) MIN (g_ascii_strtoull (line, NULL, 10), G_MAXUINT);
    }
  return self;
}

void
kwb_code_link_free (KwbCodeLink *self)
{
  if (self == NULL)
    return;
  g_free (self->function);
  g_free (self->file);
  g_free (self);
}

char *
kwb_code_link_dup_gdb_location (const KwbCodeLink *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->kind == KWB_CODE_LINK_SOURCE)
    return g_strdup_printf ("%s:%u", self->file, self->line);
  /* A call trace lists return addresses: the call is the byte before; RIP
   * is the faulting instruction itself. Quoting keeps names such as
   * foo.constprop.0 whole. */
  return g_strdup_printf ("*('%s'+0x%" G_GINT64_MODIFIER "x%s)", self->function, self->offset,
                          self->faulting ? "" : "-1");
}

gboolean
kwb_code_link_find (const char *text,
                    gsize       from,
                    gsize      *start,
                    gsize      *end)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;
  int s, e;

  g_return_val_if_fail (text != NULL, FALSE);

  if (from > strlen (text) ||
      !g_regex_match_full (compile_once (&regex, KWB_CODE_LINK_PATTERN), text, -1, from, 0, &match, NULL))
    return FALSE;
  g_match_info_fetch_pos (match, 0, &s, &e);
  if (start != NULL)
    *start = s;
  if (end != NULL)
    *end = e;
  return TRUE;
}

char *
kwb_code_link_dup_markup (const char *text)
{
  GString *out = NULL;
  gsize last = 0, start, end;

  g_return_val_if_fail (text != NULL, NULL);

  for (; kwb_code_link_find (text, last, &start, &end); last = end)
    {
      g_autofree char *before = g_markup_escape_text (text + last, start - last);
      g_autofree char *link = g_markup_escape_text (text + start, end - start);

      if (out == NULL)
        out = g_string_new (NULL);
      g_string_append_printf (out, "%s<a href=\"%s\">%s</a>", before, link, link);
    }
  if (out == NULL)
    return NULL;
  {
    g_autofree char *rest = g_markup_escape_text (text + last, -1);

    g_string_append (out, rest);
  }
  return g_string_free (out, FALSE);
}
