/* test-kernel-log-parser.c — the printk ring buffer parser on recorded and crafted bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/data/kernel-log/{6.1,6.12} are the reads of one refresh on the
 * fixture kernels (recorded by tests/integration/test-kernel-log with
 * KWB_TEST_RECORD_KERNEL_LOG), so the parser is tested without a guest.
 * A ring whose ids and text wrap is built here with the recorded layout;
 * corrupted copies check that hostile guest memory is skipped, not trusted.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-kernel-log-private.h"

typedef struct {
  KwbPrbLayout layout;
  KwbPrbRing   ring;
  GBytes      *header;
  GBytes      *descs;
  GBytes      *infos;
  GBytes      *text;
} Snapshot;

static void
snapshot_clear (Snapshot *s)
{
  g_clear_pointer (&s->header, g_bytes_unref);
  g_clear_pointer (&s->descs, g_bytes_unref);
  g_clear_pointer (&s->infos, g_bytes_unref);
  g_clear_pointer (&s->text, g_bytes_unref);
}

static void
snapshot_load (Snapshot   *s,
               const char *kernel)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "kernel-log", kernel, NULL);
  g_autoptr(GError) error = NULL;

  kwb_prb_snapshot_load (dir, &s->layout, &s->header, &s->descs, &s->infos, &s->text, &error);
  g_assert_no_error (error);
  kwb_prb_ring_read (&s->layout, s->header, &s->ring, &error);
  g_assert_no_error (error);
}

static const char *
text_of (GPtrArray *records,
         guint      i)
{
  return kwb_log_record_get_text (g_ptr_array_index (records, i));
}

static gint
find (GPtrArray  *records,
      const char *text)
{
  for (guint i = 0; i < records->len; i++)
    if (g_str_equal (text_of (records, i), text))
      return i;
  return -1;
}

static void
check_recorded (gconstpointer data)
{
  Snapshot s = { 0 };
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) again = NULL;
  gint marker;

  snapshot_load (&s, data);
  records = kwb_prb_parse (&s.layout, &s.ring, s.descs, s.infos, s.text, 0);
  g_assert_cmpuint (records->len, >=, 1000);
  g_assert_true (g_str_has_prefix (text_of (records, 0), "Linux version "));
  g_assert_cmpuint (kwb_log_record_get_level (g_ptr_array_index (records, 0)), ==, 5);
  g_assert_cmpint (find (records, "kwb-fill-0"), >, 0);
  g_assert_cmpint (find (records, "kwb-fill-1099"), >, find (records, "kwb-fill-0"));
  marker = find (records, "kwb-marker");
  g_assert_cmpint (marker, ==, records->len - 1);
  for (guint i = 0; i < records->len; i++)
    {
      KwbLogRecord *r = g_ptr_array_index (records, i);

      g_assert_true (kwb_log_record_get_is_new (r));
      g_assert_cmpuint (kwb_log_record_get_level (r), <=, 7);
      if (i > 0)
        {
          KwbLogRecord *prev = g_ptr_array_index (records, i - 1);

          g_assert_cmpuint (kwb_log_record_get_seq (r), ==, kwb_log_record_get_seq (prev) + 1);
          g_assert_cmpuint (kwb_log_record_get_time_ns (r), >=, kwb_log_record_get_time_ns (prev));
        }
    }

  /* Only what is at or after FIRST_NEW_SEQ is new. */
  again = kwb_prb_parse (&s.layout, &s.ring, s.descs, s.infos, s.text,
                         kwb_log_record_get_seq (g_ptr_array_index (records, marker)));
  g_assert_cmpuint (again->len, ==, records->len);
  g_assert_false (kwb_log_record_get_is_new (g_ptr_array_index (again, marker - 1)));
  g_assert_true (kwb_log_record_get_is_new (g_ptr_array_index (again, marker)));
  snapshot_clear (&s);
}

/* ---- corrupted copies of a recorded ring ---- */

