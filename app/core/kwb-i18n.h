/* kwb-i18n.h — gettext set-up shared by kernel-workbench, kwb and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalogues live in one of three places: the build tree's po/ (a binary
 * run from _build/, as build-aux/run does), the locale directory next to the
 * binary's own prefix (a copy installed elsewhere, e.g. under ~/.local), or
 * the configured LOCALEDIR. kwb_i18n_init() picks the first that applies, so
 * every way of running the product speaks the user's language.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *kwb_i18n_get_locale_dir (void);
void        kwb_i18n_init           (void);

G_END_DECLS
