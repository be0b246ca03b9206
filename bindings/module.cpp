// The `aoeh` Python module: the whole harness (simulated worlds, the initiator engine, the reference
// target, faults, raw frames) for scenario scripts and pytest.
#include <pybind11/pybind11.h>

#include "bindings/errors.hpp"
#include "bindings/handles.hpp"
#include "bindings/live_session.hpp"

PYBIND11_MODULE(aoeh, m) {
  m.doc() = R"(aoeh: an ATA over Ethernet (AoE) simulation and conformance harness.

Build a deterministic simulated network, run the aoeh initiator engine against reference
targets, inject faults, and assert on what happens, all in simulated (world) time:

    import aoeh
    w = aoeh.World(seed=1)
    sw = w.add_switch("path0")
    t = w.add_target("e1.0", ports=[sw], capacity=2048)
    i = w.add_initiator(ports=[sw])
    i.wait_for(["e1.0"])                      # runs the world until the device is up
    i.write("e1.0", 0, b"\xab" * 1024)        # blocking helpers run the world too
    assert i.read("e1.0", 0, 2) == b"\xab" * 1024
    t.hang()                                  # the target falls silent
    r = i.submit_read("e1.0", 0)              # asynchronous: a future-like aoeh.Request
    assert not r.wait(timeout=200)            # 180 s without an answer: the request fails
    assert r.status == "device_down" and i.device("e1.0").state == "down"

Scenario plans: aoeh.World.from_plan("plan.json", seed=N).run() runs a faults/ JSON plan exactly
as `aoeh sim plan.json --seed N` does and returns a PlanResult (verdict, metrics, event hash).
Faults: World.inject(type, site, at=, duration=, **params) (or Target/Link/Port/Switch.inject)
injects any faults/ fault type (loss ... partition, hang, crash, ata_error, runt, wrong_tag,
stale_replay, resize, mac_change, reserve, ..., port_down, port_mtu) and returns an aoeh.Fault.
Certification: aoeh.certify(subject, select="AOE.*") runs the conformance suite and returns
CertifyResults (TestVerdict objects; write_html/junit/json/pcap). Real wire: aoeh.LiveSession.

Classes: World, PlanWorld, PlanResult, Switch, Port, Link, Probe, Initiator, Device, Path, Event,
Counters, Request, Target, Filter, Fault, CertifyResults, TestVerdict, LiveSession. Submodule
aoeh.frames builds and parses raw AoE frames. Errors: aoeh.Error and its subclasses (TimeoutError,
SubmitError, IoError -> DeviceDownError, ReservedError, AtaError, AoeError, CancelledError;
PlanError; LiveError -> LivePermissionError, InterfaceError); bad arguments raise ValueError. Times are seconds of world
time; sizes are 512-byte sectors unless a name says bytes. Runs release the GIL unless a Python
callback, filter or scheduled action is installed.)";
  m.attr("__version__") = "0.1.0";
  m.attr("SECTOR_SIZE") = 512;
  aoeh::bindings::register_errors(m);
  aoeh::bindings::bind_world(m);
  aoeh::bindings::bind_initiator(m);
  aoeh::bindings::bind_target(m);
  aoeh::bindings::bind_faults(m);
  aoeh::bindings::bind_frames(m);
  aoeh::bindings::bind_plans(m);
  aoeh::bindings::bind_fault_injection(m);
  aoeh::bindings::bind_certify(m);
  aoeh::bindings::bind_live(m);
}
