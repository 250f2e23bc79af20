/* kwb-kernel-log.c — the guest kernel's printk log, read from guest memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why not lx-dmesg: it asks GDB for every descriptor, info and text block
 * one by one (thousands of round trips for a full log) and prints text.
 * Here the structure layout is asked once per session (one printf of every
 * sizeof/offsetof, one ptype/o for the level bit-field), and each refresh is
 * five memory reads: the `prb` pointer, the ring buffer's header, then the
 * descriptor array, the info array and the text ring, parsed in C. Guest
 * memory is hostile input: every index, length and id is checked before
 * use, and records that do not check out are skipped, not guessed at.
 */
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kwb-kernel-log-private.h"

/* States of a descriptor, in the two top bits of its state_var. */
#define DESC_COMMITTED 1
#define DESC_FINALIZED 2

struct _KwbKernelLog
{
  GObject       parent_instance;
  KwbSession   *session;
  GPtrArray    *records;
  guint         n_new;
  guint64       first_new_seq;
  guint         serial;

  gboolean      have_layout;
  KwbPrbLayout  layout;
  guint64       prb_pointer;

  /* The last refresh's reads, for kwb_kernel_log_save_snapshot(). */
  GBytes       *last_header;
  GBytes       *last_descs;
  GBytes       *last_infos;
  GBytes       *last_text;
};

static void kwb_kernel_log_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KwbKernelLog, kwb_kernel_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, kwb_kernel_log_list_model_init))
G_DEFINE_QUARK (kwb-kernel-log-error-quark, kwb_kernel_log_error)

/* ---- the layout, from the kernel's debug information ---- */

typedef struct {
  const char *key;        /* in snapshots */
  const char *expression; /* for GDB's printf */
  gsize       offset;     /* in KwbPrbLayout */
} LayoutField;

/* Every type is reached from printk.c's `prb` pointer (typeof, sizeof:
 * GDB reads no memory for them): looking a struct up by its tag searches
 * the whole vmlinux each time, a hundred times slower. */
#define PRB "'printk.c'::prb"
#define DESC_RING "&" PRB "->desc_ring"
#define TEXT_RING "&" PRB "->text_data_ring"
#define DESCS PRB "->desc_ring.descs"
#define INFOS PRB "->desc_ring.infos"
#define OFFSETOF(pointer, member) "(unsigned long)&((typeof (" pointer ")) 0)->" member
#define FIELD(name, expression) { #name, expression, G_STRUCT_OFFSET (KwbPrbLayout, name) }

static const LayoutField layout_fields[] = {
  FIELD (long_size, "sizeof (long)"),
  FIELD (rb_size, "sizeof (*" PRB ")"),
  FIELD (rb_desc_ring, OFFSETOF (PRB, "desc_ring")),
  FIELD (rb_text_data_ring, OFFSETOF (PRB, "text_data_ring")),
  FIELD (dr_count_bits, OFFSETOF (DESC_RING, "count_bits")),
  FIELD (dr_descs, OFFSETOF (DESC_RING, "descs")),
  FIELD (dr_infos, OFFSETOF (DESC_RING, "infos")),
  FIELD (dr_head_id, OFFSETOF (DESC_RING, "head_id")),
  FIELD (dr_tail_id, OFFSETOF (DESC_RING, "tail_id")),
  FIELD (tr_size_bits, OFFSETOF (TEXT_RING, "size_bits")),
  FIELD (tr_data, OFFSETOF (TEXT_RING, "data")),
  FIELD (desc_size, "sizeof (*" DESCS ")"),
  FIELD (desc_state_var, OFFSETOF (DESCS, "state_var")),
  FIELD (desc_begin, OFFSETOF (DESCS, "text_blk_lpos.begin")),
  FIELD (desc_next, OFFSETOF (DESCS, "text_blk_lpos.next")),
  FIELD (info_size, "sizeof (*" INFOS ")"),
  FIELD (info_seq, OFFSETOF (INFOS, "seq")),
  FIELD (info_ts_nsec, OFFSETOF (INFOS, "ts_nsec")),
  FIELD (info_text_len, OFFSETOF (INFOS, "text_len")),
  FIELD (info_facility, OFFSETOF (INFOS, "facility")),
  FIELD (info_caller_id, OFFSETOF (INFOS, "caller_id")),
  /* The level is a bit-field: its place comes from ptype/o. */
  { "info_level_byte", NULL, G_STRUCT_OFFSET (KwbPrbLayout, info_level_byte) },
  { "info_level_shift", NULL, G_STRUCT_OFFSET (KwbPrbLayout, info_level_shift) },
};