static void
put (GBytes  **bytes,
     gsize     offset,
     guint64   value,
     guint     width)
{
  gsize len;
  guint8 *data = g_bytes_unref_to_data (*bytes, &len);

  g_assert_cmpuint (offset + width, <=, len);
  value = GUINT64_TO_LE (value);
  memcpy (data + offset, &value, width);
  *bytes = g_bytes_new_take (data, len);
}

static guint64
get (GBytes *bytes,
     gsize   offset)
{
  guint64 value;

  g_assert_cmpuint (offset + 8, <=, g_bytes_get_size (bytes));
  memcpy (&value, (const guint8 *) g_bytes_get_data (bytes, NULL) + offset, 8);
  return GUINT64_FROM_LE (value);
}

static guint
index_of (Snapshot   *s,
          GPtrArray  *records,
          const char *text)
{
  gint i = find (records, text);

  g_assert_cmpint (i, >=, 0);
  return kwb_log_record_get_seq (g_ptr_array_index (records, i)) & ((1u << s->ring.count_bits) - 1);
}

static void
test_corrupt_descriptor (void)
{
  Snapshot s = { 0 };
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) after = NULL;
  guint64 id_mask = G_MAXUINT64 >> 2;
  guint marker, fill;

  snapshot_load (&s, "6.12");
  records = kwb_prb_parse (&s.layout, &s.ring, s.descs, s.infos, s.text, 0);

  /* The descriptors sit at seq's index here (the ring never wrapped);
   * check that before relying on it. */
  marker = index_of (&s, records, "kwb-marker");
  g_assert_cmpuint (s.ring.head_id & ((1u << s.ring.count_bits) - 1), ==, marker);

  /* The marker's descriptor given to another id; kwb-fill-7's data block
   * pointing far outside the ring; kwb-fill-8's text length a lie. */
  put (&s.descs, marker * s.layout.desc_size + s.layout.desc_state_var,
       (G_GUINT64_CONSTANT (2) << 62) | ((s.ring.head_id + 4096) & id_mask), 8);
  fill = index_of (&s, records, "kwb-fill-7");
  put (&s.descs, fill * s.layout.desc_size + s.layout.desc_begin, G_GUINT64_CONSTANT (0x7ffffffffff0), 8);
  put (&s.descs, fill * s.layout.desc_size + s.layout.desc_next, G_GUINT64_CONSTANT (0x7ffffffffff8), 8);
  fill = index_of (&s, records, "kwb-fill-8");
  put (&s.infos, fill * s.layout.info_size + s.layout.info_text_len, 0xffff, 2);
  /* kwb-fill-9 is being written (reserved). */
  fill = index_of (&s, records, "kwb-fill-9");
  put (&s.descs, fill * s.layout.desc_size + s.layout.desc_state_var,
       get (s.descs, fill * s.layout.desc_size + s.layout.desc_state_var) & id_mask, 8);

  after = kwb_prb_parse (&s.layout, &s.ring, s.descs, s.infos, s.text, 0);
  g_assert_cmpint (find (after, "kwb-marker"), <, 0);
  g_assert_cmpint (find (after, "kwb-fill-7"), <, 0);
  g_assert_cmpint (find (after, "kwb-fill-9"), <, 0);
  /* The lying length is cut at the data block's end: the text and the
   * padding that follows it, never the next block. */
  g_assert_cmpint (find (after, "kwb-fill-8"), <, 0);
  for (guint i = 0; i < after->len; i++)
    if (g_str_has_prefix (text_of (after, i), "kwb-fill-8"))
      g_assert_cmpuint (strlen (text_of (after, i)), <, 48);
  g_assert_cmpuint (after->len, ==, records->len - 3);
  snapshot_clear (&s);
}

