/* kwb-machine-page.c — the virtual machine page: memory, CPUs, command line and how a session starts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every choice here is a plain project key, so the page is its .ui: rows
 * bound to [qemu] and [debug] keys. The code only says whether KVM can be
 * used, and sums the page up for the wizard.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-machine-page.h"
#include "kwb-project-entry-row.h"
#include "kwb-project-page-private.h"
#include "kwb-project-spin-row.h"
#include "kwb-project-switch-row.h"
#include "kwb-qemu.h"

struct _KwbMachinePage
{
  KwbProjectPage  parent_instance;

  /* Template children */
  AdwActionRow   *kvm_row;
};

G_DEFINE_FINAL_TYPE (KwbMachinePage, kwb_machine_page, KWB_TYPE_PROJECT_PAGE)

static void
kwb_machine_page_load (KwbProjectPage *page)
{
  KwbMachinePage *self = KWB_MACHINE_PAGE (page);

  kwb_action_row_set_plain_subtitle (self->kvm_row, kwb_qemu_kvm_usable ()
    ? _("KVM is available: the guest runs at nearly native speed. Early breakpoints use the CPU’s "
        "four hardware breakpoints.")
    : _("KVM is not available here (no usable /dev/kvm): QEMU emulates the CPU. Slower, but every "
        "breakpoint works from the first instruction."));
  kwb_project_page_set_complete (page, TRUE);
}

static char *
kwb_machine_page_dup_summary (KwbProjectPage *page)
{
  KwbProject *p = kwb_project_page_get_project (page);

  return g_strdup_printf (_("%d MiB, %d CPUs, %s"),
                          (int) kwb_project_get_int (p, "qemu", "memory"), (int) kwb_project_get_int (p, "qemu", "cpus"),
                          kwb_project_get_boolean (p, "debug", "break-at-start")
                          ? _("stops at the start function") : _("runs freely"));
}

static void
kwb_machine_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KWB_TYPE_MACHINE_PAGE);
  G_OBJECT_CLASS (kwb_machine_page_parent_class)->dispose (object);
}

static void
kwb_machine_page_class_init (KwbMachinePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KwbProjectPageClass *page_class = KWB_PROJECT_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kwb_machine_page_dispose;
  page_class->load = kwb_machine_page_load;
  page_class->dup_summary = kwb_machine_page_dup_summary;

  g_type_ensure (KWB_TYPE_PROJECT_ENTRY_ROW);
  g_type_ensure (KWB_TYPE_PROJECT_SPIN_ROW);
  g_type_ensure (KWB_TYPE_PROJECT_SWITCH_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kwb/KernelWorkbench/kwb-machine-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbMachinePage, kvm_row);
}

static void
kwb_machine_page_init (KwbMachinePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its id, by which the wizard's stack and the tests find the page. */
  gtk_widget_set_name (GTK_WIDGET (self), "machine");
}
