/* kwb-memory.h — a range of guest memory at an address or expression, read at each stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The memory view's model, used by the GUI's hex view and by `kwb debug
 * --show mem:ADDR[,LEN]`; it is a KwbKernelView. It holds an expression
 * and a length; each refresh evaluates the expression again in the
 * selected frame, so "$rsp" or "current" follows the guest as it is
 * stepped, and reads LENGTH bytes there.
 *
 * What address an expression names:
 *  - a number (0xffffffff81000000, 4096): that address;
 *  - a pointer ($rsp, &init_task, current): the pointer's value;
 *  - anything else that lives in memory (init_task, jiffies,
 *    init_uts_ns.name.release, *current): where it lives;
 *  - any other value (a register that is no pointer, 0x1000 + 16): that
 *    value as an address.
 * "current" is the kernel's `current` task, which is a macro and not a
 * symbol: where GDB knows no `current`, it is read as `$lx_current()` (the
 * kernel's GDB scripts).
 *
 * Bytes that cannot be read (an unmapped page) are flagged
 * KWB_MEMORY_BYTE_UNREADABLE and read as 0, page by page, so a range
 * across the end of a mapping still shows the part that exists; when no
 * byte can be read the refresh fails with KWB_MEMORY_ERROR_UNREADABLE.
 * A byte is KWB_MEMORY_BYTE_CHANGED when the same address held another
 * value at the previous stop the view was read at (however often it is
 * refreshed at one stop, and wherever the expression pointed then).
 */
#pragma once

#include <gio/gio.h>

#include "kwb-kernel-view.h"
#include "kwb-session.h"

G_BEGIN_DECLS

#define KWB_MEMORY_ERROR (kwb_memory_error_quark ())

typedef enum {
  KWB_MEMORY_ERROR_INVALID,     /* the ADDR[,LEN] text or the length is not valid */
  KWB_MEMORY_ERROR_EXPRESSION,  /* GDB cannot evaluate the expression to an address */
  KWB_MEMORY_ERROR_UNREADABLE,  /* not one byte of the range can be read */
} KwbMemoryError;

typedef enum {
  KWB_MEMORY_BYTE_UNREADABLE = 1 << 0,
  KWB_MEMORY_BYTE_CHANGED    = 1 << 1,
} KwbMemoryByteFlags;

#define KWB_MEMORY_LENGTH_DEFAULT 256
#define KWB_MEMORY_LENGTH_MAX     (64 * 1024)
/* Bytes per line of kwb_memory_format_hex(), as hexdump -C and x/16xb. */
#define KWB_MEMORY_ROW_WIDTH      16

#define KWB_TYPE_MEMORY (kwb_memory_get_type ())
G_DECLARE_FINAL_TYPE (KwbMemory, kwb_memory, KWB, MEMORY, GObject)

GQuark        kwb_memory_error_quark      (void);

KwbMemory    *kwb_memory_new              (KwbSession          *session);
KwbSession   *kwb_memory_get_session      (KwbMemory           *self);
/* NULL until set: a refresh then reads nothing, and succeeds. */
void          kwb_memory_set_expression   (KwbMemory           *self,
                                           const char          *expression);
const char   *kwb_memory_get_expression   (KwbMemory           *self);
/* 1 … KWB_MEMORY_LENGTH_MAX; KWB_MEMORY_LENGTH_DEFAULT until set. */
void          kwb_memory_set_length       (KwbMemory           *self,
                                           gsize                length);
gsize         kwb_memory_get_length       (KwbMemory           *self);

/* What the last successful refresh read: the address the expression
 * named, its bytes (NULL before any, and after a refresh that failed) and
 * one KwbMemoryByteFlags per byte. ::refreshed is emitted after each
 * refresh that ended, failed or not, unless it was cancelled or a newer
 * one had started. */
guint64       kwb_memory_get_address      (KwbMemory           *self);
GBytes       *kwb_memory_get_bytes        (KwbMemory           *self);
const guint8 *kwb_memory_get_flags        (KwbMemory           *self,
                                           gsize               *length);
/* Why the last refresh left nothing to show (it failed), or NULL. */
const GError *kwb_memory_get_error        (KwbMemory           *self);
/* How many bytes carry FLAG. */
gsize         kwb_memory_count_flag       (KwbMemory           *self,
                                           KwbMemoryByteFlags   flag);

void          kwb_memory_refresh_async    (KwbMemory           *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      kwb_memory_refresh_finish   (KwbMemory           *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* "EXPR" or "EXPR,LEN", as `--show mem:` takes it: LEN (decimal or 0x
 * hex, 1 … KWB_MEMORY_LENGTH_MAX) follows the last comma outside any
 * brackets or quotes, so "func(a, b)" is an expression and "buf, 64" has
 * a length. Without one the length is KWB_MEMORY_LENGTH_DEFAULT. */
gboolean      kwb_memory_parse_spec       (const char          *spec,
                                           char               **expression,
                                           gsize               *length,
                                           GError             **error);
/* TRUE with *ADDRESS when TEXT is a number as C writes it (decimal, 0x
 * hex), blanks around it allowed: an address GDB need not evaluate. */
gboolean      kwb_memory_parse_address    (const char          *text,
                                           guint64             *address);
/* A length as the spec and the GUI take it; FALSE with a message if not. */
gboolean      kwb_memory_parse_length     (const char          *text,
                                           gsize               *length,
                                           GError             **error);

/* The classic hex dump, one line of WIDTH bytes per row:
 *   ffffffff81000000  48 8d 25 51 3f 60 01 48  8d 3d f2 ff ff ff b9 01  |H.%Q?`.H.=......|
 * ADDRESS is the first byte's; FLAGS (NULL, or one per byte) print
 * unreadable bytes as "??". Every line ends in '\n'. */
char         *kwb_memory_format_hex       (guint64              address,
                                           GBytes              *bytes,
                                           const guint8        *flags,
                                           guint                width);
/* Where byte INDEX (0 … WIDTH - 1) of a row is in such a line: the first
 * of its two hex digits, and its character between the bars. */
guint         kwb_memory_hex_column       (guint                index);
guint         kwb_memory_ascii_column     (guint                index,
                                           guint                width);

G_END_DECLS
