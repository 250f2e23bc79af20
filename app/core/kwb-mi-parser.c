/* kwb-mi-parser.c — streaming parser of GDB/MI 3 output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Grammar: GDB manual, "GDB/MI Output Syntax". Lines are cut first (memchr),
 * then each complete line is parsed in one pass, without recursion (a
 * container stack, so hostile nesting cannot overflow the C stack), into
 * scratch arrays that are reused from line to line. Only the finished record
 * is allocated, in one block. A line that straddles two chunks is copied
 * into a carry buffer; a line inside one chunk is parsed in place.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-mi-parser.h"
#include "kwb-mi-record-private.h"

/* Scratch buffers above this are freed after their line. */
#define SCRATCH_KEEP (4 * 1024 * 1024)

typedef struct {
  guint32    start;     /* first child on the value stack */
  guint32    kind;
  guintptr   key;       /* offset + 1 in the string buffer, 0: none */
} Frame;

struct _KwbMiParser {
  GObject     parent_instance;

  /* A partial line carried from one feed() to the next. */
  char       *line;
  gsize       line_len;
  gsize       line_cap;
  gsize       max_line;
  gsize       discarded;   /* bytes of a too-long line dropped so far */
  gboolean    skip_lf;     /* the last chunk ended with CR */

  /* Scratch space for the line being parsed. While parsing, KwbMiValue's
   * pointer fields hold offsets (see finish_record). */
  KwbMiValue *stack;       /* finished values not yet in a container */
  gsize       stack_len;
  gsize       stack_cap;
  KwbMiValue *out;         /* values placed, children contiguous */
  gsize       out_len;
  gsize       out_cap;
  Frame      *frames;
  gsize       frames_len;
  gsize       frames_cap;
  char       *strings;
  gsize       strings_len;
  gsize       strings_cap;
};

G_DEFINE_FINAL_TYPE (KwbMiParser, kwb_mi_parser, G_TYPE_OBJECT)

typedef struct {
  KwbMiParser *self;
  const char  *line;
  const char  *p;
  const char  *end;
  const char  *error;
  KwbMiRecordType type;
  gboolean     has_token;
  guint64      token;
  guintptr     klass;      /* offset + 1 */
  gsize        text_off;
  gsize        text_len;
} Parse;

static void
kwb_mi_parser_finalize (GObject *object)
{
  KwbMiParser *self = KWB_MI_PARSER (object);

  g_free (self->line);
  g_free (self->stack);
  g_free (self->out);
  g_free (self->frames);
  g_free (self->strings);

  G_OBJECT_CLASS (kwb_mi_parser_parent_class)->finalize (object);
}

static void
kwb_mi_parser_class_init (KwbMiParserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_mi_parser_finalize;
}

static void
kwb_mi_parser_init (KwbMiParser *self)
{
  self->max_line = KWB_MI_DEFAULT_MAX_LINE;
}

KwbMiParser *
kwb_mi_parser_new (void)
{
  return g_object_new (KWB_TYPE_MI_PARSER, NULL);
}

void
kwb_mi_parser_set_max_line_length (KwbMiParser *self,
                                   gsize        max_line_length)
{
  g_return_if_fail (KWB_IS_MI_PARSER (self));
  /* Value lengths are 32-bit in a record. */
  self->max_line = CLAMP (max_line_length, KWB_MI_ERROR_TEXT_MAX, G_MAXUINT32 / 2);
}

static void *
grow (void  *array,
      gsize *cap,
      gsize  needed,
      gsize  item_size)
{
  gsize new_cap = MAX (*cap * 2, 64);

  while (new_cap < needed)
    new_cap *= 2;
  *cap = new_cap;
  return g_realloc_n (array, new_cap, item_size);
}

static inline KwbMiValue *
push_value (KwbMiParser *self)
{
  if (G_UNLIKELY (self->stack_len == self->stack_cap))
    self->stack = grow (self->stack, &self->stack_cap, self->stack_len + 1, sizeof (KwbMiValue));
  return &self->stack[self->stack_len++];
}

/* Moves the values stack[start..] to the output, contiguous; returns where. */
static guint32
place_children (KwbMiParser *self,
                gsize        start)
{
  gsize n = self->stack_len - start;
  gsize at = self->out_len;

  if (n == 0)
    return (guint32) at; /* out may still be NULL: no NULL + 0 */
  if (G_UNLIKELY (self->out_len + n > self->out_cap))
    self->out = grow (self->out, &self->out_cap, self->out_len + n, sizeof (KwbMiValue));
  memcpy (self->out + at, self->stack + start, n * sizeof (KwbMiValue));
  self->out_len += n;
  self->stack_len = start;
  return (guint32) at;
}