#define LAYOUT_FIELD(layout, field) (G_STRUCT_MEMBER (guint, (layout), (field)->offset))

const char *
kwb_prb_layout_command (void)
{
  static char *command;

  if (g_once_init_enter (&command))
    {
      GString *format = g_string_new ("printf \"");
      GString *args = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (layout_fields); i++)
        if (layout_fields[i].expression != NULL)
          {
            g_string_append (format, "%lu ");
            g_string_append_printf (args, ", %s", layout_fields[i].expression);
          }
      /* printk.c's own `prb`: a pointer that moves from the static ring to
       * the one setup_log_buf() allocates. */
      g_string_append (format, "%lu\\n\"");
      g_string_append (args, ", (unsigned long) &" PRB);
      g_string_append (format, args->str);
      g_string_free (args, TRUE);
      g_once_init_leave (&command, g_string_free (format, FALSE));
    }
  return command;
}

gboolean
kwb_prb_layout_check (const KwbPrbLayout  *layout,
                      GError             **error)
{
  const KwbPrbLayout *l = layout;
  gboolean ok = (l->long_size == 4 || l->long_size == 8) &&
                l->rb_size > 0 && l->rb_size <= 4096 &&
                l->rb_desc_ring < l->rb_size && l->rb_text_data_ring < l->rb_size &&
                l->rb_desc_ring + l->dr_count_bits + 4 <= l->rb_size &&
                l->rb_desc_ring + l->dr_descs + l->long_size <= l->rb_size &&
                l->rb_desc_ring + l->dr_infos + l->long_size <= l->rb_size &&
                l->rb_desc_ring + l->dr_head_id + l->long_size <= l->rb_size &&
                l->rb_desc_ring + l->dr_tail_id + l->long_size <= l->rb_size &&
                l->rb_text_data_ring + l->tr_size_bits + 4 <= l->rb_size &&
                l->rb_text_data_ring + l->tr_data + l->long_size <= l->rb_size &&
                l->desc_size > 0 && l->desc_size <= 256 &&
                l->desc_state_var + l->long_size <= l->desc_size &&
                l->desc_begin + l->long_size <= l->desc_size &&
                l->desc_next + l->long_size <= l->desc_size &&
                l->info_size > 0 && l->info_size <= 1024 &&
                l->info_seq + 8 <= l->info_size && l->info_ts_nsec + 8 <= l->info_size &&
                l->info_text_len + 2 <= l->info_size && l->info_facility + 1 <= l->info_size &&
                l->info_caller_id + 4 <= l->info_size && l->info_level_byte + 1 <= l->info_size &&
                l->info_level_shift <= 5;

  if (!ok)
    g_set_error (error, KWB_KERNEL_LOG_ERROR, KWB_KERNEL_LOG_ERROR_LAYOUT,
                 _("The kernel's printk ring buffer structures are not laid out as expected "
                   "(is this a Linux 5.10 or newer kernel with debug information?)"));
  return ok;
}

/* ptype/o prints "/​*     19: 5   |       1 *​/    u8 level : 3;". */
static gboolean
parse_level_bitfield (KwbPrbLayout *layout,
                      const char   *ptype_output)
{
  g_auto(GStrv) lines = g_strsplit (ptype_output, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint byte, bit;

      if (strstr (lines[i], " level : 3;") == NULL)
        continue;
      if (sscanf (lines[i], " /* %u: %u", &byte, &bit) != 2)
        return FALSE;
      layout->info_level_byte = byte;
      layout->info_level_shift = bit;
      return TRUE;
    }
  return FALSE;
}

