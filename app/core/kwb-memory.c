/* kwb-memory.c — a range of guest memory at an address or expression, read at each stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A refresh is at most two GDB round trips: one to turn the expression
 * into an address (none for a plain number), one -data-read-memory-bytes
 * for the whole range. Only when that read fails is the range read again
 * page by page, to tell the pages that exist from those that do not.
 *
 * The expression is resolved by a few lines of Python in GDB (GDB's own,
 * which the kernel's lx- scripts need anyway) rather than by CLI commands:
 * whether a value is a pointer depends on its type with typedefs
 * stripped, which `whatis` does not print, and Python gives type, address
 * and value in one round trip. The user's text reaches Python hex-encoded,
 * so no quoting through MI, the GDB command line and Python can break it.
 * The text half (ADDR[,LEN], numbers, `current`, the dump) is
 * kwb-memory-text.c.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-memory-private.h"

#define PAGE_SIZE G_GUINT64_CONSTANT (4096)

struct _KwbMemory
{
  GObject     parent_instance;
  KwbSession *session;
  char       *expression;
  gsize       length;

  /* The last refresh: its address, bytes and KwbMemoryByteFlags. */
  guint64     address;
  GBytes     *bytes;
  guint8     *flags;
  GError     *error;
  /* The last refresh at an earlier stop, for KWB_MEMORY_BYTE_CHANGED. */
  guint64     prev_address;
  GBytes     *prev_bytes;
  guint8     *prev_flags;
  guint       n_stops;
  guint       n_stops_applied;
  guint       serial;
};

static void kwb_memory_kernel_view_init (KwbKernelViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KwbMemory, kwb_memory, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KWB_TYPE_KERNEL_VIEW, kwb_memory_kernel_view_init))

enum {
  PROP_0,
  PROP_EXPRESSION,
  PROP_LENGTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REFRESHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the object ---- */

static void
kwb_memory_finalize (GObject *object)
{
  KwbMemory *self = KWB_MEMORY (object);

  g_clear_object (&self->session);
  g_free (self->expression);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->flags);
  g_clear_error (&self->error);
  g_clear_pointer (&self->prev_bytes, g_bytes_unref);
  g_free (self->prev_flags);
  G_OBJECT_CLASS (kwb_memory_parent_class)->finalize (object);
}

