#!/usr/bin/env python3
# reverse.py — time of a step backwards in a recorded run: kwb replay vs QEMU replay + gdb by hand.
# SPDX-License-Identifier: GPL-3.0-or-later
"""What going backwards costs. One 60 s recording of the fixture kernel (kwb
record: boot, then a shell loop typed at the prompt that calls `sync` every
5 s, ten times). Both sides replay it with the same QEMU options and break at
__do_sys_sync, so the stops are spread over the run. At each of the ten
stops: reverse-stepi, reverse-next, reverse-finish (out of x64_sys_call),
continue (back to the same stop), reverse-continue (back to the previous
stop, or the start), continue twice (on to the next stop); the reverse
commands are timed from sent to stopped. kwb's figures
are the ones `kwb replay` prints ("reverse-stepi took S s"); the manual way
is QEMU with -icount rr=replay and `gdb -batch` timing each command in its
own Python, with the recording as it was made: only its first snapshot.
kwb takes snapshots as its replay runs forwards, and one close behind a
stop before stepping back from it. Medians, maxima and their ratio are
printed, and kwb's figures per stop. Never fails on time.

The manual way replays from the start of the recording at every step back:
at all ten stops it takes well over an hour. KWB_BENCH_MANUAL_STOPS (e.g.
"1,5,10") times it at those stops only (it continues past the others);
"none" leaves it out. KWB_BENCH_MEMORY records with that much guest memory
in MiB (the project's default otherwise): QEMU saves and loads all of it
with each snapshot.

usage: reverse.py KWB   (needs KWB_FIXTURE_VMLINUX; KWB_BENCH_RUNS, default 1)
"""
import json
import os
import pty
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tty

RUNS = int(os.environ.get("KWB_BENCH_RUNS", "1"))
STOPS = 10
COMMANDS = ["reverse-stepi", "reverse-next", "reverse-finish", "reverse-continue"]
# After the first stop; the last stop's trailing continues run to the end.
AT_STOP = ["reverse-stepi", "reverse-next", "reverse-finish", "continue", "reverse-continue", "continue",
           "continue"]
SEQUENCE = (AT_STOP * STOPS)[:-1]
MANUAL_STOPS_SETTING = os.environ.get("KWB_BENCH_MANUAL_STOPS", "")
MANUAL_STOPS = [] if MANUAL_STOPS_SETTING == "none" else sorted(
    {int(x) for x in MANUAL_STOPS_SETTING.split(",") if x.strip()} or range(1, STOPS + 1))


def manual_sequence():
    """SEQUENCE at the stops in MANUAL_STOPS; a continue past each other one."""
    sequence = []
    for stop in range(1, STOPS + 1):
        sequence += AT_STOP if stop in MANUAL_STOPS else ["continue"]
    return sequence[:-1]
SEND = "for i in 1 2 3 4 5 6 7 8 9 10; do sync; sleep 5; done; echo synced\\n"
TIMEOUT = 3600