static gboolean
fail (Parse      *ps,
      const char *message)
{
  ps->error = message;
  return FALSE;
}

/* p is on the opening quote. The decoded text goes to the string buffer,
 * which has room for the whole line (decoding never lengthens a string). */
static gboolean
parse_cstring (Parse *ps,
               gsize *off,
               gsize *len)
{
  KwbMiParser *self = ps->self;
  const char *p = ps->p + 1;
  const char *end = ps->end;
  char *dst = self->strings + self->strings_len;
  char *start = dst;

  for (;;)
    {
      const char *quote = memchr (p, '"', (gsize) (end - p));
      const char *backslash;
      guint c;

      if (quote == NULL)
        {
          ps->p = end;
          return fail (ps, N_("unterminated string"));
        }
      backslash = memchr (p, '\\', (gsize) (quote - p));
      if (backslash == NULL)
        {
          memcpy (dst, p, (gsize) (quote - p));
          dst += quote - p;
          p = quote + 1;
          break;
        }
      memcpy (dst, p, (gsize) (backslash - p));
      dst += backslash - p;
      p = backslash + 1;
      /* p < end: the quote found above is still ahead */
      c = (guchar) *p++;
      switch (c)
        {
        case 'n': *dst++ = '\n'; break;
        case 't': *dst++ = '\t'; break;
        case 'r': *dst++ = '\r'; break;
        case 'b': *dst++ = '\b'; break;
        case 'f': *dst++ = '\f'; break;
        case 'v': *dst++ = '\v'; break;
        case 'a': *dst++ = '\a'; break;
        case 'e': *dst++ = '\033'; break;
        case '0': case '1': case '2': case '3':
        case '4': case '5': case '6': case '7':
          {
            guint value = c - '0';

            for (int i = 0; i < 2 && p < end && *p >= '0' && *p <= '7'; i++)
              value = value * 8 + (guint) (*p++ - '0');
            if (value > 0xff)
              {
                ps->p = p;
                return fail (ps, N_("octal escape above \\377"));
              }
            *dst++ = (char) value;
          }
          break;
        case '"': case '\\': case '\'': case '?':
          *dst++ = (char) c;
          break;
        default:
          /* GDB never writes other escapes; keep them as they are. */
          *dst++ = '\\';
          *dst++ = (char) c;
          break;
        }
    }

  *dst++ = '\0';
  *off = (gsize) (start - self->strings);
  *len = (gsize) (dst - start - 1);
  self->strings_len = (gsize) (dst - self->strings);
  ps->p = p;
  return TRUE;
}

static inline gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

/* A key: everything up to '=' that is not structure. */
static gboolean
parse_key (Parse    *ps,
           guintptr *key)
{
  KwbMiParser *self = ps->self;
  const char *p = ps->p;
  const char *start = p;

  while (p < ps->end && *p != '=')
    {
      if (*p == ',' || *p == '{' || *p == '}' || *p == '[' || *p == ']' || *p == '"')
        {
          ps->p = p;
          return fail (ps, N_("expected “=” after a name"));
        }
      p++;
    }
  if (p == ps->end)
    {
      ps->p = p;
      return fail (ps, N_("expected “=” after a name"));
    }
  if (p == start)
    return fail (ps, N_("empty name before “=”"));

  memcpy (self->strings + self->strings_len, start, (gsize) (p - start));
  *key = self->strings_len + 1;
  self->strings_len += (gsize) (p - start);
  self->strings[self->strings_len++] = '\0';
  ps->p = p + 1;
  return TRUE;
}

static void
close_frame (KwbMiParser *self)
{
  Frame f = self->frames[--self->frames_len];
  gsize n = self->stack_len - f.start;
  guint32 at = place_children (self, f.start);
  KwbMiValue *v = push_value (self);

  v->key = (const char *) f.key;
  v->u.children = (const KwbMiValue *) (guintptr) at;
  v->len = (guint32) n;
  v->kind = f.kind;
}