static void
kwb_memory_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KwbMemory *self = KWB_MEMORY (object);

  switch (prop_id)
    {
    case PROP_EXPRESSION:
      g_value_set_string (value, self->expression);
      break;
    case PROP_LENGTH:
      g_value_set_uint (value, (guint) self->length);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_memory_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KwbMemory *self = KWB_MEMORY (object);

  switch (prop_id)
    {
    case PROP_EXPRESSION:
      kwb_memory_set_expression (self, g_value_get_string (value));
      break;
    case PROP_LENGTH:
      kwb_memory_set_length (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_memory_class_init (KwbMemoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_memory_finalize;
  object_class->get_property = kwb_memory_get_property;
  object_class->set_property = kwb_memory_set_property;

  properties[PROP_EXPRESSION] =
    g_param_spec_string ("expression", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LENGTH] =
    g_param_spec_uint ("length", NULL, NULL, 1, KWB_MEMORY_LENGTH_MAX, KWB_MEMORY_LENGTH_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After each refresh that changed what the getters return. */
  signals[REFRESHED] = g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kwb_memory_init (KwbMemory *self)
{
  self->length = KWB_MEMORY_LENGTH_DEFAULT;
}

static void
on_stopped (KwbMemory *self)
{
  self->n_stops++;
}

KwbMemory *
kwb_memory_new (KwbSession *session)
{
  KwbMemory *self;

  g_return_val_if_fail (KWB_IS_SESSION (session), NULL);

  self = g_object_new (KWB_TYPE_MEMORY, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "stopped", G_CALLBACK (on_stopped), self, G_CONNECT_SWAPPED);
  return self;
}

KwbSession *
kwb_memory_get_session (KwbMemory *self)
{
  g_return_val_if_fail (KWB_IS_MEMORY (self), NULL);
  return self->session;
}

void
kwb_memory_set_expression (KwbMemory  *self,
                           const char *expression)
{
  g_return_if_fail (KWB_IS_MEMORY (self));

  if (g_strcmp0 (self->expression, expression) == 0)
    return;
  g_free (self->expression);
  self->expression = g_strdup (expression);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPRESSION]);
}

const char *
kwb_memory_get_expression (KwbMemory *self)
{
  g_return_val_if_fail (KWB_IS_MEMORY (self), NULL);
  return self->expression;
}

void
kwb_memory_set_length (KwbMemory *self,
                       gsize      length)
{
  g_return_if_fail (KWB_IS_MEMORY (self));

  length = CLAMP (length, 1, KWB_MEMORY_LENGTH_MAX);
  if (length == self->length)
    return;
  self->length = length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LENGTH]);
}

gsize
kwb_memory_get_length (KwbMemory *self)
{
  g_return_val_if_fail (KWB_IS_MEMORY (self), 0);
  return self->length;
}

guint64
kwb_memory_get_address (KwbMemory *self)
{
  g_return_val_if_fail (KWB_IS_MEMORY (self), 0);
  return self->address;
}

GBytes *
kwb_memory_get_bytes (KwbMemory *self)
{
  g_return_val_if_fail (KWB_IS_MEMORY (self), NULL);
  return self->bytes;
}

const guint8 *
kwb_memory_get_flags (KwbMemory *self,
                      gsize     *length)
{
  g_return_val_if_fail (KWB_IS_MEMORY (self), NULL);

  if (length != NULL)
    *length = self->bytes ? g_bytes_get_size (self->bytes) : 0;
  return self->flags;
}

const GError *
kwb_memory_get_error (KwbMemory *self)
{
  g_return_val_if_fail (KWB_IS_MEMORY (self), NULL);
  return self->error;
}

gsize
kwb_memory_count_flag (KwbMemory          *self,
                       KwbMemoryByteFlags  flag)
{
  gsize n = 0, length;

  g_return_val_if_fail (KWB_IS_MEMORY (self), 0);

  length = self->bytes ? g_bytes_get_size (self->bytes) : 0;
  for (gsize i = 0; i < length; i++)
    if (self->flags[i] & flag)
      n++;
  return n;
}

/* ---- refresh ---- */

typedef struct {
  guint    serial;
  char    *expression;
  guint64  address;
  gsize    length;
  guint8  *data;
  guint8  *flags;
  guint    pending;
  GError  *error;     /* the first failed page's */
} Refresh;

static void
refresh_free (gpointer data)
{
  Refresh *r = data;

  g_free (r->expression);
  g_free (r->data);
  g_free (r->flags);
  g_clear_error (&r->error);
  g_free (r);
}

/* Marks the bytes read at both stops whose value differs. */
static void
mark_changed (KwbMemory *self)
{
  gsize length = g_bytes_get_size (self->bytes), prev_length;
  const guint8 *data = g_bytes_get_data (self->bytes, NULL);
  const guint8 *prev;
  guint64 start, end;

  if (self->prev_bytes == NULL)
    return;
  prev = g_bytes_get_data (self->prev_bytes, &prev_length);
  /* The overlap, in offsets from each side's address; no wrap-around:
   * both ranges end within the address space. */
  start = MAX (self->address, self->prev_address);
  end = MIN (self->address + (length - 1), self->prev_address + (prev_length - 1));
  for (guint64 a = start; a <= end && start <= end; a++)
    {
      gsize i = a - self->address, j = a - self->prev_address;

      if (((self->flags[i] | self->prev_flags[j]) & KWB_MEMORY_BYTE_UNREADABLE) == 0 && data[i] != prev[j])
        self->flags[i] |= KWB_MEMORY_BYTE_CHANGED;
      if (a == G_MAXUINT64)
        break;
    }
}

/* The first refresh that ends at a new stop: what was read at an earlier
 * stop becomes what "changed" compares with, whatever this refresh ends in. */
static void
begin_stop (KwbMemory *self)
{
  if (self->n_stops == self->n_stops_applied)
    return;
  if (self->bytes != NULL)
    {
      g_clear_pointer (&self->prev_bytes, g_bytes_unref);
      g_clear_pointer (&self->prev_flags, g_free);
      self->prev_address = self->address;
      self->prev_bytes = g_steal_pointer (&self->bytes);
      self->prev_flags = g_steal_pointer (&self->flags);
    }
  self->n_stops_applied = self->n_stops;
}

static void
apply (GTask *task)
{
  KwbMemory *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);

  if (r->serial != self->serial)
    {
      /* A newer refresh was started: this one's reads are older. */
      g_task_return_boolean (task, TRUE);
      return;
    }
  begin_stop (self);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->flags, g_free);
  g_clear_error (&self->error);
  self->address = r->address;
  if (r->data != NULL)
    {
      self->bytes = g_bytes_new_take (g_steal_pointer (&r->data), r->length);
      self->flags = g_steal_pointer (&r->flags);
      mark_changed (self);
    }
  g_signal_emit (self, signals[REFRESHED], 0);
  g_task_return_boolean (task, TRUE);
}