gboolean
kwb_prb_layout_parse (KwbPrbLayout  *layout,
                      guint64       *prb_pointer,
                      const char    *printf_output,
                      const char    *ptype_output,
                      GError       **error)
{
  g_auto(GStrv) words = g_strsplit_set (g_strstrip (g_strdup (printf_output ? printf_output : "")), " \n", -1);
  guint n = 0;

  memset (layout, 0, sizeof *layout);
  for (guint i = 0; i < G_N_ELEMENTS (layout_fields); i++)
    {
      guint64 value;

      if (layout_fields[i].expression == NULL)
        continue;
      if (words[n] == NULL || !g_ascii_string_to_unsigned (words[n], 10, 0, G_MAXUINT, &value, NULL))
        goto bad;
      LAYOUT_FIELD (layout, &layout_fields[i]) = (guint) value;
      n++;
    }
  if (words[n] == NULL || !g_ascii_string_to_unsigned (words[n], 10, 1, G_MAXUINT64, prb_pointer, NULL) ||
      words[n + 1] != NULL)
    goto bad;
  if (ptype_output == NULL || !parse_level_bitfield (layout, ptype_output))
    goto bad;
  return kwb_prb_layout_check (layout, error);

bad:
  g_set_error (error, KWB_KERNEL_LOG_ERROR, KWB_KERNEL_LOG_ERROR_LAYOUT,
               _("Could not read the layout of the kernel's printk ring buffer from its debug "
                 "information (is this a Linux 5.10 or newer kernel with debug information?)"));
  return FALSE;
}

/* ---- parsing guest bytes ---- */

static guint64
read_uint (const guint8 *data,
           gsize         offset,
           guint         width)
{
  guint64 v = 0;

  /* The guest is little-endian x86; memcpy keeps unaligned reads legal. */
  switch (width)
    {
    case 1: return data[offset];
    case 2: { guint16 x; memcpy (&x, data + offset, 2); return GUINT16_FROM_LE (x); }
    case 4: { guint32 x; memcpy (&x, data + offset, 4); return GUINT32_FROM_LE (x); }
    case 8: memcpy (&v, data + offset, 8); return GUINT64_FROM_LE (v);
    default: g_assert_not_reached ();
    }
}

gboolean
kwb_prb_ring_read (const KwbPrbLayout  *layout,
                   GBytes              *header,
                   KwbPrbRing          *ring,
                   GError             **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (header, &len);
  guint dr = layout->rb_desc_ring;
  guint tr = layout->rb_text_data_ring;
  guint ls = layout->long_size;

  if (len != layout->rb_size)
    goto corrupt;
  ring->count_bits = read_uint (data, dr + layout->dr_count_bits, 4);
  ring->size_bits = read_uint (data, tr + layout->tr_size_bits, 4);
  ring->descs = read_uint (data, dr + layout->dr_descs, ls);
  ring->infos = read_uint (data, dr + layout->dr_infos, ls);
  ring->data = read_uint (data, tr + layout->tr_data, ls);
  ring->head_id = read_uint (data, dr + layout->dr_head_id, ls);
  ring->tail_id = read_uint (data, dr + layout->dr_tail_id, ls);

  /* Sizes the kernel could have (LOG_BUF_SHIFT is at most 25) and that fit
   * one memory read each. */
  if (ring->count_bits > 22 || ring->size_bits < 4 || ring->size_bits > 26 ||
      ((guint64) layout->info_size << ring->count_bits) > KWB_SESSION_READ_MEMORY_MAX ||
      ((guint64) layout->desc_size << ring->count_bits) > KWB_SESSION_READ_MEMORY_MAX ||
      ring->descs == 0 || ring->infos == 0 || ring->data == 0)
    goto corrupt;
  return TRUE;

corrupt:
  g_set_error (error, KWB_KERNEL_LOG_ERROR, KWB_KERNEL_LOG_ERROR_CORRUPT,
               _("The kernel's printk ring buffer header is corrupt"));
  return FALSE;
}

/* The text of one data block, or FALSE when the block is not there. */
static gboolean
block_text (const KwbPrbLayout *layout,
            const KwbPrbRing   *ring,
            const guint8       *text,
            gsize               text_len,
            guint64             id,
            guint64             begin,
            guint64             next,
            gsize              *start,
            gsize              *avail)
{
  guint64 size = G_GUINT64_CONSTANT (1) << ring->size_bits;
  guint64 mask = size - 1;
  guint ls = layout->long_size;
  guint64 lpos_mask = ls == 8 ? G_MAXUINT64 : G_MAXUINT32;
  guint64 offset, length;

  if ((begin >> ring->size_bits) == (next >> ring->size_bits))
    {
      offset = begin & mask;
      length = (next - begin) & lpos_mask;
    }
  else if ((((begin + size) & lpos_mask) >> ring->size_bits) == (next >> ring->size_bits))
    {
      /* The block did not fit at the end of the ring: it starts at 0. */
      offset = 0;
      length = next & mask;
    }
  else
    return FALSE;

  if (length < ls || length > size || offset + length > text_len)
    return FALSE;
  /* A data block starts with its descriptor's id: another id means the
   * block was reused by a newer record. */
  if (read_uint (text, offset, ls) != id)
    return FALSE;
  *start = offset + ls;
  *avail = length - ls;
  return TRUE;
}

