/* kwb-machine-page.c — the virtual machine page: memory, CPUs, command line and how a session starts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every choice here is a plain project key, so the page is mostly its .ui:
 * rows bound to [qemu] and [debug] keys. The code says whether KVM can be
 * used, sums the page up for the wizard, and handles the architecture: its
 * choice also sets what follows it (kwb_arch_apply_to_project), the page
 * names the Debian packages that guest needs and which are missing, and a
 * BusyBox that cannot run in it is reported here, pointing back to its page.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-machine-page.h"
#include "kwb-project-entry-row.h"
#include "kwb-project-page-private.h"
#include "kwb-project-spin-row.h"
#include "kwb-project-switch-row.h"
#include "kwb-arch.h"
#include "kwb-busybox.h"
#include "kwb-qemu.h"

struct _KwbMachinePage
{
  KwbProjectPage  parent_instance;

  /* Template children */
  AdwComboRow    *arch_row;
  AdwActionRow   *arch_tools_row;
  AdwActionRow   *kvm_row;
};

G_DEFINE_FINAL_TYPE (KwbMachinePage, kwb_machine_page, KWB_TYPE_PROJECT_PAGE)

#define PAGE(self) KWB_PROJECT_PAGE (self)

/* The packages the architecture needs, and the missing ones; then whether
 * the project's BusyBox can run in it. */
static void
show_arch (KwbMachinePage *self)
{
  KwbProject *project = kwb_project_page_get_project (PAGE (self));
  const KwbArch *arch = kwb_arch_for_project (project);
  g_autofree char *all = kwb_arch_dup_packages (arch, FALSE);
  g_autofree char *missing = kwb_arch_dup_packages (arch, TRUE);
  g_autofree char *text = NULL;
  g_autofree char *busybox = kwb_project_dup_string (project, "busybox", "source");
  g_autoptr(GError) error = NULL;

  kwb_action_row_set_plain_subtitle (self->kvm_row,
    !kwb_arch_is_native (arch)
    ? _("QEMU emulates this guest’s CPU (KVM runs only the host’s own architecture). Slower, but every "
        "breakpoint works from the first instruction.")
    : kwb_qemu_kvm_usable ()
    ? _("KVM is available: the guest runs at nearly native speed. Early breakpoints use the CPU’s "
        "four hardware breakpoints.")
    : _("KVM is not available here (no usable /dev/kvm): QEMU emulates the CPU. Slower, but every "
        "breakpoint works from the first instruction."));

  if (*missing == '\0')
    text = g_strdup_printf (_("%s: installed"), all);
  else
    text = g_strdup_printf (_("%s. Missing here; install with: sudo apt-get install %s"), all, missing);
  kwb_action_row_set_plain_subtitle (self->arch_tools_row, text);

  /* A BusyBox built from source is checked when it is built; it needs its
   * tree (an architecture of another host switches to it). */
  if (g_strcmp0 (busybox, "tree") == 0)
    {
      g_autofree char *tree = kwb_project_dup_path (project, "busybox", "tree");

      if (tree == NULL)
        {
          kwb_project_page_show_error (PAGE (self), _("This guest needs a BusyBox built for it: choose BusyBox’s "
                                                      "source tree on the BusyBox page."));
          kwb_project_page_set_complete (PAGE (self), FALSE);
          return;
        }
    }
  else
    {
      g_autoptr(KwbBusybox) bb = kwb_busybox_new (project);
      g_autofree char *binary = kwb_busybox_dup_binary_path (bb, NULL);

      if (binary != NULL && !kwb_busybox_check_binary (binary, arch, &error) &&
          g_error_matches (error, KWB_BUSYBOX_ERROR, KWB_BUSYBOX_ERROR_WRONG_ARCH))
        {
          g_autofree char *message = g_strdup_printf (_("%s Go back to the BusyBox page."), error->message);

          kwb_project_page_show_error (PAGE (self), message);
          kwb_project_page_set_complete (PAGE (self), FALSE);
          return;
        }
    }
  kwb_project_page_show_error (PAGE (self), NULL);
  kwb_project_page_set_complete (PAGE (self), TRUE);
}

static void
on_arch_selected (KwbMachinePage *self)
{
  const char * const *names = kwb_arch_get_names ();
  guint selected = adw_combo_row_get_selected (self->arch_row);
  KwbProject *project = kwb_project_page_get_project (PAGE (self));
  g_autoptr(GError) error = NULL;

  if (project == NULL || kwb_project_page_is_loading (PAGE (self)) || selected >= g_strv_length ((char **) names))
    return;
  if (kwb_arch_for_project (project) != kwb_arch_lookup (names[selected]))
    {
      if (!kwb_arch_apply_to_project (kwb_arch_lookup (names[selected]), project, &error))
        {
          kwb_project_page_show_error (PAGE (self), error->message);
          return;
        }
      kwb_project_page_save (PAGE (self));
    }
  show_arch (self);
}

static void
kwb_machine_page_load (KwbProjectPage *page)
{
  KwbMachinePage *self = KWB_MACHINE_PAGE (page);
  const char * const *names = kwb_arch_get_names ();
  const KwbArch *arch = kwb_arch_for_project (kwb_project_page_get_project (page));

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], arch->name))
      adw_combo_row_set_selected (self->arch_row, i);
  show_arch (self);
}

static char *
kwb_machine_page_dup_summary (KwbProjectPage *page)
{
  KwbProject *p = kwb_project_page_get_project (page);

  return g_strdup_printf (_("%s, %d MiB, %d CPUs, %s"), kwb_arch_for_project (p)->label,
                          (int) kwb_project_get_int (p, "qemu", "memory"), (int) kwb_project_get_int (p, "qemu", "cpus"),
                          kwb_project_get_boolean (p, "debug", "break-at-start")
                          ? _("stops at the start function") : _("runs freely"));
}

/* The BusyBox it checks is chosen on an earlier page: again each time the
 * page is shown. */
static void
kwb_machine_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kwb_machine_page_parent_class)->map (widget);
  show_arch (KWB_MACHINE_PAGE (widget));
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
  widget_class->map = kwb_machine_page_map;
  page_class->load = kwb_machine_page_load;
  page_class->dup_summary = kwb_machine_page_dup_summary;

  g_type_ensure (KWB_TYPE_PROJECT_ENTRY_ROW);
  g_type_ensure (KWB_TYPE_PROJECT_SPIN_ROW);
  g_type_ensure (KWB_TYPE_PROJECT_SWITCH_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kwb/KernelWorkbench/kwb-machine-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbMachinePage, arch_row);
  gtk_widget_class_bind_template_child (widget_class, KwbMachinePage, arch_tools_row);
  gtk_widget_class_bind_template_child (widget_class, KwbMachinePage, kvm_row);
  gtk_widget_class_bind_template_callback (widget_class, on_arch_selected);
}

static void
kwb_machine_page_init (KwbMachinePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its id, by which the wizard's stack and the tests find the page. */
  gtk_widget_set_name (GTK_WIDGET (self), "machine");
}