/* A refresh that fails shows nothing: the old bytes belong to another address. */
static void
fail (GTask  *task,
      GError *error)
{
  KwbMemory *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);

  if (r->serial == self->serial && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      begin_stop (self);
      g_clear_pointer (&self->bytes, g_bytes_unref);
      g_clear_pointer (&self->flags, g_free);
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
      g_signal_emit (self, signals[REFRESHED], 0);
    }
  g_task_return_error (task, error);
}

typedef struct {
  GTask *task;
  gsize  offset;
  gsize  length;
} PageRead;

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  PageRead *page = user_data;
  g_autoptr(GTask) task = page->task;
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);

  if (bytes != NULL)
    memcpy (r->data + page->offset, g_bytes_get_data (bytes, NULL), page->length);
  else
    {
      memset (r->flags + page->offset, KWB_MEMORY_BYTE_UNREADABLE, page->length);
      if (r->error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&r->error);
          r->error = g_steal_pointer (&error);
        }
      g_clear_error (&error);
    }
  g_free (page);

  if (--r->pending > 0)
    return;
  if (g_error_matches (r->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fail (task, g_steal_pointer (&r->error));
  else if (memchr (r->flags, 0, r->length) == NULL)
    fail (task, g_error_new (KWB_MEMORY_ERROR, KWB_MEMORY_ERROR_UNREADABLE,
                             _("Cannot read guest memory from 0x%llx to 0x%llx: no page of it is mapped (%s)"),
                             (unsigned long long) r->address,
                             (unsigned long long) (r->address + (r->length - 1)), r->error->message));
  else
    apply (task);
}

/* Reads the range again one page at a time, the unreadable pages flagged. */
static void
read_pages (GTask *task)
{
  KwbMemory *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  guint64 last = r->address + (r->length - 1);
  guint64 first_page = r->address & ~(PAGE_SIZE - 1);
  guint64 n_pages = (last / PAGE_SIZE) - (r->address / PAGE_SIZE) + 1;

  for (guint64 i = 0; i < n_pages; i++)
    {
      guint64 page_start = first_page + i * PAGE_SIZE;
      guint64 start = MAX (page_start, r->address);
      guint64 end = MIN (page_start + (PAGE_SIZE - 1), last);
      PageRead *page = g_new0 (PageRead, 1);

      page->task = g_object_ref (task);
      page->offset = start - r->address;
      page->length = end - start + 1;
      r->pending++;
      kwb_session_read_memory_async (self->session, start, page->length, g_task_get_cancellable (task),
                                     page_cb, page);
    }
}

static void
whole_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Refresh *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);

  if (bytes != NULL)
    {
      memcpy (r->data, g_bytes_get_data (bytes, NULL), r->length);
      apply (task);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE))
    fail (task, g_steal_pointer (&error));
  else
    read_pages (task);
}

static void
read_at (GTask   *task,
         guint64  address)
{
  KwbMemory *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);

  r->address = address;
  r->length = self->length;
  /* A range that would run past the top of the address space stops there. */
  if (address + (r->length - 1) < address)
    r->length = G_MAXUINT64 - address + 1;
  r->data = g_malloc0 (r->length);
  r->flags = g_malloc0 (r->length);
  kwb_session_read_memory_async (self->session, address, r->length, g_task_get_cancellable (task),
                                 whole_cb, task);
}

/* Python run in GDB: prints "kwb-memory-address HEX" or
 * "kwb-memory-error MESSAGE" for the first expression of the list that
 * GDB knows (the second is the first with `current` expanded, tried only
 * when GDB does not know `current`). See the rules in kwb-memory.h. */
