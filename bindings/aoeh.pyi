"""Type stub of the aoeh module (pybind11, bindings/). Times are seconds of world time; sizes are
512-byte sectors unless a name says bytes; MACs are 'aa:bb:cc:dd:ee:ff' strings; device addresses
are 'e1.0' strings (or (shelf, slot) tuples, Devices, Targets)."""
import builtins
import os
from typing import Any, Callable, Iterable, Literal, Optional, Sequence, Tuple, Union

__version__: str
SECTOR_SIZE: int
DEFECTS: list[str]
PLAN_BACKENDS: dict[str, str]  # backend -> "" when usable, else why not

Address = Union[str, Tuple[int, int], "Device", "Target"]
BytesLike = Union[bytes, bytearray, memoryview]
PortSpec = Union["Switch", str, Tuple[Union["Switch", str], int]]
Direction = Literal["from_host", "to_host", "both"]
DeviceState = Literal["discovered", "up", "down", "closewait", "failed"]
IoStatus = Literal["ok", "ata_error", "aoe_error", "reserved", "device_down", "cancelled"]
EventKind = Literal["device_up", "device_down", "device_failed", "device_resized", "io_completed", "path_added",
                    "path_unhealthy", "path_healthy", "payload_fallback", "shelf_unset", "config_changed"]

class Error(Exception): ...
class TimeoutError(Error, builtins.TimeoutError): ...
class SubmitError(Error):
    reason: str
class IoError(Error):
    status: IoStatus
    device: str
    kind: Literal["read", "write", "flush"]
    lba: int
    count: int
    ata_status: int
    ata_error: int
    aoe_error: int
    time: float
class DeviceDownError(IoError): ...
class ReservedError(IoError): ...
class AtaError(IoError): ...
class AoeError(IoError): ...
class CancelledError(IoError): ...
class PlanError(Error, ValueError):
    path: str  # JSON path of the offending field ("faults[2].target"; "" for the whole document)
class LiveError(Error):
    code: Literal["no-permission", "no-such-interface", "interface-down", "not-ethernet", "mtu-too-small",
                  "socket-error"]
class LivePermissionError(LiveError, builtins.PermissionError): ...
class InterfaceError(LiveError): ...

def read_pcap(path: str) -> list[Tuple[float, bytes]]: ...

FaultType = Literal["loss", "burst_loss", "delay", "duplicate", "reorder", "corrupt", "rate_limit", "queue_overflow",
                    "mtu", "down", "flap", "black_hole", "partition", "hang", "crash", "slow", "aoe_error",
                    "ata_error", "runt", "wrong_tag", "wrong_shelf", "wrong_slot", "duplicate_reply",
                    "stale_replay", "resize", "mac_change", "bufcnt", "config_string", "reserve", "mask_list",
                    "claim_address", "firmware", "port_down", "port_mtu"]

class Fault:
    type: str
    description: str
    start: float
    end: Optional[float]
    started: bool
    ended: bool
    stats: dict[str, int]

class Switch:
    def inject(self, type: FaultType, at: Optional[float] = None, duration: Optional[float] = None,
               direction: Union[Direction, Literal["egress", "ingress"]] = "both", switch_port: bool = False,
               **params: Any) -> Fault: ...
    name: str
    mtu: int
    mtu_drops: int
    port_count: int
    def set_mtu(self, mtu: int) -> None: ...

class Filter:
    seen: int
    dropped: int
    active: bool
    def remove(self) -> None: ...

class Link:
    def inject(self, type: FaultType, at: Optional[float] = None, duration: Optional[float] = None,
               direction: Union[Direction, Literal["egress", "ingress"]] = "both", switch_port: bool = False,
               **params: Any) -> Fault: ...
    name: str
    id: int
    def counters(self, direction: Literal["from_host", "to_host"] = "from_host") -> dict[str, int]: ...
    def set_up(self, up: bool) -> None: ...
    def down(self, at: Optional[float] = None, duration: Optional[float] = None) -> None: ...
    def loss(self, p: float, direction: Direction = "both", start: Optional[float] = None,
             end: Optional[float] = None) -> Filter: ...
    def drop(self, count: int = 1, direction: Direction = "from_host", command: Union[None, str, int] = None,
             response: Optional[bool] = None, broadcast: bool = False, ata_command: Optional[int] = None,
             min_length: int = 0, start: Optional[float] = None, end: Optional[float] = None,
             probability: float = 1.0) -> Filter: ...
    def add_filter(self, fn: Callable[[bytes, float], Any], direction: Direction = "both") -> Filter: ...