/* p is just after the class: ( "," result )* up to the end of the line. */
static gboolean
parse_results (Parse *ps)
{
  KwbMiParser *self = ps->self;

  if (ps->p == ps->end)
    return TRUE;
  if (*ps->p != ',')
    return fail (ps, N_("expected “,” after the record class"));
  ps->p++;

  for (;;)
    {
      guintptr key = 0;
      char c;

      /* An element: [name "="] value. Names are optional everywhere so
       * that MI2's nameless multi-location breakpoint tuples parse too. */
      if (ps->p == ps->end)
        return fail (ps, N_("expected a value"));
      c = *ps->p;
      if (c != '"' && c != '{' && c != '[')
        {
          if (!parse_key (ps, &key))
            return FALSE;
          if (ps->p == ps->end)
            return fail (ps, N_("expected a value after “=”"));
          c = *ps->p;
        }

      if (c == '"')
        {
          gsize off, len;
          KwbMiValue *v;

          if (!parse_cstring (ps, &off, &len))
            return FALSE;
          v = push_value (self);
          v->key = (const char *) key;
          v->u.string = (const char *) (guintptr) off;
          v->len = (guint32) len;
          v->kind = KWB_MI_VALUE_STRING;
        }
      else if (c == '{' || c == '[')
        {
          Frame *f;

          if (self->frames_len >= KWB_MI_MAX_DEPTH)
            return fail (ps, N_("values nested too deeply"));
          if (G_UNLIKELY (self->frames_len == self->frames_cap))
            self->frames = grow (self->frames, &self->frames_cap, self->frames_len + 1, sizeof (Frame));
          f = &self->frames[self->frames_len++];
          f->start = (guint32) self->stack_len;
          f->kind = c == '{' ? KWB_MI_VALUE_TUPLE : KWB_MI_VALUE_LIST;
          f->key = key;
          ps->p++;
          if (ps->p < ps->end && *ps->p == (c == '{' ? '}' : ']'))
            {
              ps->p++;
              close_frame (self);
            }
          else
            continue;
        }
      else
        return fail (ps, N_("expected a value: “\"”, “{” or “[”"));

      /* After an element: "," or closing brackets, or the end. */
      for (;;)
        {
          if (ps->p == ps->end)
            {
              if (self->frames_len == 0)
                return TRUE;
              return fail (ps, self->frames[self->frames_len - 1].kind == KWB_MI_VALUE_TUPLE
                               ? N_("unterminated tuple: expected “}”")
                               : N_("unterminated list: expected “]”"));
            }
          c = *ps->p;
          if (c == ',')
            {
              ps->p++;
              break;
            }
          if (self->frames_len > 0 &&
              c == (self->frames[self->frames_len - 1].kind == KWB_MI_VALUE_TUPLE ? '}' : ']'))
            {
              ps->p++;
              close_frame (self);
              continue;
            }
          return fail (ps, N_("expected “,” or the end of a tuple or list"));
        }
    }
}

static gboolean
parse_line_syntax (Parse *ps)
{
  KwbMiParser *self = ps->self;
  const char *start;
  char c;

  /* token → any sequence of digits */
  if (g_ascii_isdigit (*ps->p))
    {
      guint64 token = 0;

      while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
        {
          guint digit = (guint) (*ps->p - '0');

          if (token > (G_MAXUINT64 - digit) / 10)
            return fail (ps, N_("token too large"));
          token = token * 10 + digit;
          ps->p++;
        }
      ps->has_token = TRUE;
      ps->token = token;
      if (ps->p == ps->end)
        return fail (ps, N_("a token must be followed by a record"));
    }

  c = *ps->p;
  switch (c)
    {
    case '^': ps->type = KWB_MI_RECORD_RESULT; break;
    case '*': ps->type = KWB_MI_RECORD_EXEC; break;
    case '+': ps->type = KWB_MI_RECORD_STATUS; break;
    case '=': ps->type = KWB_MI_RECORD_NOTIFY; break;
    case '~': ps->type = KWB_MI_RECORD_CONSOLE; break;
    case '@': ps->type = KWB_MI_RECORD_TARGET; break;
    case '&': ps->type = KWB_MI_RECORD_LOG; break;
    case '(':
      if (ps->has_token)
        return fail (ps, N_("a prompt cannot have a token"));
      if ((gsize) (ps->end - ps->p) < 5 || memcmp (ps->p, "(gdb)", 5) != 0)
        return fail (ps, N_("not an MI record"));
      ps->p += 5;
      while (ps->p < ps->end && *ps->p == ' ')
        ps->p++;
      if (ps->p != ps->end)
        return fail (ps, N_("text after the “(gdb)” prompt"));
      ps->type = KWB_MI_RECORD_PROMPT;
      return TRUE;
    default:
      return fail (ps, N_("not an MI record"));
    }
  ps->p++;

  if (ps->type == KWB_MI_RECORD_CONSOLE || ps->type == KWB_MI_RECORD_TARGET || ps->type == KWB_MI_RECORD_LOG)
    {
      if (ps->has_token)
        {
          ps->p--;
          return fail (ps, N_("a stream record cannot have a token"));
        }
      if (ps->p == ps->end || *ps->p != '"')
        return fail (ps, N_("expected a string after the stream marker"));
      if (!parse_cstring (ps, &ps->text_off, &ps->text_len))
        return FALSE;
      if (ps->p != ps->end)
        return fail (ps, N_("text after the end of the string"));
      return TRUE;
    }

  start = ps->p;
  while (ps->p < ps->end && is_word_char (*ps->p))
    ps->p++;
  if (ps->p == start)
    return fail (ps, N_("expected a record class"));
  memcpy (self->strings + self->strings_len, start, (gsize) (ps->p - start));
  ps->klass = self->strings_len + 1;
  self->strings_len += (gsize) (ps->p - start);
  self->strings[self->strings_len++] = '\0';

  return parse_results (ps);
}

