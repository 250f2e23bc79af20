/* kwb-code-link.h — code locations in kernel messages: what a link is, and what it points at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The kernel's ways of naming code in a message. The patterns are PCRE
 * (GRegex and VTE both take them), without anchors or captures, so a
 * caller can combine them or hand them to a terminal as they are. */

/* "func+0x1a/0x30", also after "RIP: 0010:" (the faulting instruction) or
 * "? " (an unreliable return address), as call traces print them. */
#define KWB_CODE_LINK_PATTERN_SIZED "(?:RIP: [0-9a-f]{4}:|\\? )?[A-Za-z_][A-Za-z0-9_.]*\\+0x[0-9a-f]+/0x[0-9a-f]+"
/* "[<ffffffff81000000>] func+0x1a", as older kernels print call traces. */
#define KWB_CODE_LINK_PATTERN_ADDR  "\\[<[0-9a-f]{8,16}>\\] [A-Za-z_][A-Za-z0-9_.]*\\+0x[0-9a-f]+"
/* "kernel/sched/core.c:123", as WARNING and BUG lines print it. */
#define KWB_CODE_LINK_PATTERN_SOURCE "[A-Za-z0-9_./-]+\\.[chS]:[0-9]+"

/* Any of the above. */
#define KWB_CODE_LINK_PATTERN \
  KWB_CODE_LINK_PATTERN_SIZED "|" KWB_CODE_LINK_PATTERN_ADDR "|" KWB_CODE_LINK_PATTERN_SOURCE

typedef enum {
  KWB_CODE_LINK_SYMBOL,  /* function + offset */
  KWB_CODE_LINK_SOURCE,  /* FILE:LINE */
} KwbCodeLinkKind;

typedef struct {
  KwbCodeLinkKind  kind;
  /* KWB_CODE_LINK_SYMBOL */
  char            *function;
  guint64          offset;
  guint64          size;      /* 0 when the text gives none */
  guint64          address;   /* 0 when the text gives none */
  gboolean         faulting;  /* "RIP:": the instruction itself, not a return address */
  /* KWB_CODE_LINK_SOURCE */
  char            *file;      /* as the message has it, often relative to the source tree */
  guint            line;
} KwbCodeLink;

/* The first code location in TEXT ("RIP: 0010:func+0x1a/0x30",
 * "? func+0x5/0x20", "[<ffffffff8100>] func+0x3", a bare "func+0x3",
 * "init/main.c:914"), or NULL when it holds none. */
KwbCodeLink *kwb_code_link_parse              (const char        *text);
void         kwb_code_link_free               (KwbCodeLink       *self);
/* Where GDB's `info line` finds it: "*('func'+0x1a-1)" (a call trace's
 * return address: the call is the byte before), "*('func'+0x1a)" for a
 * faulting RIP, "init/main.c:914". */
char        *kwb_code_link_dup_gdb_location   (const KwbCodeLink *self);
/* The first link in TEXT at or after byte FROM: its bytes START to END. */
gboolean     kwb_code_link_find               (const char        *text,
                                               gsize              from,
                                               gsize             *start,
                                               gsize             *end);

/* TEXT as Pango markup with each code location a link whose URI is the
 * location's text (a label's ::activate-link hands it back); NULL when TEXT
 * holds none (the label can stay plain). */
char        *kwb_code_link_dup_markup         (const char        *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbCodeLink, kwb_code_link_free)

G_END_DECLS