class Port:
    def inject(self, type: FaultType, at: Optional[float] = None, duration: Optional[float] = None,
               direction: Union[Direction, Literal["egress", "ingress"]] = "both", switch_port: bool = False,
               **params: Any) -> Fault: ...
    name: str
    owner: str
    mac: str
    up: bool
    link: Link
    switch: Switch
    mtu: int
    switch_mtu: int
    def set_up(self, up: bool) -> None: ...
    def counters(self) -> dict[str, int]: ...

class Probe:
    name: str
    mac: str
    port: Port
    def send(self, frame: BytesLike) -> None: ...
    def received(self) -> list[Tuple[float, bytes]]: ...
    def exchange(self, frame: BytesLike, timeout: float = 1.0) -> Optional[bytes]: ...

class Event:
    kind: EventKind
    time: float
    time_ns: int
    device: str
    state: DeviceState
    request: int
    status: IoStatus
    ata_status: int
    ata_error: int
    aoe_error: int
    path: str
    port: int
    old_sectors: int
    new_sectors: int

class Path:
    mac: str
    ports: list[int]
    interfaces: list[str]
    buffer_count: int
    firmware: int
    sector_count: int
    config: str
    payload_sectors: int
    srtt: float
    rttvar: float
    rto: float
    cwnd: int
    ssthresh: int
    outstanding: int
    healthy: bool
    fallback: bool

class Device:
    address: str
    shelf: int
    slot: int
    state: DeviceState
    capacity: int
    size: int
    lba48: bool
    model: str
    serial: str
    firmware: str
    open: bool
    queued: int
    in_flight: int
    payload_sectors: int
    payload: int
    paths: list[Path]
    interfaces: list[str]

class Counters:
    frames_sent: int
    frames_received: int
    retransmits: int
    late_replies: int
    duplicate_replies: int
    unknown_tags: int
    malformed: int
    ignored: int
    error_replies: list[int]
    timeouts: int
    fallbacks: int
    requests_completed: int
    requests_failed: int
    discoveries: int
    def as_dict(self) -> dict[str, Any]: ...

class Request:
    id: int
    kind: Literal["read", "write", "flush"]
    device: str
    lba: int
    count: int
    status: Optional[IoStatus]
    ok: bool
    submitted_at: float
    completed_at: Optional[float]
    latency: Optional[float]
    data: Optional[bytes]
    def done(self) -> bool: ...
    def wait(self, timeout: float = 3600.0) -> bool: ...
    def result(self, timeout: float = 3600.0) -> Optional[bytes]: ...
    def exception(self, timeout: float = 3600.0) -> Optional[IoError]: ...
    def add_done_callback(self, fn: Callable[["Request"], Any]) -> None: ...

class Initiator:
    name: str
    ports: list[Port]
    allowed: list[str]
    macs: list[str]
    events: list[Event]
    on_event: Optional[Callable[[Event], Any]]
    counters: Counters
    config: dict[str, Any]
    def port(self, name: str) -> Port: ...
    def devices(self) -> list[Device]: ...
    def device(self, address: Address) -> Optional[Device]: ...
    def stat(self) -> str: ...
    def discover(self) -> None: ...
    def revalidate(self, device: Address) -> None: ...
    def open(self, device: Address) -> None: ...
    def close(self, device: Address) -> None: ...
    def read(self, device: Address, lba: int, count: int = 1, timeout: float = 3600.0) -> bytes: ...
    def write(self, device: Address, lba: int, data: BytesLike, timeout: float = 3600.0) -> None: ...
    def flush(self, device: Address, timeout: float = 3600.0) -> None: ...
    def submit_read(self, device: Address, lba: int, count: int = 1,
                    callback: Optional[Callable[[Request], Any]] = None) -> Request: ...
    def submit_write(self, device: Address, lba: int, data: BytesLike,
                     callback: Optional[Callable[[Request], Any]] = None) -> Request: ...
    def submit_flush(self, device: Address, callback: Optional[Callable[[Request], Any]] = None) -> Request: ...
    def wait_for(self, devices: Union[None, int, Address, Iterable[Address]] = None, timeout: float = 30.0,
                 state: DeviceState = "up") -> None: ...
    def take_events(self) -> list[Event]: ...
    def events_of(self, kind: EventKind, device: Optional[Address] = None) -> list[Event]: ...
    def check_invariants(self) -> str: ...