static void
test_corrupt_header (void)
{
  Snapshot s = { 0 };
  KwbPrbRing ring;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GBytes) short_text = NULL;

  snapshot_load (&s, "6.1");

  /* A descriptor count too large to be real. */
  put (&s.header, s.layout.rb_desc_ring + s.layout.dr_count_bits, 40, 4);
  g_assert_false (kwb_prb_ring_read (&s.layout, s.header, &ring, &error));
  g_assert_error (error, KWB_KERNEL_LOG_ERROR, KWB_KERNEL_LOG_ERROR_CORRUPT);
  g_clear_error (&error);

  /* A tail far behind the head: at most one ring's worth is read. */
  ring = s.ring;
  ring.tail_id = ring.head_id + 17;
  records = kwb_prb_parse (&s.layout, &ring, s.descs, s.infos, s.text, 0);
  g_assert_cmpuint (records->len, <=, 1u << ring.count_bits);
  g_assert_cmpint (find (records, "kwb-marker"), ==, records->len - 1);
  g_clear_pointer (&records, g_ptr_array_unref);

  /* Arrays of the wrong size are not read at all. */
  short_text = g_bytes_new_from_bytes (s.text, 0, g_bytes_get_size (s.text) / 2);
  records = kwb_prb_parse (&s.layout, &s.ring, s.descs, s.infos, short_text, 0);
  g_assert_cmpuint (records->len, ==, 0);
  snapshot_clear (&s);
}

/* Random bytes anywhere: no crash, no read outside the arrays (run under
 * ASan in CI), every text valid UTF-8. */
static void
test_random_damage (void)
{
  Snapshot s = { 0 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);

  snapshot_load (&s, "6.12");
  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(GBytes) descs = g_bytes_ref (s.descs);
      g_autoptr(GBytes) infos = g_bytes_ref (s.infos);
      g_autoptr(GBytes) text = g_bytes_ref (s.text);
      g_autoptr(GPtrArray) records = NULL;

      for (guint k = 0; k < 64; k++)
        {
          GBytes **target = k % 3 == 0 ? &descs : k % 3 == 1 ? &infos : &text;

          put (target, g_rand_int_range (rand, 0, g_bytes_get_size (*target)), g_rand_int (rand), 1);
        }
      records = kwb_prb_parse (&s.layout, &s.ring, descs, infos, text, 0);
      g_assert_cmpuint (records->len, <=, 1u << s.ring.count_bits);
      for (guint i = 0; i < records->len; i++)
        g_assert_true (g_utf8_validate (text_of (records, i), -1, NULL));
    }
  snapshot_clear (&s);
}

/* ---- a crafted ring that wraps ---- */

/* Writes records the way printk does: ids one after another (here across
 * the top of the id space and around the descriptor array), data blocks
 * one after another in the text ring, a block that does not fit at the
 * end stored at the start with its `next` in the following wrap. */