/* The ids in use, TAIL … TAIL + N - 1 (modulo the id space). A ring never
 * holds more than its COUNT descriptors; a wilder span means a corrupt
 * tail: the newest COUNT are taken. */
static void
prb_span (const KwbPrbLayout *layout,
          const KwbPrbRing   *ring,
          guint64            *tail_out,
          guint64            *n_out)
{
  guint64 id_mask = (layout->long_size == 8 ? G_MAXUINT64 : G_MAXUINT32) >> 2;
  guint64 count = G_GUINT64_CONSTANT (1) << ring->count_bits;
  guint64 head = ring->head_id & id_mask;
  guint64 tail = ring->tail_id & id_mask;
  guint64 n = ((head - tail) & id_mask) + 1;

  if (n > count)
    {
      n = count;
      tail = (head - count + 1) & id_mask;
    }
  *tail_out = tail;
  *n_out = n;
}

GPtrArray *
kwb_prb_parse (const KwbPrbLayout *layout,
               const KwbPrbRing   *ring,
               GBytes             *descs_bytes,
               GBytes             *infos_bytes,
               GBytes             *text_bytes,
               guint64             first_new_seq)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);
  gsize descs_len, infos_len, text_len;
  const guint8 *descs = g_bytes_get_data (descs_bytes, &descs_len);
  const guint8 *infos = g_bytes_get_data (infos_bytes, &infos_len);
  const guint8 *text = g_bytes_get_data (text_bytes, &text_len);
  guint ls = layout->long_size;
  guint sv_bits = ls * 8;
  guint64 id_mask = (ls == 8 ? G_MAXUINT64 : G_MAXUINT32) >> 2;
  guint64 count = G_GUINT64_CONSTANT (1) << ring->count_bits;
  guint64 tail, n;

  if (descs_len != count * layout->desc_size || infos_len != count * layout->info_size ||
      text_len != (G_GUINT64_CONSTANT (1) << ring->size_bits))
    return records;

  prb_span (layout, ring, &tail, &n);

  for (guint64 k = 0; k < n; k++)
    {
      guint64 id = (tail + k) & id_mask;
      guint64 index = id & (count - 1);
      const guint8 *desc = descs + index * layout->desc_size;
      const guint8 *info = infos + index * layout->info_size;
      guint64 sv = read_uint (desc, layout->desc_state_var, ls);
      guint state = (sv >> (sv_bits - 2)) & 3;
      guint64 begin = read_uint (desc, layout->desc_begin, ls);
      guint64 next = read_uint (desc, layout->desc_next, ls);
      guint64 seq = read_uint (info, layout->info_seq, 8);
      guint text_field = read_uint (info, layout->info_text_len, 2);
      guint level = (read_uint (info, layout->info_level_byte, 1) >> layout->info_level_shift) & 7;
      gsize start = 0, avail = 0;

      if ((sv & id_mask) != id || (state != DESC_COMMITTED && state != DESC_FINALIZED))
        continue; /* being written, or already given to a newer record */

      if ((begin & 1) && (next & 1))
        avail = 0; /* a record without text (an empty line, or text that did not fit) */
      else if (!block_text (layout, ring, text, text_len, id, begin, next, &start, &avail))
        continue;

      g_ptr_array_add (records,
                       kwb_log_record_new (seq, level, read_uint (info, layout->info_facility, 1),
                                           read_uint (info, layout->info_ts_nsec, 8),
                                           read_uint (info, layout->info_caller_id, 4),
                                           (const char *) text + start, MIN (avail, text_field),
                                           seq >= first_new_seq));
    }
  return records;
}

/* ---- snapshots (recorded reads, for the tests) ----
 * layout.ini holds the layout; header.bin, descs.bin, infos.bin and
 * text.bin the four reads, each as is or gzipped (.bin.gz). */

static const char * const snapshot_files[] = { "header.bin", "descs.bin", "infos.bin", "text.bin" };