class Target:
    def inject(self, type: FaultType, at: Optional[float] = None, duration: Optional[float] = None,
               direction: Union[Direction, Literal["egress", "ingress"]] = "both", switch_port: bool = False,
               **params: Any) -> Fault: ...
    address: str
    shelf: int
    slot: int
    name: str
    ports: list[Port]
    macs: list[str]
    capacity: int
    config_string: str
    defects: list[str]
    read_only: bool
    write_cache: bool
    bufcnt: int
    firmware: int
    sector_count: int
    service_time: Tuple[float, float]
    crashed: bool
    hung: bool
    mask_list: list[str]
    reservation: list[str]
    queued_requests: int
    dirty_sectors: int
    def set_defect(self, name: str, on: bool = True) -> None: ...
    def advertised_sector_count(self, port: int = 0) -> int: ...
    def set_address(self, address: Address) -> None: ...
    def crash(self) -> None: ...
    def restart(self) -> None: ...
    def hang(self) -> None: ...
    def resume(self) -> None: ...
    def announce(self) -> None: ...
    def clear_mask_list(self) -> None: ...
    def clear_reservation(self) -> None: ...
    def read(self, lba: int, count: int = 1) -> bytes: ...
    def write(self, lba: int, data: BytesLike) -> None: ...
    def counters(self) -> dict[str, int]: ...

class World:
    seed: int
    now: float
    now_ns: int
    event_hash: int
    log_hash: int
    events_processed: int
    last_run_released_gil: bool
    switches: list[Switch]
    initiators: list[Initiator]
    targets: list[Target]
    capture_path: Optional[str]
    frames_captured: int
    def __init__(self, seed: int = 1) -> None: ...
    def add_switch(self, name: Optional[str] = None, mtu: int = 1500, bandwidth: float = 10e9, latency: float = 1e-6,
                   queue: int = 1000, forwarding_delay: float = 0.0) -> Switch: ...
    def connect_switches(self, a: Union[Switch, str], b: Union[Switch, str], mtu: Optional[int] = None) -> Link: ...
    def add_target(self, address: Address, ports: Union[PortSpec, Sequence[PortSpec]], capacity: int = 2048,
                   mtu: Optional[int] = None, switch_mtu: Optional[int] = None, bufcnt: int = 16,
                   firmware: int = 0x0100, sector_count: int = 0, config_string: str = "",
                   service_time: float = 0.0, service_per_sector: float = 0.0, write_cache: bool = False,
                   read_only: bool = False, announce: bool = True, model: str = "aoeh reference target",
                   serial: str = "", defects: Sequence[str] = (), macs: Optional[Sequence[str]] = None,
                   image: Optional[str] = None) -> Target: ...
    def add_initiator(self, ports: Union[PortSpec, Sequence[PortSpec]], name: Optional[str] = None,
                      mtu: Optional[int] = None, switch_mtu: Optional[int] = None,
                      allowed: Optional[Sequence[Union[int, str]]] = None, dead_after: float = 180.0,
                      discover_interval: float = 60.0, rto_initial: float = 0.2, rto_min: float = 0.001,
                      rto_max: float = 5.0, path_unhealthy_after: float = 10.0, probe_interval: float = 1.0,
                      max_outstanding: int = 64, payload_fallback: bool = True, fallback_after_timeouts: int = 4,
                      device_unavailable_retries: int = 3, max_request_sectors: int = 65536,
                      macs: Optional[Sequence[str]] = None) -> Initiator: ...
    def add_probe(self, switch: Union[Switch, str], name: Optional[str] = None, mac: Optional[str] = None,
                  mtu: int = 1500) -> Probe: ...
    def target(self, address: Address) -> Target: ...
    def initiator(self, name: str) -> Initiator: ...
    def start(self) -> None: ...
    def run(self, until: Optional[float] = None, duration: Optional[float] = None) -> None: ...
    def run_until(self, predicate: Callable[[], bool], timeout: float = 60.0) -> bool: ...
    def wait(self, requests: Sequence[Request], timeout: float = 3600.0) -> None: ...
    def at(self, time: float, action: Callable[[], Any]) -> None: ...
    def after(self, delay: float, action: Callable[[], Any]) -> None: ...
    def capture(self, path: str, ports: Union[Literal["initiators", "all"], Sequence[Port]] = "initiators") -> None: ...
    def flush_capture(self) -> None: ...
    def event_log(self) -> list[str]: ...
    def write_event_log(self, path: str) -> None: ...
    def note(self, text: str) -> None: ...
    def inject(self, type: FaultType, site: Union["Target", "Link", "Port", "Switch", str],
               at: Optional[float] = None, duration: Optional[float] = None,
               direction: Union[Direction, Literal["egress", "ingress"]] = "both", switch_port: bool = False,
               **params: Any) -> Fault: ...
    @staticmethod
    def from_plan(plan: Union[str, "os.PathLike[str]", dict[str, Any]], seed: Optional[int] = None,
                  backend: Literal["sim", "ns3"] = "sim") -> "PlanWorld": ...

