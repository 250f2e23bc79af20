/* kwb-instruction.h — one disassembled machine instruction
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KWB_TYPE_INSTRUCTION (kwb_instruction_get_type ())
G_DECLARE_FINAL_TYPE (KwbInstruction, kwb_instruction, KWB, INSTRUCTION, GObject)

KwbInstruction *kwb_instruction_new          (guint64         address,
                                              const char     *function,
                                              guint           offset,
                                              const char     *text);
guint64         kwb_instruction_get_address  (KwbInstruction *self);
const char     *kwb_instruction_get_function (KwbInstruction *self);
guint           kwb_instruction_get_offset   (KwbInstruction *self);
const char     *kwb_instruction_get_text     (KwbInstruction *self);

G_END_DECLS
