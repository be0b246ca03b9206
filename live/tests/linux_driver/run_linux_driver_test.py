#!/usr/bin/python3
"""The Linux aoe driver against `aoeh serve`: Debian's linux-image-6.1 kernel boots in qemu with a
busybox initramfs, on a tap interface in a private network namespace where `aoeh serve` serves a
file. The guest must discover the target, see its exact size, read the file's bytes (checksum) and
write a payload that the test then finds in the served file (and nowhere else).

Exit status: 0 pass, 1 fail (with the reason), 77 skip (ctest SKIP_RETURN_CODE: no root, no
/dev/net/tun, tools missing). Logs (console, serve, optional pcap) stay in --work.
"""
import argparse
import fcntl
import hashlib
import os
import random
import shutil
import signal
import struct
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import initramfs  # noqa: E402
import kernel_package  # noqa: E402
import processes  # noqa: E402
from netns_tap import TAP, NetnsTap  # noqa: E402

SKIP = 77
SECTOR = 512
BUSYBOX = "/bin/busybox"
# Guest NIC: qemu device and the modules that drive it (dependencies are added from .modinfo).
NICS = {
    "virtio": ("virtio-net-pci", ["virtio_pci", "virtio_net"]),
    "e1000": ("e1000", ["e1000"]),
}
GUEST_MAC = "52:54:00:a0:e0:01"


class TestFailure(Exception):
    pass


def log(msg):
    print(f"[linux_driver] {msg}", flush=True)


def is_static_elf(path):
    """True for an ELF executable without a program interpreter (a busybox the guest can run)."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2:
            return False
        phoff, = struct.unpack_from("<Q", head, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", head, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    return all(struct.unpack_from("<I", table, i * phentsize)[0] != 3 for i in range(phnum))  # PT_INTERP


def skip_reason(aoeh):
    if os.geteuid() != 0:
        return "needs root (network namespace, tap interface); run ctest as root"
    try:
        os.close(os.open("/dev/net/tun", os.O_RDWR))
    except OSError as e:
        return f"/dev/net/tun is not usable ({e.strerror}); tap interfaces are unavailable here"
    for tool, package in (("ip", "iproute2"), ("qemu-system-x86_64", "qemu-system-x86"),
                          ("apt-get", "apt"), ("dpkg", "dpkg")):
        if shutil.which(tool) is None:
            return f"{tool} not found (scripts/deps.sh installs {package})"
    if not os.path.exists(BUSYBOX) or not is_static_elf(BUSYBOX):
        return f"no static {BUSYBOX} (scripts/deps.sh installs busybox-static)"
    if not os.access(aoeh, os.X_OK):
        return f"aoeh binary {aoeh} not built"
    return ""


def kvm_usable():
    """True when the CPU has VMX/SVM and /dev/kvm creates a VM. A VM without nested virtualisation
    can still offer /dev/kvm (this one does) whose guests hang early in boot, hence the CPU flags."""
    with open("/proc/cpuinfo") as f:
        flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    if "vmx" not in flags and "svm" not in flags:
        return False
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        if fcntl.ioctl(fd, 0xAE00) != 12:  # KVM_GET_API_VERSION
            return False
        vm = fcntl.ioctl(fd, 0xAE01, 0)  # KVM_CREATE_VM
        os.close(vm)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def qemu_argv(kernel, initrd, accel, nic, mtu, shelf, slot, write_lba):
    device, _ = NICS[nic]
    append = " ".join([
        "console=ttyS0", "quiet", "panic=-1", "rdinit=/init",
        f"aoeh_shelf={shelf}", f"aoeh_slot={slot}", f"aoeh_write_lba={write_lba}", f"aoeh_mtu={mtu}",
    ])
    return [
        "qemu-system-x86_64", "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
        "-machine", "q35", "-accel", accel, "-cpu", "host" if accel == "kvm" else "max",
        "-m", "256", "-smp", "1",
        "-kernel", kernel.vmlinuz, "-initrd", initrd, "-append", append,
        "-serial", "stdio", "-monitor", "none",
        "-netdev", f"tap,id=n0,ifname={TAP},script=no,downscript=no",
        # romfile= : the guest boots with -kernel, so no PXE option ROM is needed (faster boot).
        "-device", f"{device},netdev=n0,mac={GUEST_MAC},romfile=",
    ]


def parse_results(lines):
    results = {}
    for line in lines:
        if line.startswith("AOEH-RESULT "):
            for item in line[len("AOEH-RESULT "):].split():
                key, _, value = item.partition("=")
                results[key] = value
    return results


class GuestRun:
    """What one boot of the guest printed, and when (time.monotonic() values)."""

    def __init__(self):
        self.lines = []
        self.error = None          # the AOEH-ERROR line
        self.started = time.monotonic()
        self.first_result = None   # first AOEH-RESULT line: the guest's driver is loaded
        self.done = None           # AOEH-DONE
        self.ended = None          # qemu exited
        self.status = None


def boot_guest(ns, args, kernel, initrd, accel, write_lba, stall_timeout):
    """Boots the guest and collects its console until qemu exits. Raises TestFailure after
    args.timeout seconds, or returns early (qemu killed, no results) when the guest prints no
    result line within `stall_timeout` seconds."""
    run = GuestRun()
    qemu, console = processes.spawn(
        ns.exec_argv(qemu_argv(kernel, initrd, accel, args.nic, args.mtu, args.shelf, args.slot, write_lba)),
        os.path.join(args.work, "console.log"))
    try:
        while True:
            waiting_for_first = run.first_result is None and stall_timeout is not None
            deadline = run.started + (min(stall_timeout, args.timeout) if waiting_for_first else args.timeout)
            try:
                line = console.next_line(deadline)
            except TimeoutError:
                if waiting_for_first and stall_timeout < args.timeout:
                    return run  # stalled before the first result: the caller may try TCG
                raise TestFailure(f"guest timed out after {args.timeout} s (qemu killed); last console lines:\n"
                                  + "\n".join(run.lines[-15:])) from None
            if line is None:
                break
            run.lines.append(line)
            if line.startswith("AOEH-RESULT") and run.first_result is None:
                run.first_result = time.monotonic()
            elif line.startswith("AOEH-ERROR"):
                run.error = line
            elif line.startswith("AOEH-DONE"):
                run.done = time.monotonic()
        run.status = qemu.wait(10)
        run.ended = time.monotonic()
        return run
    finally:
        processes.stop(qemu)


def wait_for_line(reader, needle, seconds, what):
    """Reads `reader` until a line contains `needle`; returns that line. Fails on EOF or timeout."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            line = reader.next_line(deadline)
        except TimeoutError:
            raise TestFailure(f"{what} did not print '{needle}' within {seconds} s") from None
        if line is None:
            raise TestFailure(f"{what} exited before printing '{needle}'")
        if needle in line:
            return line


