/* kwb-memory-private.h — `current` in the memory view's expressions, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kept out of kwb-memory.h: only the model and the unit tests use it.
 */
#pragma once

#include "kwb-memory.h"

G_BEGIN_DECLS

/* EXPRESSION with each `current` that is a whole identifier (not a member
 * name, not part of another name, not in quotes) replaced by
 * `$lx_current()`; NULL when there is none. */
char *kwb_memory_expand_current (const char *expression);

G_END_DECLS
