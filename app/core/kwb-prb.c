/* kwb-prb.c — the kernel's printk ring buffer, parsed from bytes read out of guest memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lockless printk_ringbuffer of Linux 5.10+: a descriptor array (state
 * and text position of each record), an info array (seq, time, level …)
 * and a text ring of data blocks, each starting with its descriptor's id.
 * KwbKernelLog reads the three arrays whole and hands them here. Nothing in
 * them is trusted: every index, length and id is checked before use, and
 * records that do not check out are skipped, not guessed at. Kept apart
 * from the model so that unit tests and the fuzzer run it on bare bytes.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kwb-kernel-log-private.h"

/* States of a descriptor, in the two top bits of its state_var. */
#define DESC_COMMITTED 1
#define DESC_FINALIZED 2

/* The parser is what raises the model's errors about the ring's contents. */
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
kwb_prb_level_command (void)
{
  return "ptype/o typeof (*" INFOS ")";
}

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
  g_autofree char *copy = g_strdup (printf_output ? printf_output : "");
  g_auto(GStrv) words = g_strsplit_set (g_strstrip (copy), " \n", -1);
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

guint64
kwb_prb_read_pointer (const KwbPrbLayout *layout,
                      GBytes             *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return len >= layout->long_size ? read_uint (data, 0, layout->long_size) : 0;
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
      ((guint64) layout->info_size << ring->count_bits) > KWB_PRB_ARRAY_MAX ||
      ((guint64) layout->desc_size << ring->count_bits) > KWB_PRB_ARRAY_MAX ||
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
void
kwb_prb_span (const KwbPrbLayout *layout,
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

  kwb_prb_span (layout, ring, &tail, &n);

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

