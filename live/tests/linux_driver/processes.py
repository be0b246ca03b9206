"""Child processes of the test: they die with it (PR_SET_PDEATHSIG), their output is read line by
line against a deadline, and they are stopped by pid (SIGTERM, then SIGKILL)."""
import ctypes
import os
import select
import signal
import subprocess
import time

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent():
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def spawn(argv, log_path):
    """Starts argv with stdout+stderr piped (read them with LineReader); stdin is /dev/null."""
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=_die_with_parent)
    return proc, LineReader(proc, log_path)


def stop(proc, grace=5.0):
    """SIGTERM, up to `grace` seconds, then SIGKILL. Returns the exit status."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


class LineReader:
    """Lines of a child's output, each also appended to a log file."""

    def __init__(self, proc, log_path):
        self._fd = proc.stdout.fileno()
        self._buf = b""
        self._eof = False
        self._log = open(log_path, "ab", buffering=0)

    def next_line(self, deadline):
        """The next line (without newline), None at end of output; raises TimeoutError at `deadline`
        (a time.monotonic() value)."""
        while b"\n" not in self._buf:
            if self._eof:
                if self._buf:
                    line, self._buf = self._buf, b""
                    return line.decode(errors="replace").rstrip("\r")
                return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._fd, 65536)
            if not chunk:
                self._eof = True
            self._log.write(chunk)
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return line.decode(errors="replace").rstrip("\r")

    def drain(self, deadline):
        """Reads (and logs) the rest of the output until EOF or the deadline."""
        try:
            while self.next_line(deadline) is not None:
                pass
        except TimeoutError:
            pass
