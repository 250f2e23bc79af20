#!/usr/bin/env python3
# first-break.py — time to "stopped at start_kernel, source line read": kwb debug vs the manual way.
# SPDX-License-Identifier: GPL-3.0-or-later
"""What kwb debug costs over the manual way. Both sides boot the same bzImage + initramfs with the
same vmlinux, frozen, break at start_kernel, continue, and read the frame's
source line; runs alternate in one process, medians and their ratio are
printed. The manual way is its usual commands (qemu -S + gdb -batch), with the
stub on 127.0.0.1 instead of -s's every-interface listener.

Two rounds: GDB's index cache cold for both (a fresh cache directory each
run), then warm for both (the manual way's gdb given the same `set index-cache on`).
Prints figures only; never fails on time.

With --arm64 the kernel is the arm64 fixture (a QEMU virt board under TCG),
and the manual way is qemu-system-aarch64 -M virt -S + gdb-multiarch.

With --distro the kernel is Debian's cloud kernel and its separate debug
vmlinux (about 600 MB, DWARF 5; build-aux/fixture-distro-kernel), booted as
a prebuilt project; both sides boot it with nokaslr, as a user of the manual
way must for breakpoints to hit.

usage: first-break.py KWB [--distro|--arm64]   (needs KWB_FIXTURE_VMLINUX, KWB_FIXTURE_INITRAMFS;
                                        --distro: KWB_FIXTURE_DISTRO_IMAGE, KWB_FIXTURE_DISTRO_VMLINUX;
                                        --arm64: KWB_FIXTURE_ARM64_PROJECT)
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("KWB_BENCH_RUNS", "5"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


MEMORY = "256"
CMDLINE = "console=ttyS0 rdinit=/linuxrc loglevel=8 panic=-1"
QEMU = ["qemu-system-x86_64"]
GDB = "gdb"


def manual_way(bzimage, initramfs, vmlinux, cache_dir):
    port = free_port()
    start = time.monotonic()
    qemu = subprocess.Popen(
        QEMU + ["-accel", "tcg", "-m", MEMORY, "-smp", "2",
         "-kernel", bzimage, "-initrd", initramfs, "-display", "none", "-no-reboot",
         "-append", CMDLINE,
         "-serial", "null", "-monitor", "none",
         "-S", "-gdb", f"tcp:127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        gdb = [GDB, "-batch", "-nx", "-q"]
        if cache_dir:
            gdb += ["-iex", f"set index-cache directory {cache_dir}", "-iex", "set index-cache on"]
        gdb += [vmlinux, "-ex", f"target remote 127.0.0.1:{port}", "-ex", "break start_kernel",
                "-ex", "continue", "-ex", "frame"]
        for _ in range(100):  # QEMU needs a moment to listen
            out = subprocess.run(gdb, capture_output=True, text=True)
            if "start_kernel" in out.stdout and "main.c" in out.stdout:
                break
            if "Connection refused" not in out.stderr:
                raise RuntimeError("manual way failed:\n" + out.stdout + out.stderr)
        else:
            raise RuntimeError("manual way: QEMU never listened")
        return time.monotonic() - start
    finally:
        qemu.kill()
        qemu.wait()


def ours(kwb, project, env):
    """Until kwb has printed the stop and its source line; the VM's shutdown
    after that is not part of the figure (the manual side is timed to gdb's
    exit, which also leaves QEMU's shutdown out)."""
    start = time.monotonic()
    proc = subprocess.Popen([kwb, "debug", project, "--timeout", "120"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    elapsed = None
    saw_stop = False
    for line in proc.stdout:
        if line.startswith("stopped: start_kernel"):
            saw_stop = True
        elif saw_stop and "\t" in line:  # "   914\t<source text>"
            elapsed = time.monotonic() - start
            break
    rest, err = proc.communicate()
    if elapsed is None or proc.returncode != 0:
        raise RuntimeError("kwb debug failed:\n" + rest + err)
    return elapsed


def main():
    global MEMORY, CMDLINE, QEMU, GDB
    kwb = sys.argv[1]
    distro = "--distro" in sys.argv[2:]
    arm64 = "--arm64" in sys.argv[2:]
    initramfs = os.environ.get("KWB_FIXTURE_INITRAMFS")
    init_args = []
    if arm64:
        fixture = os.environ.get("KWB_FIXTURE_ARM64_PROJECT")
        if not fixture:
            print("arm64-first-break: no arm64 fixture: run build-aux/fixtures (it needs "
                  "gcc-aarch64-linux-gnu qemu-system-arm gdb-multiarch qemu-user)")
            return
        vmlinux = os.path.join(fixture, "build/kernel/vmlinux")
        bzimage = os.path.join(fixture, "build/kernel/arch/arm64/boot/Image")
        initramfs = os.path.join(fixture, "build/initramfs.cpio.gz")
        QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57"]
        GDB = "gdb-multiarch"
        CMDLINE = CMDLINE.replace("ttyS0", "ttyAMA0")
        init_args = ["--arch", "arm64"]
        settings = (("kernel.build-dir", os.path.dirname(vmlinux)),)
    elif distro:
        bzimage = os.environ.get("KWB_FIXTURE_DISTRO_IMAGE")
        vmlinux = os.environ.get("KWB_FIXTURE_DISTRO_VMLINUX")
        if not bzimage or not vmlinux:
            print("distro-first-break: no distribution kernel: run build-aux/fixtures, which downloads "
                  "linux-image-*-cloud-amd64-unsigned and its -dbg package (310 MB) once")
            return
        MEMORY = "512"
        CMDLINE += " nokaslr"
        settings = (("kernel.profile", "prebuilt"), ("kernel.image", bzimage), ("kernel.vmlinux", vmlinux))
    else:
        vmlinux = os.environ["KWB_FIXTURE_VMLINUX"]
        bzimage = os.path.join(os.path.dirname(vmlinux), "arch/x86/boot/bzImage")
        settings = (("kernel.build-dir", os.path.dirname(vmlinux)),)

    work = tempfile.mkdtemp(prefix="kwb-bench-first-break-")
    try:
        project = os.path.join(work, "p")
        subprocess.run([kwb, "init"] + init_args + [project], check=True, capture_output=True)
        for key, value in settings + (("initramfs.output", initramfs), ("qemu.accel", "tcg"),
                                      ("qemu.memory", MEMORY)):
            subprocess.run([kwb, "set", project, key, value], check=True)
        if distro:
            # Each cold run has a cache folder of its own: give it the source tree
            # extracted once in the real cache, as a folder, not the tarball again.
            out = subprocess.run([kwb, "debug", project, "--json", "--timeout", "300"],
                                 capture_output=True, text=True)
            for line in out.stdout.splitlines():
                if line.startswith('{"event":"stopped"'):
                    source = json.loads(line)["file"][:-len("/init/main.c")]
                    subprocess.run([kwb, "set", project, "kernel.source", source], check=True)
                    break
            else:
                raise RuntimeError("kwb debug found no source for the distribution kernel:\n" + out.stderr)

        for warm in (False, True):
            manual_times, our_times = [], []
            for i in range(RUNS):
                cache = os.path.join(work, "cache-warm" if warm else f"cache-cold-{i}")
                # The manual way of a distribution kernel is a plain gdb, every time.
                manual_cache = os.path.join(cache, "manual-index") if warm and not distro else None
                env = dict(os.environ, XDG_CACHE_HOME=cache)
                if warm and i == 0:  # fill both caches once
                    ours(kwb, project, env)
                    manual_way(bzimage, initramfs, vmlinux, manual_cache)
                # alternate which side goes first, so neither always gets a warm page cache
                if i % 2 == 0:
                    manual_times.append(manual_way(bzimage, initramfs, vmlinux, manual_cache))
                    our_times.append(ours(kwb, project, env))
                else:
                    our_times.append(ours(kwb, project, env))
                    manual_times.append(manual_way(bzimage, initramfs, vmlinux, manual_cache))
            m, o = statistics.median(manual_times), statistics.median(our_times)
            label = "warm index cache" if warm else "cold index cache"
            name = "distro-first-break" if distro else "arm64-first-break" if arm64 else "first-break"
            print(f"{name} ({label}, {RUNS} runs, TCG, {os.path.getsize(vmlinux) >> 20} MB vmlinux):")
            print(f"  manual way (qemu -S + gdb -batch): median {m:.3f} s")
            print(f"  kwb debug:                         median {o:.3f} s")
            print(f"  ratio kwb/manual: {o / m:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