gboolean
kwb_prb_snapshot_save (const char          *dir,
                       const KwbPrbLayout  *layout,
                       GBytes              *header,
                       GBytes              *descs,
                       GBytes              *infos,
                       GBytes              *text,
                       GError             **error)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *layout_path = g_build_filename (dir, "layout.ini", NULL);
  GBytes *parts[] = { header, descs, infos, text };

  for (guint i = 0; i < G_N_ELEMENTS (layout_fields); i++)
    g_key_file_set_uint64 (keys, "layout", layout_fields[i].key, LAYOUT_FIELD (layout, &layout_fields[i]));
  if (g_mkdir_with_parents (dir, 0755) != 0 || !g_key_file_save_to_file (keys, layout_path, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *path = g_build_filename (dir, snapshot_files[i], NULL);
      gsize len;
      const char *data = g_bytes_get_data (parts[i], &len);

      if (!g_file_set_contents (path, data, len, error))
        return FALSE;
    }
  return TRUE;
}

/* NAME, or NAME.gz (how tests/data keeps them small). */
static GBytes *
load_part (const char  *dir,
           const char  *name,
           GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *gz_path = g_strconcat (path, ".gz", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GConverter) gunzip = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = NULL;
  char *data;
  gsize len;

  if (!g_file_test (gz_path, G_FILE_TEST_EXISTS))
    return g_file_get_contents (path, &data, &len, error) ? g_bytes_new_take (data, len) : NULL;

  file = g_file_new_for_path (gz_path);
  if ((raw = G_INPUT_STREAM (g_file_read (file, NULL, error))) == NULL)
    return NULL;
  gunzip = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
  in = g_converter_input_stream_new (raw, gunzip);
  out = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, error) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

gboolean
kwb_prb_snapshot_load (const char    *dir,
                       KwbPrbLayout  *layout,
                       GBytes       **header,
                       GBytes       **descs,
                       GBytes       **infos,
                       GBytes       **text,
                       GError       **error)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *layout_path = g_build_filename (dir, "layout.ini", NULL);
  GBytes **parts[] = { header, descs, infos, text };

  if (!g_key_file_load_from_file (keys, layout_path, G_KEY_FILE_NONE, error))
    return FALSE;
  memset (layout, 0, sizeof *layout);
  for (guint i = 0; i < G_N_ELEMENTS (layout_fields); i++)
    {
      GError *local = NULL;
      guint64 v = g_key_file_get_uint64 (keys, "layout", layout_fields[i].key, &local);

      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      LAYOUT_FIELD (layout, &layout_fields[i]) = (guint) MIN (v, G_MAXUINT);
    }
  if (!kwb_prb_layout_check (layout, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if ((*parts[i] = load_part (dir, snapshot_files[i], error)) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
kwb_kernel_log_save_snapshot (KwbKernelLog  *self,
                              const char    *dir,
                              GError       **error)
{
  g_return_val_if_fail (KWB_IS_KERNEL_LOG (self), FALSE);

  if (self->last_text == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "The log was never refreshed");
      return FALSE;
    }
  return kwb_prb_snapshot_save (dir, &self->layout, self->last_header, self->last_descs,
                                self->last_infos, self->last_text, error);
}

/* ---- the model ---- */

static GType
kwb_kernel_log_get_item_type (GListModel *model)
{
  return KWB_TYPE_LOG_RECORD;
}

static guint
kwb_kernel_log_get_n_items (GListModel *model)
{
  return KWB_KERNEL_LOG (model)->records->len;
}

static gpointer
kwb_kernel_log_get_item (GListModel *model,
                         guint       position)
{
  KwbKernelLog *self = KWB_KERNEL_LOG (model);

  if (position >= self->records->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->records, position));
}

static void
kwb_kernel_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kwb_kernel_log_get_item_type;
  iface->get_n_items = kwb_kernel_log_get_n_items;
  iface->get_item = kwb_kernel_log_get_item;
}

static void
kwb_kernel_log_finalize (GObject *object)
{
  KwbKernelLog *self = KWB_KERNEL_LOG (object);

  g_clear_object (&self->session);
  g_ptr_array_unref (self->records);
  g_clear_pointer (&self->last_header, g_bytes_unref);
  g_clear_pointer (&self->last_descs, g_bytes_unref);
  g_clear_pointer (&self->last_infos, g_bytes_unref);
  g_clear_pointer (&self->last_text, g_bytes_unref);
  G_OBJECT_CLASS (kwb_kernel_log_parent_class)->finalize (object);
}

