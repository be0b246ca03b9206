"""Shared pytest fixtures and options for aoeh scenarios.

Fixtures
  world      an aoeh.World seeded from --aoeh-seed (default 1), capturing its initiators to a pcap
  network    two switches ("path0", "path1") in that world      (@pytest.mark.network(paths=, mtu=))
  shelf      targets e1.0.. with a port on every path           (@pytest.mark.shelf(targets=, capacity=, ...))
  initiator  an initiator on every path, its shelf devices up   (@pytest.mark.initiator(**add_initiator kwargs))
  aoeh_bin   the built `aoeh` command (ctest sets AOEH_BIN)

Options
  --aoeh-seed S       seed of every world (default 1)
  --aoeh-seeds N      run every world scenario over seeds S, S+1, ..., S+N-1
  --aoeh-artifacts D  where failing scenarios leave capture.pcap, events.log and seed
                      (default: beside --junitxml, else $AOEH_ARTIFACTS, else ./aoeh-artifacts)

A failing scenario writes its pcap, event log and seed to the artifacts folder and prints the
one-line command that reproduces it.
"""
import os
import pathlib
import re
import shlex
import shutil
import sys

import pytest

DEFAULT_SEED = 1
pytest_plugins = ["pytester"]


# ---------------------------------------------------------------- options, markers, seeds

def pytest_addoption(parser):
    group = parser.getgroup("aoeh")
    group.addoption("--aoeh-seed", type=int, default=DEFAULT_SEED, help="seed of every aoeh world (default 1)")
    group.addoption("--aoeh-seeds", type=int, default=1,
                    help="repeat every world scenario over N seeds starting at --aoeh-seed")
    group.addoption("--aoeh-artifacts", default=None,
                    help="folder for the pcap, event log and seed of failing scenarios")


def pytest_configure(config):
    config.addinivalue_line("markers", "network(paths=2, mtu=1500, **add_switch kwargs): the network fixture's shape")
    config.addinivalue_line("markers", "shelf(targets=4, shelf=1, capacity=..., **add_target kwargs): the shelf fixture")
    config.addinivalue_line("markers", "initiator(**add_initiator kwargs): the initiator fixture's engine settings")
    config.addinivalue_line("markers", "live: needs root, iproute2 and vblade (a veth pair in a namespace the test creates)")
    if config.getoption("aoeh_seeds") < 1:
        raise pytest.UsageError("--aoeh-seeds must be at least 1")
    config._aoeh_failures = []


def pytest_generate_tests(metafunc):
    """Every test that (indirectly) uses `world` runs once per seed."""
    if "aoeh_seed" in metafunc.fixturenames:
        first = metafunc.config.getoption("aoeh_seed")
        seeds = [first + k for k in range(metafunc.config.getoption("aoeh_seeds"))]
        metafunc.parametrize("aoeh_seed", seeds, ids=[f"seed{s}" for s in seeds])


def _marker_kwargs(request, name):
    marker = request.node.get_closest_marker(name)
    return dict(marker.kwargs) if marker else {}


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def aoeh_bin() -> pathlib.Path:
    """Path to the built `aoeh` binary (ctest sets AOEH_BIN)."""
    path = os.environ.get("AOEH_BIN")
    if not path:
        pytest.fail("AOEH_BIN is not set: run the scenarios through ctest (make test)")
    return pathlib.Path(path)


def _import_aoeh():
    try:
        import aoeh  # noqa: PLC0415 (imported lazily so the CLI tests run without the module)
    except ImportError as e:
        pytest.fail(f"cannot import the aoeh module ({e}); PYTHONPATH must hold build/<preset>/bindings "
                    "(ctest sets it)")
    return aoeh


@pytest.fixture
def world(request, aoeh_seed, tmp_path):
    """A fresh simulated world seeded from --aoeh-seed; its initiators are captured to a pcap."""
    aoeh = _import_aoeh()
    w = aoeh.World(seed=aoeh_seed)
    w.capture(str(tmp_path / "capture.pcap"), ports="initiators")
    request.node._aoeh_world = w
    yield w


