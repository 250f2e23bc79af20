/* kwb-project.h — a project: what to build and run, stored in kernel-workbench.ini
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KWB_PROJECT_FILE_NAME "kernel-workbench.ini"
#define KWB_PROJECT_FORMAT_VERSION 1

#define KWB_PROJECT_ERROR (kwb_project_error_quark ())

typedef enum {
  KWB_PROJECT_ERROR_NOT_FOUND,     /* no kernel-workbench.ini in the directory */
  KWB_PROJECT_ERROR_UNREADABLE,    /* permissions, I/O */
  KWB_PROJECT_ERROR_PARSE,         /* not a key file: line N is wrong */
  KWB_PROJECT_ERROR_INVALID_VALUE, /* a known key with a value of the wrong kind */
  KWB_PROJECT_ERROR_VERSION,       /* written by a newer Kernel Workbench */
  KWB_PROJECT_ERROR_EXISTS,        /* kwb init on a directory that already has a project */
  KWB_PROJECT_ERROR_WRITE,         /* saving failed; the old file is untouched */
  KWB_PROJECT_ERROR_UNKNOWN_KEY,   /* a caller asked for a key the schema does not have */
} KwbProjectError;

typedef enum {
  KWB_PROJECT_VALUE_STRING,
  KWB_PROJECT_VALUE_PATH,        /* relative paths are relative to the project directory */
  KWB_PROJECT_VALUE_INT,
  KWB_PROJECT_VALUE_BOOLEAN,
  KWB_PROJECT_VALUE_CHOICE,      /* one of a fixed set of words */
  KWB_PROJECT_VALUE_STRING_LIST, /* ';'-separated, as GKeyFile writes lists; "\;" is a ';' in an item */
} KwbProjectValueType;

/* One known key. The table of these is the project file format's documentation
 * (kwb show prints it), its validation and its defaults. */
typedef struct {
  const char          *group;
  const char          *key;
  KwbProjectValueType  type;
  const char          *default_value; /* as written in the file */
  const char          *choices;       /* CHOICE: words separated by '|' */
  gint64               min, max;      /* INT: accepted range */
  const char          *summary;       /* translatable, N_() */
} KwbProjectKey;

#define KWB_TYPE_PROJECT (kwb_project_get_type ())
G_DECLARE_FINAL_TYPE (KwbProject, kwb_project, KWB, PROJECT, GObject)

GQuark               kwb_project_error_quark        (void);

const KwbProjectKey *kwb_project_get_schema         (guint             *n_keys);
const KwbProjectKey *kwb_project_lookup_key         (const char        *group,
                                                     const char        *key);
const KwbProjectKey *kwb_project_suggest_key        (const char        *name);
char               **kwb_project_parse_list         (const char        *text,
                                                     GError           **error);
char                *kwb_project_format_list        (const char * const *items);

KwbProject          *kwb_project_new                (const char        *directory);
KwbProject          *kwb_project_load               (const char        *directory,
                                                     GError           **error);
gboolean             kwb_project_save               (KwbProject        *self,
                                                     GError           **error);
KwbProject          *kwb_project_init_directory     (const char        *directory,
                                                     GError           **error);

const char          *kwb_project_get_directory      (KwbProject        *self);
char                *kwb_project_dup_file_path      (KwbProject        *self);
char                *kwb_project_dup_name           (KwbProject        *self);

char                *kwb_project_dup_string         (KwbProject        *self,
                                                     const char        *group,
                                                     const char        *key);
char                *kwb_project_dup_path           (KwbProject        *self,
                                                     const char        *group,
                                                     const char        *key);
gint64               kwb_project_get_int            (KwbProject        *self,
                                                     const char        *group,
                                                     const char        *key);
gboolean             kwb_project_get_boolean        (KwbProject        *self,
                                                     const char        *group,
                                                     const char        *key);
char               **kwb_project_dup_string_list    (KwbProject        *self,
                                                     const char        *group,
                                                     const char        *key);

gboolean             kwb_project_set_value          (KwbProject        *self,
                                                     const char        *group,
                                                     const char        *key,
                                                     const char        *value,
                                                     GError           **error);
void                 kwb_project_set_string         (KwbProject        *self,
                                                     const char        *group,
                                                     const char        *key,
                                                     const char        *value);
void                 kwb_project_set_int            (KwbProject        *self,
                                                     const char        *group,
                                                     const char        *key,
                                                     gint64             value);
void                 kwb_project_set_boolean        (KwbProject        *self,
                                                     const char        *group,
                                                     const char        *key,
                                                     gboolean           value);
void                 kwb_project_set_string_list    (KwbProject        *self,
                                                     const char        *group,
                                                     const char        *key,
                                                     const char * const *value);
gboolean             kwb_project_try_set_string_list (KwbProject       *self,
                                                     const char        *group,
                                                     const char        *key,
                                                     const char * const *value,
                                                     GError           **error);
gboolean             kwb_project_is_set             (KwbProject        *self,
                                                     const char        *group,
                                                     const char        *key);
gboolean             kwb_project_get_modified       (KwbProject        *self);

G_END_DECLS
