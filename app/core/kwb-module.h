/* kwb-module.h — one kernel module of the guest, as the debugger sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The kernel's enum module_state, in its order. */
typedef enum {
  KWB_MODULE_STATE_LIVE,
  KWB_MODULE_STATE_COMING,
  KWB_MODULE_STATE_GOING,
  KWB_MODULE_STATE_UNFORMED,
} KwbModuleState;

/* Longest module or section name taken from the guest as it is. */
#define KWB_MODULE_NAME_MAX 128

#define KWB_TYPE_MODULE (kwb_module_get_type ())
G_DECLARE_FINAL_TYPE (KwbModule, kwb_module, KWB, MODULE, GObject)

const char     *kwb_module_state_to_string      (KwbModuleState  state);

/* TRUE for a name fit for GDB commands: [A-Za-z0-9_.-], not starting with
 * '-', 1 to KWB_MODULE_NAME_MAX bytes. */
gboolean        kwb_module_name_is_safe         (const char     *name);
/* NAME for display: every byte outside that set as \xNN, cut at the limit. */
char           *kwb_module_escape_name          (const char     *name);

/* NAME as read from the guest (escaped unless safe); ADDRESS: the guest's
 * struct module. */
KwbModule      *kwb_module_new                  (const char     *name,
                                                 guint64         address);
const char     *kwb_module_get_name             (KwbModule      *self);
/* FALSE: the name is shown escaped and no .ko is looked for by it. */
gboolean        kwb_module_get_name_is_safe     (KwbModule      *self);
guint64         kwb_module_get_address          (KwbModule      *self);
KwbModuleState  kwb_module_get_state            (KwbModule      *self);
void            kwb_module_set_state            (KwbModule      *self,
                                                 KwbModuleState  state);
guint64         kwb_module_get_text_address     (KwbModule      *self);
void            kwb_module_set_text_address     (KwbModule      *self,
                                                 guint64         text_address);
guint64         kwb_module_get_size             (KwbModule      *self);
void            kwb_module_set_size             (KwbModule      *self,
                                                 guint64         size);

/* Allocated sections and their guest addresses, from mod->sect_attrs. A
 * section whose NAME is not safe is kept escaped, never looked up and never
 * passed to GDB. */
void            kwb_module_add_section          (KwbModule      *self,
                                                 const char     *name,
                                                 guint64         address);
guint           kwb_module_get_n_sections       (KwbModule      *self);
const char     *kwb_module_get_section          (KwbModule      *self,
                                                 guint           i,
                                                 guint64        *address);
gboolean        kwb_module_lookup_section       (KwbModule      *self,
                                                 const char     *name,
                                                 guint64        *address);

/* The .ko whose symbols GDB has (NULL: none loaded). */
const char     *kwb_module_get_ko_path          (KwbModule      *self);
gboolean        kwb_module_get_symbols_loaded   (KwbModule      *self);
/* Symbols loaded from KO_PATH (NULL: none, e.g. removed). */
void            kwb_module_set_symbols          (KwbModule      *self,
                                                 const char     *ko_path);
/* Why there are no symbols: the folders searched, or GDB's refusal. */
const char     *kwb_module_get_symbols_problem  (KwbModule      *self);
const char * const *kwb_module_get_searched     (KwbModule      *self);
void            kwb_module_set_symbols_problem  (KwbModule      *self,
                                                 const char     *problem,
                                                 const char * const *searched);
/* "Symbols from /…/x.ko" or the problem, for a row or a tooltip. */
char           *kwb_module_dup_symbols_text     (KwbModule      *self);

/* The GDB command loading KO_PATH at this module's section addresses. */
char           *kwb_module_dup_add_symbol_file_command (KwbModule  *self,
                                                 const char     *ko_path);

G_END_DECLS