def manual_way(recording, image, meta, vmlinux):
    """QEMU replaying the recording as a user would start it, gdb timing each command."""
    master, slave = pty.openpty()
    tty.setraw(slave)
    name = os.ttyname(slave)
    work = tempfile.mkdtemp(prefix="kwb-bench-reverse-manual-")
    gdb_sock = os.path.join(work, "gdb.sock")
    qemu = subprocess.Popen(
        ["qemu-system-x86_64", "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
         "-accel", "tcg", "-cpu", "max", "-m", meta["memory"], "-smp", "1",
         "-kernel", meta["kernel"], "-initrd", meta["initramfs"], "-append", meta["cmdline"],
         "-chardev", f"pipe,id=console0,path={name}", "-serial", "chardev:console0",
         "-icount", f"shift=auto,rr=replay,rrfile={recording}/replay.bin,rrsnapshot=init",
         "-drive", f"file={image},if=none,id=rr,format=qcow2",
         # the machine kwb records on (see kwb-arch.c)
         "-global", "apic.vapic=off",
         "-S", "-gdb", f"unix:path={gdb_sock},server=on,wait=off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):
            if os.path.exists(gdb_sock):
                break
            time.sleep(0.05)
        timed = "".join(
            f"python import time\npython t = time.monotonic()\n{c}\n"
            f"python print('TIMED {c} %.3f' % (time.monotonic() - t))\n" if c in COMMANDS else f"{c}\n"
            for c in manual_sequence())
        script = os.path.join(work, "cmds.gdb")
        with open(script, "w") as f:
            f.write(f"target remote {gdb_sock}\nbreak __do_sys_sync\ncontinue\n" + timed)
        # The console must be drained, or QEMU blocks writing to it.
        drain = subprocess.Popen(["cat"], stdin=master, stdout=subprocess.DEVNULL)
        out = subprocess.run(["gdb", "-batch", "-nx", "-q", vmlinux, "-x", script],
                             capture_output=True, text=True, timeout=TIMEOUT)
        drain.kill()
        figures = {}
        for line in out.stdout.splitlines():
            if line.startswith("TIMED "):
                _, command, seconds = line.split()
                figures.setdefault(command, []).append(float(seconds))
        if any(c not in figures for c in COMMANDS):
            raise RuntimeError("manual way failed:\n" + out.stdout[-3000:] + out.stderr[-2000:])
        return figures
    finally:
        # A replaying QEMU ignores SIGTERM.
        os.killpg(qemu.pid, 9)
        qemu.wait()
        os.close(master)
        os.close(slave)
        shutil.rmtree(work, ignore_errors=True)


def ours(kwb, recording):
    args = [kwb, "replay", recording, "--break", "__do_sys_sync", "--json", "--timeout", str(TIMEOUT)]
    for c in SEQUENCE:
        args += ["--exec", c]
    out = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT + 60)
    figures = {}
    for line in out.stdout.splitlines():
        event = json.loads(line)
        if event.get("event") == "timing":
            figures.setdefault(event["command"], []).append(event["seconds"])
    for command in COMMANDS:
        print(f"kwb {command} at each stop: " + " ".join(f"{t:.2f}" for t in figures.get(command, [])))
    if out.returncode != 0 or any(c not in figures for c in COMMANDS):
        raise RuntimeError("kwb replay failed:\n" + out.stdout[-3000:] + out.stderr[-3000:])
    return figures


def read_meta(recording):
    meta = {}
    with open(os.path.join(recording, "recording.ini")) as f:
        for line in f:
            if "=" in line:
                key, value = line.rstrip("\n").split("=", 1)
                meta[key] = value
    return meta


def run(args):
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(" ".join(args) + " failed:\n" + out.stdout[-2000:] + out.stderr[-3000:])
    return out


def main():
    kwb = sys.argv[1]
    vmlinux = os.environ["KWB_FIXTURE_VMLINUX"]
    if not shutil.which("qemu-img"):
        print("reverse: qemu-img is missing: apt-get install qemu-utils")
        return
    work = tempfile.mkdtemp(prefix="kwb-bench-reverse-")
    try:
        project = os.path.join(work, "p")
        recording = os.path.join(work, "rec")
        run([kwb, "init", project])
        run([kwb, "set", project, "kernel.build-dir", os.path.dirname(vmlinux)])
        if os.environ.get("KWB_BENCH_MEMORY"):
            run([kwb, "set", project, "qemu.memory", os.environ["KWB_BENCH_MEMORY"]])
        run([kwb, "initramfs", project])
        run([kwb, "record", project, "-o", recording, "--seconds", "60", "--console-send", SEND])
        meta = read_meta(recording)
        # The manual way gets the recording as made, without kwb's snapshots.
        image = os.path.join(work, "first-snapshot-only.qcow2")
        shutil.copy(os.path.join(recording, "snapshots.qcow2"), image)
        print(f"recording: {float(meta['seconds']):.1f} s, {meta.get('icount', '?')} instructions, "
              f"{meta['memory']} MiB of guest memory")
        if 0 < len(MANUAL_STOPS) < STOPS:
            print("the manual way at stops " + ", ".join(str(s) for s in MANUAL_STOPS) + f" of {STOPS}")
        kwb_times, manual_times = {}, {}
        for _ in range(RUNS):
            for command, values in ours(kwb, recording).items():
                kwb_times.setdefault(command, []).extend(values)
            if MANUAL_STOPS:
                for command, values in manual_way(recording, image, meta, vmlinux).items():
                    manual_times.setdefault(command, []).extend(values)
        for command in dict.fromkeys(COMMANDS):
            k, m = kwb_times.get(command, []), manual_times.get(command, [])
            if k and not MANUAL_STOPS:
                print(f"{command}: kwb replay median {statistics.median(k):.2f} s, max {max(k):.2f} s "
                      "(the manual way left out)")
                continue
            if not k or not m:
                print(f"{command}: no figure (kwb {k}, manual {m})")
                continue
            print(f"{command}: kwb replay median {statistics.median(k):.2f} s, max {max(k):.2f} s; "
                  f"QEMU + gdb by hand median {statistics.median(m):.2f} s, max {max(m):.2f} s; "
                  f"ratio {statistics.median(k) / statistics.median(m):.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
