/* kwb-project-trust.h — whether a project may run the programs it names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_PROJECT_TRUST_ERROR (kwb_project_trust_error_quark ())

typedef enum {
  KWB_PROJECT_TRUST_ERROR_UNKNOWN, /* never trusted on this computer: copied, cloned or written by hand */
  KWB_PROJECT_TRUST_ERROR_CHANGED, /* what it runs changed outside Kernel Workbench since it was trusted */
  KWB_PROJECT_TRUST_ERROR_STORE,   /* the record of trusted projects cannot be read or written */
} KwbProjectTrustError;

GQuark    kwb_project_trust_error_quark    (void);

char     *kwb_project_trust_dup_store_path (void);
gboolean  kwb_project_trust_check          (KwbProject  *project,
                                            GError     **error);
gboolean  kwb_project_trust_is_trusted     (KwbProject  *project);
GStrv     kwb_project_trust_dup_runs       (KwbProject  *project);
gboolean  kwb_project_trust_grant          (KwbProject  *project,
                                            GError     **error);

G_END_DECLS
