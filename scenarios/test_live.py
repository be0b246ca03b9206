"""aoeh.LiveSession: clear errors for unusable interfaces, and (as root) a read-back through a veth
pair in a network namespace the test creates, against vblade."""
import itertools
import json
import os
import shutil
import subprocess
import sys

import pytest

import aoeh

PYTHON = "/usr/bin/python3"
_names = itertools.count()


def test_unknown_interface_raises_an_interface_error():
    with pytest.raises(aoeh.InterfaceError) as e:
        aoeh.LiveSession(["aoehnosuch0"])
    assert e.value.code == "no-such-interface" and "aoehnosuch0" in str(e.value)
    assert isinstance(e.value, aoeh.LiveError) and isinstance(e.value, aoeh.Error)
    with pytest.raises(ValueError):
        aoeh.LiveSession([])


def _skip_reason():
    if os.geteuid() != 0:
        return "live tests need root (CAP_NET_ADMIN for the namespace, CAP_NET_RAW for AF_PACKET)"
    for tool in ("ip", "vblade", "setpriv"):
        if not shutil.which(tool):
            return f"live tests need `{tool}` (scripts/deps.sh installs it)"
    return ""


def _ip(*args):
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def veth_namespace(request, tmp_path):
    """A fresh namespace holding the veth pair ini0 <-> tgt0 and vblade e1.0 on tgt0 (1 MiB file)."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    ns = f"aoehpy{os.getpid() % 100000}.{next(_names)}"[:15]
    procs = []

    def cleanup():
        for p in procs:
            p.kill()
            p.wait(timeout=10)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=30)

    request.addfinalizer(cleanup)
    _ip("netns", "add", ns)
    _ip("-n", ns, "link", "add", "ini0", "type", "veth", "peer", "name", "tgt0")
    for ifname in ("lo", "ini0", "tgt0"):
        _ip("-n", ns, "link", "set", ifname, "up")
    disk = tmp_path / "disk.img"
    disk.write_bytes(bytes(1 << 20))
    procs.append(subprocess.Popen(["ip", "netns", "exec", ns, "vblade", "1", "0", "tgt0", str(disk)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return ns, disk


def _in_namespace(ns, script, user=None, timeout=60):
    """Runs a Python snippet in the namespace (this process stays outside it); returns its JSON output."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    argv = ["ip", "netns", "exec", ns]
    if user:
        argv += ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "--inh-caps=-all"]
    run = subprocess.run(argv + [PYTHON, "-c", script], capture_output=True, text=True, timeout=timeout, env=env)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


READ_BACK = r"""
import json, random, aoeh
s = aoeh.LiveSession(["ini0"], dead_after=10)
found = []
for _ in range(20):  # vblade announces itself when it starts; a broadcast finds it if that was missed
    found = s.discover(timeout=0.25)
    if "e1.0" in found:
        break
d = s.wait_for("e1.0", timeout=10)
data = random.Random(7).randbytes(8 * 512)
s.write("e1.0", 16, data)
back = s.read("e1.0", 16, 8)
beyond = None
try:
    s.read("e1.0", d["capacity"], 1)
except aoeh.SubmitError as e:
    beyond = e.reason
cert = aoeh.certify(s, target="e1.0", select="AOE.Identify.*")
print(json.dumps({"found": found, "capacity": d["capacity"], "same": back == data,
                  "devices": [x["address"] for x in s.devices()], "beyond": beyond,
                  "interfaces": d["paths"][0]["interfaces"],
                  "certified": [t.name for t in cert], "cert_device": cert.device["address"],
                  "cert_mode": cert.mode}))
s.close()
"""


@pytest.mark.live
def test_write_and_read_back_through_vblade(veth_namespace):
    ns, disk = veth_namespace
    out = _in_namespace(ns, READ_BACK)
    assert out["same"] and out["capacity"] == 2048
    assert out["devices"] == ["e1.0"] and out["interfaces"] == ["ini0"]
    assert out["beyond"] == "beyond end of device"
    # certify() drives the same interfaces through the conformance suite.
    assert out["certified"] and all(n.startswith("AOE.Identify.") for n in out["certified"])
    assert out["cert_device"] == "e1.0" and out["cert_mode"] == "live ini0"
    import random
    assert disk.read_bytes()[16 * 512:24 * 512] == random.Random(7).randbytes(8 * 512)  # it reached the disk


NO_RAW = r"""
import json, aoeh
try:
    aoeh.LiveSession(["ini0"])
    print(json.dumps({"raised": None}))
except aoeh.LiveError as e:
    print(json.dumps({"raised": type(e).__name__, "code": e.code, "permission": isinstance(e, PermissionError)}))
"""


@pytest.mark.live
def test_without_cap_net_raw_the_error_says_so(veth_namespace):
    ns, _ = veth_namespace
    out = _in_namespace(ns, NO_RAW, user=65534)
    assert out == {"raised": "LivePermissionError", "code": "no-permission", "permission": True}


TWO_THREADS = r"""
import json, os, random, threading, aoeh
s = aoeh.LiveSession(["ini0"], dead_after=10)
for _ in range(20):
    if "e1.0" in s.discover(timeout=0.25):
        break
s.wait_for("e1.0", timeout=10)
start = threading.Barrier(2, timeout=10)
finished, errors = [], []

def drive(lba):
    try:
        data = random.Random(lba).randbytes(4 * 512)
        start.wait()  # both threads call into the session at once
        for _ in range(40):
            s.write("e1.0", lba, data)
            if s.read("e1.0", lba, 4) != data:
                raise AssertionError(f"lba {lba} read back different data")
            s.devices()
        s.wait_for("e1.0", timeout=10)
        finished.append(lba)
    except BaseException as e:
        errors.append(repr(e))

threads = [threading.Thread(target=drive, args=(lba,), daemon=True) for lba in (32, 64)]
for t in threads:
    t.start()
for t in threads:
    t.join(timeout=30)  # a deadlock that lets the GIL go leaves a thread alive here
print(json.dumps({"stuck": sum(t.is_alive() for t in threads), "finished": sorted(finished), "errors": errors}),
      flush=True)
os._exit(0)  # a stuck thread would block a normal exit
"""


@pytest.mark.live
def test_two_threads_share_one_session(veth_namespace):
    ns, _ = veth_namespace
    try:
        out = _in_namespace(ns, TWO_THREADS, timeout=90)
    except subprocess.TimeoutExpired:  # one that holds the GIL stops the whole interpreter
        pytest.fail("two threads on one LiveSession deadlocked")
    assert out == {"stuck": 0, "finished": [32, 64], "errors": []}
