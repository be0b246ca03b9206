"""A private network namespace holding one tap interface, for a qemu guest and the host-side tools.

Names are unique per test process ("aoehlnx<pid>"); the tap inside is always "tap0" because the
namespace is what keeps parallel runs apart. Nothing is created outside the namespace. Namespaces
left by a killed run (their pid gone) are removed by the next run.
"""
import os
import re
import subprocess

PREFIX = "aoehlnx"
TAP = "tap0"


def _ip(*args, check=True):
    r = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)
    if check and r.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)} failed: {r.stderr.strip()}")
    return r


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def sweep_stale():
    try:
        names = os.listdir("/run/netns")
    except FileNotFoundError:
        return
    for name in names:
        m = re.fullmatch(PREFIX + r"(\d+)", name)
        if m and not _pid_alive(int(m.group(1))):
            _ip("netns", "del", name, check=False)


class NetnsTap:
    """Context manager: the namespace with tap0 up at `mtu`; deleted (with the tap) on exit."""

    def __init__(self, mtu):
        self.name = f"{PREFIX}{os.getpid()}"
        self.mtu = mtu
        self._created = False

    def __enter__(self):
        sweep_stale()
        try:
            _ip("netns", "add", self.name)
            self._created = True
            _ip("-n", self.name, "tuntap", "add", "dev", TAP, "mode", "tap")
            _ip("-n", self.name, "link", "set", TAP, "mtu", str(self.mtu))
            _ip("-n", self.name, "link", "set", TAP, "up")
        except BaseException:
            self.close()
            raise
        return self

    def exec_argv(self, argv):
        """argv run inside the namespace (`ip netns exec` execs it in place: same pid)."""
        return ["ip", "netns", "exec", self.name, *argv]

    def close(self):
        if self._created:
            _ip("-n", self.name, "tuntap", "del", "dev", TAP, "mode", "tap", check=False)
            _ip("netns", "del", self.name, check=False)
            self._created = False

    def __exit__(self, *exc):
        self.close()
        return False
