/* kwb-trust-dialog.h — asks before a project not trusted here may run its programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_TRUST_DIALOG (kwb_trust_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KwbTrustDialog, kwb_trust_dialog, KWB, TRUST_DIALOG, AdwMessageDialog)

KwbTrustDialog *kwb_trust_dialog_new         (GtkWindow      *parent,
                                              KwbProject     *project);
KwbProject     *kwb_trust_dialog_get_project (KwbTrustDialog *self);

G_END_DECLS