/* Copies the scratch space into one refcounted block and turns the offsets
 * into pointers. */
static KwbMiRecord *
finish_record (Parse *ps)
{
  KwbMiParser *self = ps->self;
  gsize head = (sizeof (KwbMiRecord) + 15) & ~(gsize) 15;
  gsize n_top = self->stack_len;
  guint32 top_at = place_children (self, 0);
  KwbMiRecord *record;
  KwbMiValue *values;
  char *strings;

  record = g_atomic_rc_box_alloc (head + self->out_len * sizeof (KwbMiValue) + self->strings_len);
  values = (KwbMiValue *) (gpointer) ((char *) record + head);
  strings = (char *) (values + self->out_len);
  memcpy (strings, self->strings, self->strings_len);

  for (gsize i = 0; i < self->out_len; i++)
    {
      const KwbMiValue *s = &self->out[i];
      KwbMiValue *d = &values[i];

      d->key = s->key ? strings + ((guintptr) s->key - 1) : NULL;
      if (s->kind == KWB_MI_VALUE_STRING)
        d->u.string = strings + (guintptr) s->u.string;
      else
        d->u.children = values + (guintptr) s->u.children;
      d->len = s->len;
      d->kind = s->kind;
    }

  record->type = ps->type;
  record->column = 0;
  record->has_token = ps->has_token;
  record->token = ps->token;
  record->klass = ps->klass ? strings + ps->klass - 1 : NULL;
  record->error = NULL;
  if (ps->type == KWB_MI_RECORD_CONSOLE || ps->type == KWB_MI_RECORD_TARGET || ps->type == KWB_MI_RECORD_LOG)
    {
      record->text = strings + ps->text_off;
      record->text_len = ps->text_len;
    }
  else
    {
      record->text = NULL;
      record->text_len = 0;
    }
  record->results.key = NULL;
  record->results.u.children = values + top_at;
  record->results.len = (guint32) n_top;
  record->results.kind = KWB_MI_VALUE_TUPLE;
  return record;
}

static KwbMiRecord *
error_record (const char *message,
              guint       column,
              const char *line,
              gsize       len)
{
  gsize head = (sizeof (KwbMiRecord) + 15) & ~(gsize) 15;
  gsize text_len = MIN (len, KWB_MI_ERROR_TEXT_MAX);
  KwbMiRecord *record = g_atomic_rc_box_alloc0 (head + text_len + 1);
  char *text = (char *) record + head;

  memcpy (text, line, text_len);
  text[text_len] = '\0';
  record->type = KWB_MI_RECORD_ERROR;
  record->column = column;
  record->error = message;
  record->text = text;
  record->text_len = text_len;
  record->results.kind = KWB_MI_VALUE_TUPLE;
  record->results.u.children = NULL;
  return record;
}

static KwbMiRecord *
parse_line (KwbMiParser *self,
            const char  *line,
            gsize        len)
{
  Parse ps = { self, line, line, line + len, NULL, 0, FALSE, 0, 0, 0, 0 };

  /* Room for every decoded string and key of the line, never reallocated
   * while pointers into it are live. */
  if (self->strings_cap < len + 16)
    {
      g_free (self->strings);
      self->strings_cap = MAX (len + 16, 256);
      self->strings = g_malloc (self->strings_cap);
    }
  self->strings_len = 0;
  self->stack_len = 0;
  self->out_len = 0;
  self->frames_len = 0;

  if (!parse_line_syntax (&ps))
    return error_record (ps.error, (guint) (ps.p - line), line, len);
  return finish_record (&ps);
}

