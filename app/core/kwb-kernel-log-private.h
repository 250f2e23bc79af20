/* kwb-kernel-log-private.h — the printk ring buffer parser behind KwbKernelLog (kwb-prb.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Split out so that the unit tests parse recorded ring bytes without a
 * guest. Every number here comes from the kernel's debug information
 * (sizeof/offsetof through GDB), never from a copy of its headers.
 */
#pragma once

#include "kwb-kernel-log.h"

G_BEGIN_DECLS

/* The largest array the parser accepts (and KwbKernelLog reads at once). */
#define KWB_PRB_ARRAY_MAX (64u * 1024 * 1024)

/* Offsets and sizes in bytes, of the kernel's structures of the same name. */
typedef struct {
  guint long_size;        /* sizeof (long): the width of ids and lpos values */
  guint rb_size;          /* struct printk_ringbuffer */
  guint rb_desc_ring;
  guint rb_text_data_ring;
  guint dr_count_bits;    /* struct prb_desc_ring, inside the ring buffer */
  guint dr_descs;
  guint dr_infos;
  guint dr_head_id;
  guint dr_tail_id;
  guint tr_size_bits;     /* struct prb_data_ring, inside the ring buffer */
  guint tr_data;
  guint desc_size;        /* struct prb_desc */
  guint desc_state_var;
  guint desc_begin;       /* text_blk_lpos.begin */
  guint desc_next;        /* text_blk_lpos.next */
  guint info_size;        /* struct printk_info */
  guint info_seq;
  guint info_ts_nsec;
  guint info_text_len;
  guint info_facility;
  guint info_caller_id;
  guint info_level_byte;  /* the byte holding the level:3 bit-field */
  guint info_level_shift; /* and its first bit in it */
} KwbPrbLayout;

/* What the ring buffer's header says: sizes and where its arrays are. */
typedef struct {
  guint   count_bits;
  guint   size_bits;
  guint64 descs;
  guint64 infos;
  guint64 data;
  guint64 head_id;
  guint64 tail_id;
} KwbPrbRing;

gboolean   kwb_prb_layout_check      (const KwbPrbLayout  *layout,
                                      GError             **error);
/* The GDB command whose output kwb_prb_layout_parse() reads (a printf of
 * every sizeof/offsetof and the address of the kernel's `prb` pointer). */
const char *kwb_prb_layout_command   (void);
/* The GDB command whose output has the level bit-field's place (ptype/o). */
const char *kwb_prb_level_command    (void);
gboolean   kwb_prb_layout_parse      (KwbPrbLayout        *layout,
                                      guint64             *prb_pointer,
                                      const char          *printf_output,
                                      const char          *ptype_output,
                                      GError             **error);
/* The guest pointer at the start of BYTES (0 when too short). */
guint64    kwb_prb_read_pointer      (const KwbPrbLayout  *layout,
                                      GBytes              *bytes);
/* HEADER: sizeof (struct printk_ringbuffer) bytes. */
gboolean   kwb_prb_ring_read         (const KwbPrbLayout  *layout,
                                      GBytes              *header,
                                      KwbPrbRing          *ring,
                                      GError             **error);
/* The descriptor ids in use: N from TAIL (modulo the id space), at most
 * the ring's count however corrupt its head and tail are. */
void       kwb_prb_span              (const KwbPrbLayout  *layout,
                                      const KwbPrbRing    *ring,
                                      guint64             *tail,
                                      guint64             *n);
/* KwbLogRecord items, oldest first, from the three arrays of RING; those
 * with seq ≥ FIRST_NEW_SEQ are flagged new. Records not committed, reused
 * or pointing outside the arrays are skipped: guest memory is not trusted. */
GPtrArray *kwb_prb_parse             (const KwbPrbLayout  *layout,
                                      const KwbPrbRing    *ring,
                                      GBytes              *descs,
                                      GBytes              *infos,
                                      GBytes              *text,
                                      guint64              first_new_seq);

/* A recording of one refresh (layout + the four reads) in DIR, for tests. */
gboolean   kwb_prb_snapshot_save     (const char          *dir,
                                      const KwbPrbLayout  *layout,
                                      GBytes              *header,
                                      GBytes              *descs,
                                      GBytes              *infos,
                                      GBytes              *text,
                                      GError             **error);
gboolean   kwb_prb_snapshot_load     (const char          *dir,
                                      KwbPrbLayout        *layout,
                                      GBytes             **header,
                                      GBytes             **descs,
                                      GBytes             **infos,
                                      GBytes             **text,
                                      GError             **error);
/* Saves the last refresh's reads into DIR. */
gboolean   kwb_kernel_log_save_snapshot (KwbKernelLog     *self,
                                         const char       *dir,
                                         GError          **error);

G_END_DECLS
