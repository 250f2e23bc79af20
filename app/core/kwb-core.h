/* kwb-core.h — the whole core library in one include
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-busybox.h"
#include "kwb-breakpoint.h"
#include "kwb-breakpoints.h"
#include "kwb-cpio.h"
#include "kwb-initramfs.h"
#include "kwb-gdb.h"
#include "kwb-mi-parser.h"
#include "kwb-mi-record.h"
#include "kwb-json.h"
#include "kwb-kconfig.h"
#include "kwb-kconfig-tree.h"
#include "kwb-kernel-build.h"
#include "kwb-project.h"
#include "kwb-qemu.h"
#include "kwb-frame.h"
#include "kwb-git-repo.h"
#include "kwb-session.h"
#include "kwb-session-config.h"
#include "kwb-elf.h"
#include "kwb-module.h"
#include "kwb-module-files.h"
#include "kwb-module-reader.h"
#include "kwb-modules.h"
#include "kwb-module-build.h"
#include "kwb-setup.h"
#include "kwb-spawn.h"