static void
kwb_kernel_log_class_init (KwbKernelLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kwb_kernel_log_finalize;
}

static void
kwb_kernel_log_init (KwbKernelLog *self)
{
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
}

KwbKernelLog *
kwb_kernel_log_new (KwbSession *session)
{
  KwbKernelLog *self;

  g_return_val_if_fail (KWB_IS_SESSION (session), NULL);

  self = g_object_new (KWB_TYPE_KERNEL_LOG, NULL);
  self->session = g_object_ref (session);
  return self;
}

KwbSession *
kwb_kernel_log_get_session (KwbKernelLog *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_LOG (self), NULL);
  return self->session;
}

guint
kwb_kernel_log_get_n_new (KwbKernelLog *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_LOG (self), 0);
  return self->n_new;
}

/* ---- refresh ---- */

typedef struct {
  guint      serial;
  char      *printf_output;
  KwbPrbRing ring;
  GBytes    *header;
  /* descs, infos, text: whole arrays, filled where the reads land (the
   * rest stays zero, which no descriptor state accepts). */
  guint8    *buffers[3];
  gsize      sizes[3];
  guint      pending;
  GError    *error;
} Refresh;

static void
refresh_free (gpointer data)
{
  Refresh *r = data;

  g_free (r->printf_output);
  g_clear_pointer (&r->header, g_bytes_unref);
  for (guint i = 0; i < G_N_ELEMENTS (r->buffers); i++)
    g_free (r->buffers[i]);
  g_clear_error (&r->error);
  g_free (r);
}

static void
apply (GTask *task)
{
  KwbKernelLog *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  g_autoptr(GPtrArray) records = NULL;
  guint old_len = self->records->len;
  guint64 next_new_seq = self->first_new_seq;

  if (r->serial != self->serial)
    {
      /* A newer refresh was started: this one's reads are older. */
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_autoptr(GBytes) descs = g_bytes_new_take (g_steal_pointer (&r->buffers[0]), r->sizes[0]);
  g_autoptr(GBytes) infos = g_bytes_new_take (g_steal_pointer (&r->buffers[1]), r->sizes[1]);
  g_autoptr(GBytes) text = g_bytes_new_take (g_steal_pointer (&r->buffers[2]), r->sizes[2]);

  records = kwb_prb_parse (&self->layout, &r->ring, descs, infos, text, self->first_new_seq);
  self->n_new = 0;
  for (guint i = 0; i < records->len; i++)
    {
      KwbLogRecord *record = g_ptr_array_index (records, i);

      if (kwb_log_record_get_is_new (record))
        self->n_new++;
      next_new_seq = MAX (next_new_seq, kwb_log_record_get_seq (record) + 1);
    }
  self->first_new_seq = next_new_seq;

  g_clear_pointer (&self->last_header, g_bytes_unref);
  g_clear_pointer (&self->last_descs, g_bytes_unref);
  g_clear_pointer (&self->last_infos, g_bytes_unref);
  g_clear_pointer (&self->last_text, g_bytes_unref);
  self->last_header = g_steal_pointer (&r->header);
  self->last_descs = g_steal_pointer (&descs);
  self->last_infos = g_steal_pointer (&infos);
  self->last_text = g_steal_pointer (&text);

  g_ptr_array_unref (self->records);
  self->records = g_steal_pointer (&records);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->records->len);
  g_task_return_boolean (task, TRUE);
}

typedef struct {
  GTask *task;
  guint  buffer;
  gsize  offset;
} PartRead;

static void
part_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  PartRead *part = user_data;
  g_autoptr(GTask) task = part->task;
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);

  if (bytes != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      /* The session returns exactly what was asked, which fits. */
      g_assert (part->offset + len <= r->sizes[part->buffer]);
      memcpy (r->buffers[part->buffer] + part->offset, data, len);
    }
  g_free (part);
  if (error != NULL && r->error == NULL)
    r->error = error;
  else if (error != NULL)
    g_error_free (error);

  if (--r->pending > 0)
    return;
  if (r->error != NULL)
    g_task_return_error (task, g_steal_pointer (&r->error));
  else
    apply (task);
}