class PlanWorld:
    name: str
    description: str
    seed: int
    backend: str
    source: str
    targets: list[str]
    paths: list[str]
    initiator_ports: list[str]
    faults: list[str]
    def run(self, pcap: Optional[str] = None, timeline: bool = True) -> "PlanResult": ...

class PlanResult:
    passed: bool
    plan_name: str
    seed: int
    event_hash: int
    events: int
    simulated: float
    wall_seconds: float
    metrics: dict[str, float]
    expectations: list[dict[str, Any]]
    faults: list[dict[str, Any]]
    devices: list[dict[str, Any]]
    timeline: list[Tuple[float, str]]
    violations: int
    pcap_path: str
    frames_captured: int
    summary: str
    timeline_text: str
    def to_dict(self) -> dict[str, Any]: ...
    def write_json(self, path: str) -> None: ...
    def __bool__(self) -> bool: ...

Verdict = Literal["pass", "fail", "skip", "n/a", "error"]

class TestVerdict:
    name: str
    area: str
    clause: str
    level: Literal["MUST", "SHOULD", "MAY"]
    verdict: Verdict
    message: str
    description: str
    writes: bool
    needs: list[str]
    duration: float
    evidence: list[dict[str, Any]]
    passed: bool

class CertifyResults:
    tests: list[TestVerdict]
    exit_code: int
    passed: bool
    interrupted: bool
    mode: str
    failures: list[TestVerdict]
    counts: dict[str, int]
    device: dict[str, Any]
    safety: dict[str, Any]
    frames_captured: int
    def __getitem__(self, name: str) -> TestVerdict: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterable[TestVerdict]: ...
    def to_html(self) -> str: ...
    def to_junit(self) -> str: ...
    def to_json(self) -> str: ...
    def write_html(self, path: str) -> None: ...
    def write_junit(self, path: str) -> None: ...
    def write_json(self, path: str) -> None: ...
    def write_pcap(self, path: str) -> None: ...
    def write_all(self, dir: str) -> str: ...

def conformance_tests(select: Union[None, str, Sequence[str]] = None) -> list[dict[str, Any]]: ...

def certify(subject: Union[None, Literal["sim"], "Target", World, "LiveSession"] = None,
            select: Union[None, str, Sequence[str]] = None, allow_write: bool = False,
            read_only_target: bool = False, seed: int = 1, loss: float = 0.0,
            defect: Union[None, str, Sequence[str]] = None, target: Optional[Address] = None,
            baseline: Optional[str] = None) -> CertifyResults: ...

class LiveSession:
    interfaces: list[str]
    def __init__(self, ifaces: Sequence[str], dead_after: float = 30.0, rto_min: float = 0.02) -> None: ...
    def discover(self, timeout: float = 2.0) -> list[str]: ...
    def wait_for(self, device: Address, timeout: float = 10.0) -> dict[str, Any]: ...
    def devices(self) -> list[dict[str, Any]]: ...
    def read(self, device: Address, lba: int, count: int = 1, timeout: float = 10.0) -> bytes: ...
    def write(self, device: Address, lba: int, data: BytesLike, timeout: float = 10.0) -> None: ...
    def flush(self, device: Address, timeout: float = 10.0) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> "LiveSession": ...
    def __exit__(self, *args: Any) -> None: ...

class _Frames:
    """aoeh.frames: build and parse raw AoE frames."""
    def query_config(self, src: str, dst: str = "ff:ff:ff:ff:ff:ff", shelf: int = 0xFFFF, slot: int = 0xFF,
                     tag: int = 0, ccmd: int = 0, config: Optional[BytesLike] = None) -> bytes: ...
    def reserve_release(self, src: str, dst: str, shelf: int, slot: int, rcmd: int = 0, macs: Sequence[str] = (),
                        tag: int = 0) -> bytes: ...
    def mac_mask(self, src: str, dst: str, shelf: int, slot: int, mcmd: int = 0,
                 directives: Sequence[Tuple[int, str]] = (), tag: int = 0) -> bytes: ...
    def ata_read(self, src: str, dst: str, shelf: int, slot: int, lba: int, count: int = 1, lba48: bool = True,
                 tag: int = 0) -> bytes: ...
    def ata_write(self, src: str, dst: str, shelf: int, slot: int, lba: int, data: BytesLike, lba48: bool = True,
                  tag: int = 0) -> bytes: ...
    def ata_identify(self, src: str, dst: str, shelf: int, slot: int, tag: int = 0) -> bytes: ...
    def ata_flush(self, src: str, dst: str, shelf: int, slot: int, lba48: bool = True, tag: int = 0) -> bytes: ...
    def parse(self, frame: BytesLike, strict: bool = False) -> dict[str, Any]: ...

frames: _Frames
