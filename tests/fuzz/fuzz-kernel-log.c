/* fuzz-kernel-log.c — libFuzzer target for the printk ring buffer parser (kwb-prb.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything kwb-prb.c reads comes from guest memory or GDB's answers. The
 * first byte picks what the rest of the input is:
 *   0  GDB's printf and ptype/o output (NUL between them) for the layout
 *   1  a ring buffer header
 *   2  a small ring: count bits, size bits, head and tail ids, then the
 *      descriptor, info and text arrays (zero-padded)
 * The layout is the one recorded on the 6.12 fixture kernel
 * (tests/data/kernel-log/6.12/layout.ini). Every record's text must be
 * valid UTF-8 and no more records than descriptors may come out, or the
 * target aborts.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kwb-kernel-log-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const KwbPrbLayout layout = {
  .long_size = 8, .rb_size = 88, .rb_desc_ring = 0, .rb_text_data_ring = 48,
  .dr_count_bits = 0, .dr_descs = 8, .dr_infos = 16, .dr_head_id = 24, .dr_tail_id = 32,
  .tr_size_bits = 0, .tr_data = 8,
  .desc_size = 24, .desc_state_var = 0, .desc_begin = 8, .desc_next = 16,
  .info_size = 88, .info_seq = 0, .info_ts_nsec = 8, .info_text_len = 16, .info_facility = 18,
  .info_caller_id = 20, .info_level_byte = 19, .info_level_shift = 5,
};

/* LEN bytes from the input at *AT, zero-padded where it ends. */
static GBytes *
take (const uint8_t *data,
      size_t         size,
      size_t        *at,
      size_t         len)
{
  guint8 *out = g_malloc0 (len);
  size_t n = *at < size ? MIN (len, size - *at) : 0;

  memcpy (out, data + *at, n);
  *at += n;
  return g_bytes_new_take (out, len);
}

static guint64
take_u64 (const uint8_t *data,
          size_t         size,
          size_t        *at)
{
  g_autoptr(GBytes) bytes = take (data, size, at, 8);
  guint64 v;

  memcpy (&v, g_bytes_get_data (bytes, NULL), 8);
  return GUINT64_FROM_LE (v);
}

static void
fuzz_layout (const uint8_t *data,
             size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  const char *ptype = text + strlen (text) + 1;
  KwbPrbLayout parsed;
  guint64 pointer = 0;

  if ((size_t) (ptype - text) > size)
    ptype = "";
  kwb_prb_layout_parse (&parsed, &pointer, text, ptype, NULL);
}

static void
fuzz_ring (const uint8_t *data,
           size_t         size)
{
  size_t at = 0;
  KwbPrbRing ring = { 0 };
  g_autoptr(GBytes) descs = NULL;
  g_autoptr(GBytes) infos = NULL;
  g_autoptr(GBytes) text = NULL;
  g_autoptr(GPtrArray) records = NULL;
  guint count;

  if (size < 2)
    return;
  ring.count_bits = data[0] % 7;
  ring.size_bits = 4 + data[1] % 7;
  at = 2;
  ring.head_id = take_u64 (data, size, &at);
  ring.tail_id = take_u64 (data, size, &at);
  count = 1u << ring.count_bits;
  descs = take (data, size, &at, count * layout.desc_size);
  infos = take (data, size, &at, count * layout.info_size);
  text = take (data, size, &at, 1u << ring.size_bits);

  records = kwb_prb_parse (&layout, &ring, descs, infos, text, take_u64 (data, size, &at));
  if (records->len > count)
    abort ();
  for (guint i = 0; i < records->len; i++)
    {
      g_autofree char *line = kwb_log_record_format (g_ptr_array_index (records, i));

      if (!g_utf8_validate (kwb_log_record_get_text (g_ptr_array_index (records, i)), -1, NULL) ||
          !g_utf8_validate (line, -1, NULL))
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (size < 1)
    return 0;
  switch (data[0] % 3)
    {
    case 0:
      fuzz_layout (data + 1, size - 1);
      break;
    case 1:
      {
        g_autoptr(GBytes) header = g_bytes_new (data + 1, MIN (size - 1, layout.rb_size));
        KwbPrbRing ring;

        kwb_prb_ring_read (&layout, header, &ring, NULL);
      }
      break;
    default:
      fuzz_ring (data + 1, size - 1);
      break;
    }
  return 0;
}