static void
read_part (GTask   *task,
           guint    buffer,
           guint64  address,
           gsize    offset,
           gsize    length)
{
  KwbKernelLog *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  PartRead *part = g_new0 (PartRead, 1);

  part->task = g_object_ref (task);
  part->buffer = buffer;
  part->offset = offset;
  r->pending++;
  kwb_session_read_memory_async (self->session, address + offset, length, g_task_get_cancellable (task),
                                 part_cb, part);
}

/* Elements FIRST … FIRST + N - 1 of a ring array of COUNT, in one read or
 * two where the span wraps past the end. */
static void
read_span (GTask   *task,
           guint    buffer,
           guint64  address,
           gsize    element,
           guint64  count,
           guint64  first,
           guint64  n)
{
  guint64 until_end = MIN (n, count - first);

  read_part (task, buffer, address, first * element, until_end * element);
  if (n > until_end)
    read_part (task, buffer, address, 0, (n - until_end) * element);
}

static void
header_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbKernelLog *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  guint64 count, tail, n;

  r->header = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);
  if (r->header == NULL || !kwb_prb_ring_read (&self->layout, r->header, &r->ring, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  count = G_GUINT64_CONSTANT (1) << r->ring.count_bits;
  r->sizes[0] = self->layout.desc_size * count;
  r->sizes[1] = self->layout.info_size * count;
  r->sizes[2] = G_GUINT64_CONSTANT (1) << r->ring.size_bits;
  for (guint i = 0; i < 3; i++)
    r->buffers[i] = g_malloc0 (r->sizes[i]);

  /* Only the descriptors and infos in use: a young log fills a fraction
   * of the ring. All reads are queued at once and go back to back. */
  prb_span (&self->layout, &r->ring, &tail, &n);
  read_span (task, 0, r->ring.descs, self->layout.desc_size, count, tail & (count - 1), n);
  read_span (task, 1, r->ring.infos, self->layout.info_size, count, tail & (count - 1), n);
  read_part (task, 2, r->ring.data, 0, r->sizes[2]);
}

static void
pointer_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbKernelLog *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = kwb_session_read_memory_finish (KWB_SESSION (object), result, &error);
  GCancellable *cancellable;
  guint64 address;

  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  address = read_uint (g_bytes_get_data (bytes, NULL), 0, self->layout.long_size);
  if (address == 0)
    {
      g_task_return_new_error (task, KWB_KERNEL_LOG_ERROR, KWB_KERNEL_LOG_ERROR_CORRUPT,
                               _("The kernel's printk ring buffer pointer is NULL"));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  kwb_session_read_memory_async (self->session, address, self->layout.rb_size, cancellable,
                                 header_cb, g_steal_pointer (&task));
}

static void
read_pointer (GTask *task)
{
  KwbKernelLog *self = g_task_get_source_object (task);

  kwb_session_read_memory_async (self->session, self->prb_pointer, self->layout.long_size,
                                 g_task_get_cancellable (task), pointer_cb, task);
}

static void
ptype_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbKernelLog *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *ptype = kwb_session_console_finish (KWB_SESSION (object), result, &error);

  if (ptype == NULL ||
      !kwb_prb_layout_parse (&self->layout, &self->prb_pointer, r->printf_output, ptype, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->have_layout = TRUE;
  read_pointer (g_steal_pointer (&task));
}

static void
layout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbKernelLog *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;

  r->printf_output = kwb_session_console_finish (KWB_SESSION (object), result, &error);
  if (r->printf_output == NULL)
    {
      g_prefix_error (&error, _("Could not read the layout of the kernel's printk ring buffer: "));
      g_task_return_error (task, error);
      return;
    }
  kwb_session_console_async (self->session, "ptype/o typeof (*" INFOS ")", NULL,
                             ptype_cb, g_steal_pointer (&task));
}

void
kwb_kernel_log_refresh_async (KwbKernelLog        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Refresh *r;

  g_return_if_fail (KWB_IS_KERNEL_LOG (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_kernel_log_refresh_async);
  r = g_new0 (Refresh, 1);
  r->serial = ++self->serial;
  g_task_set_task_data (task, r, refresh_free);

  if (self->have_layout)
    read_pointer (task);
  else
    kwb_session_console_async (self->session, kwb_prb_layout_command (), cancellable, layout_cb, task);
}

gboolean
kwb_kernel_log_refresh_finish (KwbKernelLog  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_kernel_log_refresh_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