static const char resolve_script[] =
  "import gdb\n"
  "def _kwb_memory_address(exprs):\n"
  "    err = None\n"
  "    for e in exprs:\n"
  "        try:\n"
  "            v = gdb.parse_and_eval(e)\n"
  "            t = v.type.strip_typedefs()\n"
  "            if t.code == gdb.TYPE_CODE_PTR:\n"
  "                a = int(v)\n"
  "            elif v.address is not None:\n"
  "                a = int(v.address)\n"
  "            else:\n"
  "                a = int(v)\n"
  "        except Exception as x:\n"
  "            if err is None:\n"
  "                err = x\n"
  "            if 'No symbol \"current\"' not in str(x):\n"
  "                break\n"
  "            continue\n"
  "        print('kwb-memory-address 0x%x' % (a & 0xffffffffffffffff))\n"
  "        return\n"
  "    print('kwb-memory-error %s' % err)\n";

static void
append_hex (GString    *out,
            const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    g_string_append_printf (out, "%02x", *p);
}

static char *
resolve_command (const char *expression)
{
  g_autofree char *expanded = kwb_memory_expand_current (expression);
  g_autoptr(GString) script = g_string_new (resolve_script);
  g_autoptr(GString) command = g_string_new ("python exec(bytes.fromhex('");

  g_string_append (script, "_kwb_memory_address([bytes.fromhex('");
  append_hex (script, expression);
  g_string_append (script, "').decode('utf-8', 'replace')");
  if (expanded != NULL)
    {
      g_string_append (script, ", bytes.fromhex('");
      append_hex (script, expanded);
      g_string_append (script, "').decode('utf-8', 'replace')");
    }
  g_string_append (script, "])\n");
  append_hex (command, script->str);
  g_string_append (command, "').decode())");
  return g_string_free (g_steal_pointer (&command), FALSE);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *output = kwb_session_console_finish (KWB_SESSION (object), result, &error);
  const char *line;
  guint64 address;

  if (output == NULL)
    {
      g_prefix_error (&error, _("Could not evaluate “%s”: "), r->expression);
      fail (task, error);
      return;
    }
  g_strchomp (output);
  if ((line = strstr (output, "kwb-memory-address ")) != NULL &&
      kwb_memory_parse_address (line + strlen ("kwb-memory-address "), &address))
    {
      read_at (g_steal_pointer (&task), address);
      return;
    }
  line = strstr (output, "kwb-memory-error ");
  fail (task, g_error_new (KWB_MEMORY_ERROR, KWB_MEMORY_ERROR_EXPRESSION,
                           _("“%s” names no address: %s"), r->expression,
                           line ? line + strlen ("kwb-memory-error ") : output));
}

void
kwb_memory_refresh_async (KwbMemory           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *command = NULL;
  Refresh *r;
  guint64 address;

  g_return_if_fail (KWB_IS_MEMORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_memory_refresh_async);
  r = g_new0 (Refresh, 1);
  r->serial = ++self->serial;
  r->expression = g_strdup (self->expression);
  g_task_set_task_data (task, r, refresh_free);

  /* Nothing asked (a panel whose entry is empty): nothing to show, no error. */
  if (r->expression == NULL || r->expression[0] == '\0')
    {
      apply (task);
      return;
    }
  if (kwb_memory_parse_address (r->expression, &address))
    {
      read_at (g_steal_pointer (&task), address);
      return;
    }
  command = resolve_command (r->expression);
  kwb_session_console_async (self->session, command, cancellable, resolve_cb, g_steal_pointer (&task));
}

gboolean
kwb_memory_refresh_finish (KwbMemory     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_memory_refresh_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
kwb_memory_view_refresh_async (KwbKernelView       *view,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  kwb_memory_refresh_async (KWB_MEMORY (view), cancellable, callback, user_data);
}

static gboolean
kwb_memory_view_refresh_finish (KwbKernelView  *view,
                                GAsyncResult   *result,
                                GError        **error)
{
  return kwb_memory_refresh_finish (KWB_MEMORY (view), result, error);
}

static void
kwb_memory_kernel_view_init (KwbKernelViewInterface *iface)
{
  iface->refresh_async = kwb_memory_view_refresh_async;
  iface->refresh_finish = kwb_memory_view_refresh_finish;
}
