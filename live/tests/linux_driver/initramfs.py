"""The guest's initramfs: a "newc" cpio archive written directly (no root needed for the device
node, same bytes for the same inputs).

The kernel needs /dev/console in the archive: init's stdin/stdout/stderr are opened on it before
init could mount devtmpfs, and without it the guest's serial console stays silent.
"""
import stat

S_DIR = stat.S_IFDIR | 0o755
S_EXEC = stat.S_IFREG | 0o755
S_FILE = stat.S_IFREG | 0o644
S_LINK = stat.S_IFLNK | 0o777


class Archive:
    def __init__(self):
        self._entries = []  # (name, mode, data, rdev_major, rdev_minor)

    def directory(self, name):
        self._entries.append((name, S_DIR, b"", 0, 0))

    def file(self, name, data, executable=False):
        self._entries.append((name, S_EXEC if executable else S_FILE, data, 0, 0))

    def char_device(self, name, major, minor):
        self._entries.append((name, stat.S_IFCHR | 0o600, b"", major, minor))

    def symlink(self, name, target):
        self._entries.append((name, S_LINK, target.encode(), 0, 0))

    def to_bytes(self):
        out = bytearray()
        for ino, (name, mode, data, major, minor) in enumerate(self._entries + [("TRAILER!!!", 0, b"", 0, 0)], 1):
            encoded = name.encode() + b"\0"
            fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, major, minor, len(encoded), 0)
            out += b"070701" + b"".join(b"%08X" % f for f in fields) + encoded
            out += b"\0" * (-len(out) % 4)
            out += data
            out += b"\0" * (-len(out) % 4)
        return bytes(out)


def build(busybox, init_script, modules_by_stage, payload):
    """The archive bytes: busybox as /bin/busybox, `init_script` as /init, each stage's modules in
    /modules with their load order in /modules/order.<stage>, and `payload` as /payload.bin."""
    a = Archive()
    for d in ("bin", "dev", "proc", "sys", "modules"):
        a.directory(d)
    a.char_device("dev/console", 5, 1)
    with open(busybox, "rb") as f:
        a.file("bin/busybox", f.read(), executable=True)
    a.symlink("bin/sh", "busybox")
    with open(init_script, "rb") as f:
        a.file("init", f.read(), executable=True)
    for stage, modules in modules_by_stage.items():
        for path in modules:
            with open(path, "rb") as f:
                a.file("modules/" + path.rsplit("/", 1)[-1], f.read())
        a.file(f"modules/order.{stage}", "".join(p.rsplit("/", 1)[-1] + "\n" for p in modules).encode())
    a.file("payload.bin", payload)
    return a.to_bytes()