def run(args):
    os.makedirs(args.work, exist_ok=True)
    for stale in ("console.log", "serve.log", "tshark.log"):
        if os.path.exists(os.path.join(args.work, stale)):
            os.remove(os.path.join(args.work, stale))
    t0 = time.monotonic()
    nic_device, nic_modules = NICS[args.nic]
    try:
        kernel = kernel_package.prepare(args.cache, nic_modules + ["aoe"], deb_path=args.deb, log=log)
    except kernel_package.KernelUnavailable as e:
        raise TestFailure(f"cannot get Debian's linux-image-6.1 kernel: {e}") from e
    t_kernel = time.monotonic()
    log(f"kernel {kernel.version} ({kernel.folder}), ready in {t_kernel - t0:.1f} s")

    # Served file: deterministic bytes, a size that is not a power of two (the driver must report
    # exactly this many sectors). The payload lands at an LBA that is not 4 KiB aligned.
    size_sectors = args.size_sectors
    original = random.Random(args.seed).randbytes(size_sectors * SECTOR)
    payload_sectors = 517
    payload = random.Random(args.seed + 1).randbytes(payload_sectors * SECTOR)
    write_lba = 4099
    if write_lba + payload_sectors > size_sectors:
        raise TestFailure(f"--size-sectors {size_sectors} is too small for the write at LBA {write_lba}")
    served = os.path.join(args.work, "served.img")
    with open(served, "wb") as f:
        f.write(original)

    # aoe.ko is last in the load order; whatever precedes it drives the NIC (and aoe's own
    # dependencies, if it ever gets any, load before it either way).
    stages = {"nic": kernel.modules[:-1], "aoe": kernel.modules[-1:]}
    initrd = os.path.join(args.work, "initramfs.cpio")
    with open(initrd, "wb") as f:
        f.write(initramfs.build(BUSYBOX, os.path.join(os.path.dirname(os.path.abspath(__file__)), "guest_init.sh"),
                                stages, payload))

    accel = args.accel if args.accel != "auto" else ("kvm" if kvm_usable() else "tcg")
    log(f"accelerator {accel}, NIC {nic_device}, MTU {args.mtu}, target e{args.shelf}.{args.slot} "
        f"{size_sectors} sectors")

    serve = tshark = None
    with NetnsTap(args.mtu) as ns:
        try:
            serve, serve_out = processes.spawn(
                ns.exec_argv([args.aoeh, "serve", "--iface", TAP, "--shelf", str(args.shelf), "--slot",
                              str(args.slot), "--file", served]),
                os.path.join(args.work, "serve.log"))
            wait_for_line(serve_out, "serving until", 20, "aoeh serve")  # its port is open by then

            if args.pcap:
                tshark, tshark_out = processes.spawn(
                    ns.exec_argv(["tshark", "-q", "-i", TAP, "-w", os.path.abspath(args.pcap)]),
                    os.path.join(args.work, "tshark.log"))
                wait_for_line(tshark_out, "Capturing on", 30, "tshark")

            # With KVM chosen automatically, a guest that never gets to its first result (an odd
            # nested-virtualisation setup) is retried once with TCG rather than failing the driver.
            guest = boot_guest(ns, args, kernel, initrd, accel, write_lba,
                               stall_timeout=60 if (accel == "kvm" and args.accel == "auto") else None)
            if guest.first_result is None and accel == "kvm" and args.accel == "auto":
                log(f"KVM guest printed no result (qemu status {guest.status}; None = stalled 60 s); retrying with TCG")
                accel = "tcg"
                guest = boot_guest(ns, args, kernel, initrd, accel, write_lba, stall_timeout=None)
            if guest.error:
                raise TestFailure(f"guest reported {guest.error}; console:\n" + "\n".join(guest.lines[-25:]))
            if guest.done is None:
                raise TestFailure(f"qemu exited (status {guest.status}) before the guest finished; console:\n"
                                  + "\n".join(guest.lines[-25:]))
        finally:
            if tshark is not None:
                processes.stop(tshark)
            serve_status = processes.stop(serve) if serve is not None else None
            if serve is not None:
                serve_out.drain(time.monotonic() + 5)

    if serve_status != 0:
        raise TestFailure(f"aoeh serve ended with status {serve_status}; see {args.work}/serve.log")

    r = parse_results(guest.lines)
    for line in guest.lines:
        if line.startswith("AOEH-RESULT") or line.startswith("AOEH-DMESG"):
            log("guest: " + line)
    problems = []
    if r.get("discovered") != f"e{args.shelf}.{args.slot}":
        problems.append(f"guest discovered {r.get('discovered')!r}, expected e{args.shelf}.{args.slot}")
    if r.get("size_sectors") != str(size_sectors):
        problems.append(f"guest sees {r.get('size_sectors')} sectors, the served file has {size_sectors}")
    # Both ends size frames by the MTU (serve advertises what fits; the driver takes the smaller of
    # that and its own MTU): whole sectors after the 36-byte AoE+ATA header, at most 255.
    expected_payload = min(255, (args.mtu - 36) // SECTOR) * SECTOR
    if r.get("sysfs_payload") != str(expected_payload):
        problems.append(f"driver uses {r.get('sysfs_payload')}-byte frames, expected {expected_payload} "
                        f"at MTU {args.mtu}")
    if r.get("read_sha256") != sha256(original):
        problems.append(f"guest read sha256 {r.get('read_sha256')}, the served file's is {sha256(original)}")
    if r.get("wrote_sectors") != str(payload_sectors) or r.get("readback_sha256") != sha256(payload):
        problems.append(f"guest wrote {r.get('wrote_sectors')} sectors, read back sha256 {r.get('readback_sha256')}, "
                        f"expected {payload_sectors} and {sha256(payload)}")
    with open(served, "rb") as f:
        after = f.read()
    begin, end = write_lba * SECTOR, (write_lba + payload_sectors) * SECTOR
    if len(after) != len(original):
        problems.append(f"served file is {len(after)} bytes after the run, was {len(original)}")
    elif after[begin:end] != payload:
        bad = [s for s in range(payload_sectors)
               if after[begin + s * SECTOR:begin + (s + 1) * SECTOR] != payload[s * SECTOR:(s + 1) * SECTOR]]
        problems.append(f"{len(bad)} of the {payload_sectors} written sectors differ in the served file "
                        f"(first: LBA {write_lba + bad[0]})")
    elif after[:begin] != original[:begin] or after[end:] != original[end:]:
        problems.append("the served file changed outside the written range")
    if problems:
        raise TestFailure("; ".join(problems))

    log(f"PASS with {accel}: kernel ready {t_kernel - t0:.1f} s, guest to first result "
        f"{guest.first_result - guest.started:.1f} s, guest done {guest.done - guest.started:.1f} s, "
        f"qemu gone {guest.ended - guest.started:.1f} s, total {time.monotonic() - t0:.1f} s")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--aoeh", required=True, help="the aoeh binary")
    p.add_argument("--cache", required=True, help="folder for the kernel package (kept between runs)")
    p.add_argument("--work", required=True, help="folder for the served file, initramfs and logs")
    p.add_argument("--deb", help="use this linux-image .deb instead of downloading the newest 6.1 one")
    p.add_argument("--accel", choices=("auto", "kvm", "tcg"), default=os.environ.get("AOEH_QEMU_ACCEL", "auto"))
    p.add_argument("--nic", choices=sorted(NICS), default="virtio")
    p.add_argument("--mtu", type=int, default=1500)
    p.add_argument("--shelf", type=int, default=7)
    p.add_argument("--slot", type=int, default=3)
    p.add_argument("--size-sectors", type=int, default=16387)
    p.add_argument("--seed", type=int, default=6)
    p.add_argument("--timeout", type=float, default=240, help="seconds the guest may take (then qemu is killed)")
    p.add_argument("--pcap", help="capture the tap with tshark into this file")
    args = p.parse_args()

    reason = skip_reason(args.aoeh)
    if reason:
        print(f"SKIP linux_driver: {reason}", flush=True)
        return SKIP

    def on_signal(signum, _frame):  # ctest's timeout or Ctrl-C: unwind so the namespace goes away
        raise TestFailure(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        return run(args)
    except TestFailure as e:
        print(f"FAIL linux_driver: {e}", flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
