/* kwb-kconfig.h — a kernel .config: parse it, the debug profiles, the config doctor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-arch.h"
#include "kwb-kconfig-tree.h"

G_BEGIN_DECLS

#define KWB_KCONFIG_ERROR (kwb_kconfig_error_quark ())

typedef enum {
  KWB_KCONFIG_ERROR_READ,        /* the file cannot be read or decompressed */
  KWB_KCONFIG_ERROR_PARSE,       /* not a .config (no CONFIG_ line at all) */
  KWB_KCONFIG_ERROR_BAD_REQUEST, /* an extra-config line that is not CONFIG_X=… */
  KWB_KCONFIG_ERROR_PROFILE,     /* unknown profile, or existing without a config */
} KwbKconfigError;

/* Bump when the option lists below change what gets built: it is part of the
 * fixture key, so cached kernels are rebuilt exactly when they must be. */
#define KWB_KCONFIG_PROFILE_VERSION "1"

/* One option we ask for. value is as in a .config: y, m, n (for "is not
 * set"), a number, or a "quoted string". */
typedef struct {
  char *symbol;  /* without CONFIG_ */
  char *value;
  char *origin;  /* why we ask: "fast profile", "debug layer", "extra-config" */
} KwbKconfigRequest;

typedef enum {
  KWB_KCONFIG_SEVERITY_OK,      /* a request that stuck */
  KWB_KCONFIG_SEVERITY_INFO,
  KWB_KCONFIG_SEVERITY_WARNING, /* debugging works, worse */
  KWB_KCONFIG_SEVERITY_ERROR,   /* a request that did not stick, or debugging breaks */
} KwbKconfigSeverity;

/* One line of the doctor's report; the GUI shows these as rows. */
typedef struct {
  char               *option;   /* CONFIG_… */
  char               *wanted;   /* NULL for a diagnosis of an existing config */
  char               *actual;   /* "n" when not set */
  gboolean            stuck;
  KwbKconfigSeverity  severity;
  char               *reason;   /* NULL when stuck */
  char               *advice;   /* NULL when nothing to do */
} KwbKconfigFinding;

#define KWB_TYPE_KCONFIG_FINDING (kwb_kconfig_finding_get_type ())
GType               kwb_kconfig_finding_get_type  (void) G_GNUC_CONST;
KwbKconfigFinding  *kwb_kconfig_finding_copy      (const KwbKconfigFinding *finding);
void                kwb_kconfig_finding_free      (KwbKconfigFinding       *finding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbKconfigFinding, kwb_kconfig_finding_free)

void                kwb_kconfig_request_free      (KwbKconfigRequest       *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbKconfigRequest, kwb_kconfig_request_free)

#define KWB_TYPE_KCONFIG (kwb_kconfig_get_type ())
G_DECLARE_FINAL_TYPE (KwbKconfig, kwb_kconfig, KWB, KCONFIG, GObject)

GQuark       kwb_kconfig_error_quark        (void);

KwbKconfig  *kwb_kconfig_new_from_data      (const char          *text,
                                             gssize               len);
KwbKconfig  *kwb_kconfig_new_from_file      (const char          *path,
                                             GError             **error);
const char  *kwb_kconfig_get                (KwbKconfig          *self,
                                             const char          *symbol);
gboolean     kwb_kconfig_is_enabled         (KwbKconfig          *self,
                                             const char          *symbol);
guint        kwb_kconfig_get_n_symbols      (KwbKconfig          *self);
char        *kwb_kconfig_dup_hash           (KwbKconfig          *self);

gboolean     kwb_kconfig_parse_line         (const char          *line,
                                             char               **symbol,
                                             char               **value);

const char  *kwb_kconfig_profile_make_target (const KwbArch      *arch,
                                             const char         *profile);
GPtrArray   *kwb_kconfig_build_requests     (const KwbArch       *arch,
                                             const char          *profile,
                                             gboolean             relocatable,
                                             const char          *builtin_initramfs,
                                             const char * const  *extra_config,
                                             GError             **error);
char        *kwb_kconfig_requests_to_fragment (GPtrArray         *requests);

GPtrArray   *kwb_kconfig_check_requests     (KwbKconfig          *self,
                                             GPtrArray           *requests,
                                             KwbKconfigTree      *tree);
GPtrArray   *kwb_kconfig_diagnose           (KwbKconfig          *self);
gboolean     kwb_kconfig_findings_ok        (GPtrArray           *findings);
char        *kwb_kconfig_format_findings    (GPtrArray           *findings,
                                             gboolean             only_problems);

G_END_DECLS