static void
test_wrapped (void)
{
  Snapshot real = { 0 };
  const KwbPrbLayout *l;
  const char *texts[] = { "stale-rec-01", "stale-rec-02", "wrapped-tail", "after-wrap-4" };
  guint count_bits = 3, size_bits = 6;
  guint count = 1u << count_bits, size = 1u << size_bits;
  guint64 id_mask = G_MAXUINT64 >> 2;
  guint64 first_id = id_mask - 1;
  guint64 lpos = 3 * size + 8;
  g_autofree guint8 *descs = NULL;
  g_autofree guint8 *infos = NULL;
  g_autofree guint8 *text = g_malloc0 (size);
  g_autoptr(GBytes) descs_bytes = NULL;
  g_autoptr(GBytes) infos_bytes = NULL;
  g_autoptr(GBytes) text_bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  KwbPrbRing ring = { 0 };

  snapshot_load (&real, "6.12");
  l = &real.layout;
  descs = g_malloc0 (count * l->desc_size);
  infos = g_malloc0 (count * l->info_size);

  for (guint k = 0; k < G_N_ELEMENTS (texts); k++)
    {
      guint64 id = (first_id + k) & id_mask;
      guint index = id & (count - 1);
      guint len = strlen (texts[k]);
      guint block = (8 + len + 7) & ~7u;
      guint64 begin = lpos, next = lpos + block, at;
      guint64 sv = (G_GUINT64_CONSTANT (2) << 62) | id;
      guint64 seq = 100 + k, ts = 1000 * (k + 1), id_le = GUINT64_TO_LE (id);

      if ((begin >> size_bits) != (next >> size_bits))
        {
          at = 0;
          next = (next & ~(guint64) (size - 1)) + block;
        }
      else
        at = begin & (size - 1);
      memcpy (text + at, &id_le, 8);
      memcpy (text + at + 8, texts[k], len);
      memcpy (descs + index * l->desc_size + l->desc_state_var, &sv, 8);
      memcpy (descs + index * l->desc_size + l->desc_begin, &begin, 8);
      memcpy (descs + index * l->desc_size + l->desc_next, &next, 8);
      memcpy (infos + index * l->info_size + l->info_seq, &seq, 8);
      memcpy (infos + index * l->info_size + l->info_ts_nsec, &ts, 8);
      memcpy (infos + index * l->info_size + l->info_text_len, &len, 2);
      infos[index * l->info_size + l->info_level_byte] = 6 << l->info_level_shift;
      lpos = next;
    }
  ring.count_bits = count_bits;
  ring.size_bits = size_bits;
  ring.descs = ring.infos = ring.data = 0x1000;
  ring.tail_id = first_id;
  ring.head_id = (first_id + G_N_ELEMENTS (texts) - 1) & id_mask;

  descs_bytes = g_bytes_new (descs, count * l->desc_size);
  infos_bytes = g_bytes_new (infos, count * l->info_size);
  text_bytes = g_bytes_new (text, size);
  records = kwb_prb_parse (l, &ring, descs_bytes, infos_bytes, text_bytes, 103);

  /* The two stale records' blocks were overwritten by the newer ones: the
   * ids at their places no longer match, so they are left out. */
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (text_of (records, 0), ==, "wrapped-tail");
  g_assert_cmpstr (text_of (records, 1), ==, "after-wrap-4");
  g_assert_cmpuint (kwb_log_record_get_seq (g_ptr_array_index (records, 0)), ==, 102);
  g_assert_cmpuint (kwb_log_record_get_level (g_ptr_array_index (records, 0)), ==, 6);
  g_assert_false (kwb_log_record_get_is_new (g_ptr_array_index (records, 0)));
  g_assert_true (kwb_log_record_get_is_new (g_ptr_array_index (records, 1)));
  snapshot_clear (&real);
}

/* ---- records ---- */

static void
test_record_text (void)
{
  g_autoptr(KwbLogRecord) bad = kwb_log_record_new (1, 9, 0, 0, 0, "a\xff" "b\x1b[0m\xe4\xb8\xad", 10, TRUE);
  g_autoptr(KwbLogRecord) two = kwb_log_record_new (2, 6, 0, G_GUINT64_CONSTANT (12345678901), 0,
                                                    "first\nsecond\n", -1, FALSE);
  g_autofree char *line = NULL;

  g_assert_cmpstr (kwb_log_record_get_text (bad), ==, "a\\xffb\\x1b[0m中");
  g_assert_cmpuint (kwb_log_record_get_level (bad), ==, 7);
  line = kwb_log_record_format (two);
  g_assert_cmpstr (line, ==, "[   12.345678] <6> first\n[   12.345678] <6> second");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/kernel-log/recorded/6.1", "6.1", check_recorded);
  g_test_add_data_func ("/kernel-log/recorded/6.12", "6.12", check_recorded);
  g_test_add_func ("/kernel-log/corrupt-descriptor", test_corrupt_descriptor);
  g_test_add_func ("/kernel-log/corrupt-header", test_corrupt_header);
  g_test_add_func ("/kernel-log/random-damage", test_random_damage);
  g_test_add_func ("/kernel-log/wrapped", test_wrapped);
  g_test_add_func ("/kernel-log/record-text", test_record_text);
  return g_test_run ();
}
