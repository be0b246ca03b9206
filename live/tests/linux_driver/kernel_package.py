"""Debian's linux-image-6.1 kernel for the guest: fetched with `apt-get download`, unpacked with
`dpkg -x` (never installed on the host), reduced to the kernel image and the modules the guest loads.

The cache (one folder per kernel version and module set) lives in the build tree, so reruns neither
download nor unpack again. The .deb has no modules.dep (depmod writes it at install time), so module
dependencies come from each module's own `.modinfo` section (`depends=`), read here from the ELF file.
"""
import fcntl
import os
import re
import shutil
import struct
import subprocess
import tempfile

KERNEL_PACKAGE = re.compile(r"^linux-image-(6\.1\.0-(\d+)-amd64)$")


class KernelUnavailable(Exception):
    """The kernel package could not be found, downloaded or unpacked (message says why)."""


def modinfo_depends(ko_path):
    """Module names listed in `depends=` of a .ko's .modinfo section ([] when none)."""
    with open(ko_path, "rb") as f:
        elf = f.read()
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        raise KernelUnavailable(f"{ko_path}: not a 64-bit ELF module (compressed?)")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)

    def section(i):
        base = shoff + i * shentsize
        name, = struct.unpack_from("<I", elf, base)
        offset, size = struct.unpack_from("<QQ", elf, base + 0x18)
        return name, offset, size

    _, str_off, _ = section(shstrndx)
    for i in range(shnum):
        name, offset, size = section(i)
        end = elf.index(b"\0", str_off + name)
        if elf[str_off + name:end] != b".modinfo":
            continue
        for entry in elf[offset:offset + size].split(b"\0"):
            if entry.startswith(b"depends="):
                value = entry[len(b"depends="):].decode()
                return [d for d in value.split(",") if d]
        return []
    raise KernelUnavailable(f"{ko_path}: no .modinfo section")


def load_order(modules_root, wanted):
    """Paths (relative to modules_root) of `wanted` modules and their dependencies, dependencies first.

    Module names use '_' and '-' interchangeably; file names are matched after normalising both."""
    by_name = {}
    for dirpath, _, files in os.walk(modules_root):
        for f in files:
            if f.endswith(".ko"):
                by_name[f[:-3].replace("-", "_")] = os.path.relpath(os.path.join(dirpath, f), modules_root)
    order, visiting = [], set()

    def visit(name):
        key = name.replace("-", "_")
        if key not in by_name:
            raise KernelUnavailable(f"module {name} is not in the kernel package (built in?)")
        rel = by_name[key]
        if rel in order:
            return
        if key in visiting:
            raise KernelUnavailable(f"module dependency cycle at {name}")
        visiting.add(key)
        for dep in modinfo_depends(os.path.join(modules_root, rel)):
            visit(dep)
        order.append(rel)

    for name in wanted:
        visit(name)
    return order


def newest_available_package():
    """Name of the newest linux-image-6.1.0-N-amd64 apt knows about."""
    try:
        out = subprocess.run(["apt-cache", "search", "--names-only", r"^linux-image-6\.1\.0-[0-9]+-amd64$"],
                             capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise KernelUnavailable(f"apt-cache search failed: {e}") from e
    names = [line.split(" ", 1)[0] for line in out.splitlines()]
    matches = sorted((int(m.group(2)), m.group(0)) for m in map(KERNEL_PACKAGE.match, names) if m)
    if not matches:
        raise KernelUnavailable("apt knows no linux-image-6.1.0-*-amd64 package (run apt-get update?)")
    return matches[-1][1]


def download(package, into):
    """`apt-get download` of `package` into folder `into`; returns the .deb path."""
    r = subprocess.run(["apt-get", "download", "-q", package], cwd=into, capture_output=True, text=True,
                       timeout=600)
    debs = [f for f in os.listdir(into) if f.startswith(package + "_") and f.endswith(".deb")]
    if r.returncode != 0 or not debs:
        raise KernelUnavailable(f"apt-get download {package} failed: {r.stderr.strip()[-400:]}")
    return os.path.join(into, debs[0])


class GuestKernel:
    """The kernel image and the modules to insmod, in order, from one cached folder."""

    def __init__(self, folder):
        self.folder = folder
        self.version = open(os.path.join(folder, "version")).read().strip()
        self.vmlinuz = os.path.join(folder, "vmlinuz")
        self.modules = [os.path.join(folder, "modules", line.strip())
                        for line in open(os.path.join(folder, "load-order")) if line.strip()]


def prepare(cache_dir, wanted_modules, deb_path=None, log=print):
    """A GuestKernel with `wanted_modules` (and dependencies), from the cache when it is there.

    Uses `deb_path` if given, else the newest linux-image-6.1.0-N-amd64 (downloaded once).
    Tests running in parallel share the cache: the first one fills it under a lock."""
    os.makedirs(cache_dir, exist_ok=True)
    with open(os.path.join(cache_dir, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _prepare_locked(cache_dir, wanted_modules, deb_path, log)


def _prepare_locked(cache_dir, wanted_modules, deb_path, log):
    module_key = "+".join(wanted_modules)
    if deb_path is None:
        cached = sorted((int(m.group(2)), d) for d in os.listdir(cache_dir)
                        if (m := re.match(r"^(6\.1\.0-(\d+)-amd64)\." + re.escape(module_key) + "$", d))
                        and os.path.exists(os.path.join(cache_dir, d, "complete")))
        if cached:
            return GuestKernel(os.path.join(cache_dir, cached[-1][1]))
        package = newest_available_package()
        log(f"downloading {package} into {cache_dir}")
        deb_path = download(package, cache_dir)

    with tempfile.TemporaryDirectory(dir=cache_dir, prefix="unpack-") as tmp:
        r = subprocess.run(["dpkg", "-x", deb_path, tmp], capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise KernelUnavailable(f"dpkg -x {deb_path} failed: {r.stderr.strip()}")
        versions = sorted(os.listdir(os.path.join(tmp, "lib", "modules")))
        if len(versions) != 1:
            raise KernelUnavailable(f"{deb_path}: expected one lib/modules/<version>, found {versions}")
        version = versions[0]
        modules_root = os.path.join(tmp, "lib", "modules", version)
        order = load_order(modules_root, wanted_modules)

        folder = os.path.join(cache_dir, f"{version}.{module_key}")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(os.path.join(folder, "modules"))
        shutil.copy(os.path.join(tmp, "boot", f"vmlinuz-{version}"), os.path.join(folder, "vmlinuz"))
        for rel in order:
            shutil.copy(os.path.join(modules_root, rel), os.path.join(folder, "modules", os.path.basename(rel)))
        with open(os.path.join(folder, "load-order"), "w") as f:
            f.write("".join(os.path.basename(rel) + "\n" for rel in order))
        with open(os.path.join(folder, "version"), "w") as f:
            f.write(version + "\n")
        open(os.path.join(folder, "complete"), "w").close()
    # The unpacked folder is the cache; the .deb was only its source.
    if os.path.dirname(os.path.abspath(deb_path)) == os.path.abspath(cache_dir):
        os.remove(deb_path)
    return GuestKernel(folder)