class Network:
    """Switches of the network fixture: network.paths[k] is switch "pathK"."""

    def __init__(self, world, paths):
        self.world = world
        self.paths = paths

    def __getitem__(self, k):
        return self.paths[k]

    def __len__(self):
        return len(self.paths)


@pytest.fixture
def network(request, world):
    kwargs = _marker_kwargs(request, "network")
    paths = kwargs.pop("paths", 2)
    return Network(world, [world.add_switch(f"path{k}", **kwargs) for k in range(paths)])


class Shelf:
    """Targets of the shelf fixture, e1.0, e1.1, ... each with one port on every path."""

    def __init__(self, targets):
        self.targets = targets

    @property
    def addresses(self):
        return [t.address for t in self.targets]

    def __getitem__(self, k):
        return self.targets[k]

    def __len__(self):
        return len(self.targets)

    def __iter__(self):
        return iter(self.targets)


@pytest.fixture
def shelf(request, network):
    kwargs = _marker_kwargs(request, "shelf")
    count = kwargs.pop("targets", 4)
    number = kwargs.pop("shelf", 1)
    kwargs.setdefault("capacity", 1 << 21)  # 1 GiB, sparse
    targets = [network.world.add_target(f"e{number}.{k}", ports=list(network.paths), **kwargs) for k in range(count)]
    return Shelf(targets)


@pytest.fixture
def initiator(request, network, shelf):
    """An initiator with a port on every path; every shelf device is up when the test starts."""
    kwargs = _marker_kwargs(request, "initiator")
    i = network.world.add_initiator(ports=list(network.paths), **kwargs)
    i.wait_for(shelf.addresses, timeout=30)
    return i


# ---------------------------------------------------------------- failure artifacts

def _artifacts_root(config) -> pathlib.Path:
    chosen = config.getoption("aoeh_artifacts")
    if chosen:
        return pathlib.Path(chosen)
    junit = config.getoption("xmlpath", None)
    if junit:
        return pathlib.Path(junit).resolve().parent / "aoeh-artifacts"
    if os.environ.get("AOEH_ARTIFACTS"):
        return pathlib.Path(os.environ["AOEH_ARTIFACTS"])
    return pathlib.Path.cwd() / "aoeh-artifacts"


def _reproduce_command(item, seed) -> str:
    import aoeh  # noqa: PLC0415 (a world exists, so the module imports)

    env = [f"PYTHONPATH={shlex.quote(str(pathlib.Path(aoeh.__file__).parent))}"]
    if os.environ.get("AOEH_BIN"):
        env.append(f"AOEH_BIN={shlex.quote(os.environ['AOEH_BIN'])}")
    node = f"{item.path}::{item.name}"
    return (" ".join(env) + f" {sys.executable} -m pytest -p no:cacheprovider {shlex.quote(node)} "
            f"--aoeh-seed {seed}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when not in ("setup", "call") or not report.failed:
        return
    w = getattr(item, "_aoeh_world", None)
    if w is None:
        return
    folder = _artifacts_root(item.config) / re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    w.flush_capture()
    if w.capture_path:
        shutil.copyfile(w.capture_path, folder / "capture.pcap")
    w.write_event_log(str(folder / "events.log"))
    (folder / "seed").write_text(f"{w.seed}\n")
    command = _reproduce_command(item, w.seed)
    (folder / "reproduce.sh").write_text(command + "\n")
    text = (f"seed {w.seed}, world time {w.now:.6f} s, event_hash {w.event_hash:#018x}\n"
            f"artifacts: {folder}\nreproduce: {command}")
    report.sections.append(("aoeh", text))
    item.config._aoeh_failures.append((item.nodeid, folder, command))


def pytest_terminal_summary(terminalreporter, config):
    failures = getattr(config, "_aoeh_failures", [])
    if not failures:
        return
    terminalreporter.section("aoeh: reproduce failing scenarios")
    for nodeid, folder, command in failures:
        terminalreporter.write_line(f"{nodeid}: artifacts in {folder}")
        terminalreporter.write_line(f"  {command}")
