/* fuzz-elf.c — libFuzzer target for kwb-elf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kwb-elf reads files nobody checked: a BusyBox the user picked, a .ko from
 * a search path. Every question the core asks is asked of each input, and
 * a relocatable file with section addresses is copied without them; the
 * copy must then have none left, or the target aborts. A core gets the
 * notes a memory dump adds and must still open.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kwb-elf.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *dir;

static void
remove_dir (void)
{
  g_autofree char *input = g_build_filename (dir, "input", NULL);

  g_unlink (input);
  g_rmdir (dir);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(KwbElf) elf = NULL;
  g_autoptr(GArray) headers = NULL;

  if (dir == NULL)
    {
      if ((dir = g_dir_make_tmp ("kwb-fuzz-elf-XXXXXX", NULL)) == NULL)
        abort ();
      atexit (remove_dir);
    }
  input = g_build_filename (dir, "input", NULL);
  copy = g_build_filename (dir, "copy", NULL);
  if (!g_file_set_contents (input, (const char *) data, size, NULL))
    abort ();

  if ((elf = kwb_elf_open (input, NULL)) == NULL)
    return 0;
  (void) kwb_elf_get_class (elf);
  (void) kwb_elf_is_little_endian (elf);
  (void) kwb_elf_get_machine (elf);
  if ((headers = kwb_elf_dup_program_headers (elf, NULL)) != NULL)
    for (guint i = 0; i < headers->len; i++)
      (void) kwb_elf_segment_needs_libraries (elf, &g_array_index (headers, GElf_Phdr, i));
  if (kwb_elf_get_file_type (elf) == ET_REL && kwb_elf_has_section_addresses (elf) &&
      kwb_elf_write_unplaced_copy (elf, copy, NULL))
    {
      g_autoptr(KwbElf) again = kwb_elf_open (copy, NULL);

      if (again == NULL || kwb_elf_has_section_addresses (again))
        abort ();
      g_unlink (copy);
    }
  g_free (kwb_elf_dup_build_id (elf));
  if (kwb_elf_get_file_type (elf) == ET_CORE)
    {
      static const guint32 pids[] = { 7, 8 };

      g_clear_pointer (&elf, kwb_elf_free);
      if (kwb_elf_core_add_note (input, "VMCOREINFO", 0, "OSRELEASE=6.1\n", 14, NULL))
        {
          g_autoptr(KwbElf) again = kwb_elf_open (input, NULL);

          if (again == NULL)
            abort ();
        }
      (void) kwb_elf_core_set_prstatus_pids (input, pids, G_N_ELEMENTS (pids), NULL);
    }
  return 0;
}
