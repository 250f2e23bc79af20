/* kwb-cpio.h — write newc (070701) cpio archives without root
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KWB_TYPE_CPIO (kwb_cpio_get_type ())
G_DECLARE_FINAL_TYPE (KwbCpio, kwb_cpio, KWB, CPIO, GObject)

#define KWB_CPIO_ERROR (kwb_cpio_error_quark ())

typedef enum {
  KWB_CPIO_ERROR_INVALID_PATH,   /* empty, "..", or too long */
  KWB_CPIO_ERROR_CONFLICT,       /* a file where a directory is needed */
  KWB_CPIO_ERROR_READ,           /* a host file cannot be read */
  KWB_CPIO_ERROR_WRITE,          /* the output cannot be written */
  KWB_CPIO_ERROR_TOO_LARGE,      /* newc holds sizes up to 4 GiB - 1 */
} KwbCpioError;

typedef enum {
  KWB_CPIO_COMPRESSION_NONE,
  KWB_CPIO_COMPRESSION_GZIP,
} KwbCpioCompression;

typedef enum {
  KWB_CPIO_ENTRY_DIRECTORY,
  KWB_CPIO_ENTRY_FILE,
  KWB_CPIO_ENTRY_SYMLINK,
  KWB_CPIO_ENTRY_CHAR_DEVICE,
  KWB_CPIO_ENTRY_BLOCK_DEVICE,
} KwbCpioEntryType;

GQuark     kwb_cpio_error_quark        (void);

KwbCpio   *kwb_cpio_new                (void);
void       kwb_cpio_set_mtime          (KwbCpio             *self,
                                        guint32              mtime);
guint32    kwb_cpio_get_mtime          (KwbCpio             *self);

/* Paths are inside the archive, with or without a leading '/'. Adding a path
 * again replaces the earlier entry (so a user's file overrides a default).
 * Missing parent directories are added (0755) when the archive is written.
 * Owner is always 0:0; mode holds the permission bits (07777). */
gboolean   kwb_cpio_add_directory      (KwbCpio             *self,
                                        const char          *path,
                                        guint                mode,
                                        GError             **error);
gboolean   kwb_cpio_add_file_from_bytes (KwbCpio            *self,
                                        const char          *path,
                                        guint                mode,
                                        GBytes              *contents,
                                        GError             **error);
gboolean   kwb_cpio_add_file_from_data (KwbCpio             *self,
                                        const char          *path,
                                        guint                mode,
                                        const char          *text,
                                        GError             **error);
/* The host file is read when the archive is written; its size is checked
 * now so that an error names the file early. */
gboolean   kwb_cpio_add_file_from_host (KwbCpio             *self,
                                        const char          *path,
                                        guint                mode,
                                        const char          *host_path,
                                        GError             **error);
gboolean   kwb_cpio_add_symlink        (KwbCpio             *self,
                                        const char          *path,
                                        const char          *target,
                                        GError             **error);
gboolean   kwb_cpio_add_device         (KwbCpio             *self,
                                        const char          *path,
                                        KwbCpioEntryType     type,
                                        guint                mode,
                                        guint                major,
                                        guint                minor,
                                        GError             **error);
gboolean   kwb_cpio_contains           (KwbCpio             *self,
                                        const char          *path);
guint      kwb_cpio_get_n_entries      (KwbCpio             *self);

/* One line per entry, sorted, in the kernel's gen_init_cpio list format
 * ("dir /bin 0755 0 0", "nod /dev/null 0666 0 0 c 1 3", …), parents included. */
char      *kwb_cpio_dup_listing        (KwbCpio             *self);

gboolean   kwb_cpio_write_to_stream    (KwbCpio             *self,
                                        GOutputStream       *stream,
                                        KwbCpioCompression   compression,
                                        GCancellable        *cancellable,
                                        GError             **error);
/* Writes a temporary file next to OUTPUT and renames it over OUTPUT only when
 * everything was written: an error never leaves a partial archive. */
gboolean   kwb_cpio_write_file         (KwbCpio             *self,
                                        const char          *output,
                                        KwbCpioCompression   compression,
                                        GCancellable        *cancellable,
                                        GError             **error);

G_END_DECLS