KwbMiRecord *
kwb_mi_parse_line (const char *line,
                   gssize      len)
{
  g_autoptr(KwbMiParser) parser = kwb_mi_parser_new ();

  if (len < 0)
    len = (gssize) strlen (line);
  if (len == 0)
    return NULL;
  return parse_line (parser, line, (gsize) len);
}

static void
emit_line (KwbMiParser     *self,
           const char      *line,
           gsize            len,
           KwbMiRecordFunc  func,
           gpointer         user_data)
{
  KwbMiRecord *record;

  if (len == 0)
    return;
  if (len > self->max_line)
    record = error_record (N_("line too long"), (guint) self->max_line, line, len);
  else
    record = parse_line (self, line, len);
  func (record, user_data);
  kwb_mi_record_unref (record);

  /* Scratch space grows to the longest line; after a huge one (a kernel's
   * -symbol-info-functions) give it back rather than keep it for good. */
  if (self->strings_cap > SCRATCH_KEEP)
    {
      g_clear_pointer (&self->strings, g_free);
      g_clear_pointer (&self->stack, g_free);
      g_clear_pointer (&self->out, g_free);
      g_clear_pointer (&self->frames, g_free);
      self->strings_cap = self->stack_cap = self->out_cap = self->frames_cap = 0;
    }
}

static void
carry (KwbMiParser *self,
       const char  *data,
       gsize        len)
{
  if (self->discarded > 0 || self->line_len + len > self->max_line)
    {
      /* Keep only what an error record shows. */
      gsize keep = self->line_len < KWB_MI_ERROR_TEXT_MAX ? MIN (len, KWB_MI_ERROR_TEXT_MAX - self->line_len) : 0;

      self->discarded += len - keep;
      len = keep;
    }
  if (self->line_len + len > self->line_cap)
    self->line = grow (self->line, &self->line_cap, self->line_len + len, 1);
  memcpy (self->line + self->line_len, data, len);
  self->line_len += len;
}

static void
end_carried_line (KwbMiParser     *self,
                  KwbMiRecordFunc  func,
                  gpointer         user_data)
{
  if (self->discarded > 0)
    {
      KwbMiRecord *record = error_record (N_("line too long"), (guint) self->max_line,
                                          self->line, self->line_len);

      func (record, user_data);
      kwb_mi_record_unref (record);
    }
  else
    emit_line (self, self->line, self->line_len, func, user_data);
  self->line_len = 0;
  self->discarded = 0;
  /* A huge line should not pin its buffer for the life of the parser. */
  if (self->line_cap > SCRATCH_KEEP)
    {
      g_clear_pointer (&self->line, g_free);
      self->line_cap = 0;
    }
}

void
kwb_mi_parser_feed (KwbMiParser     *self,
                    const char      *data,
                    gsize            len,
                    KwbMiRecordFunc  func,
                    gpointer         user_data)
{
  const char *p = data;
  const char *end = data + len;
  const char *nl = NULL;
  gboolean searched = FALSE;

  g_return_if_fail (KWB_IS_MI_PARSER (self));
  g_return_if_fail (data != NULL || len == 0);
  g_return_if_fail (func != NULL);

  if (self->skip_lf && p < end)
    {
      if (*p == '\n')
        p++;
      self->skip_lf = FALSE;
    }

  while (p < end)
    {
      const char *cr;
      const char *eol;

      /* Search for LF again only once it is behind us: lone CRs before it
       * must not make the scan quadratic. */
      if (!searched || (nl != NULL && nl < p))
        {
          nl = memchr (p, '\n', (gsize) (end - p));
          searched = TRUE;
        }
      cr = memchr (p, '\r', (gsize) ((nl ? nl : end) - p));
      eol = cr ? cr : nl;

      if (eol == NULL)
        {
          carry (self, p, (gsize) (end - p));
          break;
        }

      if (self->line_len == 0 && self->discarded == 0)
        emit_line (self, p, (gsize) (eol - p), func, user_data);
      else
        {
          carry (self, p, (gsize) (eol - p));
          end_carried_line (self, func, user_data);
        }

      p = eol + 1;
      if (*eol == '\r')
        {
          if (p == end)
            self->skip_lf = TRUE;
          else if (*p == '\n')
            p++;
        }
    }
}

void
kwb_mi_parser_finish (KwbMiParser     *self,
                      KwbMiRecordFunc  func,
                      gpointer         user_data)
{
  g_return_if_fail (KWB_IS_MI_PARSER (self));

  if (self->line_len > 0 || self->discarded > 0)
    end_carried_line (self, func, user_data);
  self->skip_lf = FALSE;
}
