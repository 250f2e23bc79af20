/* kwb-build-problem.h — a compiler or linker error of a build, with its file and line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* file is absolute when it could be resolved; line and column are 0 when
 * the message has none (a linker error). */
typedef struct {
  char *file;
  guint line;
  guint column;
  char *message;
} KwbBuildProblem;

#define KWB_TYPE_BUILD_PROBLEM (kwb_build_problem_get_type ())
GType            kwb_build_problem_get_type    (void) G_GNUC_CONST;
KwbBuildProblem *kwb_build_problem_copy        (const KwbBuildProblem *problem);
void             kwb_build_problem_free        (KwbBuildProblem       *problem);
KwbBuildProblem *kwb_build_problem_parse       (const char            *line,
                                                const char            *build_dir);
KwbBuildProblem *kwb_build_problem_find_in_log (const char            *log_text,
                                                const char            *build_dir);
char            *kwb_build_problem_to_string   (const KwbBuildProblem *problem);
gboolean         kwb_build_problem_remap       (KwbBuildProblem       *problem,
                                                const char            *from_dir,
                                                const char            *to_dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbBuildProblem, kwb_build_problem_free)

G_END_DECLS
