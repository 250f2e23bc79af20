/* kwb-build-manifest.h — BUILD/kwb-manifest.ini: what a kernel build made, from what
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KWB_BUILD_MANIFEST_NAME "kwb-manifest.ini"

#define KWB_TYPE_BUILD_MANIFEST (kwb_build_manifest_get_type ())
G_DECLARE_FINAL_TYPE (KwbBuildManifest, kwb_build_manifest, KWB, BUILD_MANIFEST, GObject)

KwbBuildManifest *kwb_build_manifest_new           (const char          *build_dir);
KwbBuildManifest *kwb_build_manifest_load          (const char          *build_dir,
                                                    GError             **error);
char             *kwb_build_manifest_dup_path_for  (const char          *build_dir);
const char       *kwb_build_manifest_get_path      (KwbBuildManifest    *self);
gboolean          kwb_build_manifest_get_exists    (KwbBuildManifest    *self);
gint64            kwb_build_manifest_get_modified  (KwbBuildManifest    *self);
gboolean          kwb_build_manifest_save          (KwbBuildManifest    *self,
                                                    GError             **error);

char             *kwb_build_manifest_dup_source        (KwbBuildManifest *self);
char             *kwb_build_manifest_dup_source_commit (KwbBuildManifest *self);
gboolean          kwb_build_manifest_get_source_dirty  (KwbBuildManifest *self);
char             *kwb_build_manifest_dup_release       (KwbBuildManifest *self);
char             *kwb_build_manifest_dup_file          (KwbBuildManifest *self,
                                                        const char       *name);
guint             kwb_build_manifest_get_full_objects  (KwbBuildManifest *self);

void              kwb_build_manifest_set_kernel    (KwbBuildManifest    *self,
                                                    const char          *release,
                                                    const char          *config_hash,
                                                    const char          *source,
                                                    const char          *source_commit,
                                                    gboolean             source_dirty);
void              kwb_build_manifest_set_file      (KwbBuildManifest    *self,
                                                    const char          *name,
                                                    const char          *path);
void              kwb_build_manifest_set_modules   (KwbBuildManifest    *self,
                                                    const char * const  *modules,
                                                    gsize                n_modules);
void              kwb_build_manifest_set_build     (KwbBuildManifest    *self,
                                                    double               seconds,
                                                    gboolean             up_to_date,
                                                    guint                objects);
void              kwb_build_manifest_set_full_objects (KwbBuildManifest *self,
                                                    guint                objects);

G_END_DECLS
