"""Child processes die with the process that started them, even when it is killed with SIGKILL.

A run's children (the temporary Prefect API that Prefect starts, the extraction workers, a local
Dask cluster, the flow-run subprocesses of `timeline serve`) are stopped when the run ends
normally. When the run is killed with SIGKILL (the OOM killer does that) nothing runs in it any
more, and they would go on for ever, holding a port and half a gigabyte each.

So a small guard process watches the run through a pipe: the kernel closes the run's end when
the run dies, however it dies, and the guard then stops the descendants it last saw (read from
/proc every half second), SIGTERM first, SIGKILL for those still there a moment later.

Why not PR_SET_PDEATHSIG: it has to be set in each child between fork and exec, which Prefect's
and multiprocessing's ways of starting processes do not let us do, and it fires when the
*thread* that started the child ends, which for the extraction workers is a task thread.
Linux only (it reads /proc); elsewhere `ensure_guard` does nothing.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable

# How often the guard records the run's descendants; a child younger than this when the run is
# killed is missed (its own parent, if it is a recorded descendant, is still stopped).
SNAPSHOT_SECONDS = 0.5
# Between SIGTERM (a server closes its database) and SIGKILL.
GRACE_SECONDS = 2.0

_guarded_pid: int | None = None
# The run's end of the pipe: open for the life of the process, never inherited by children.
_pipe_end: int | None = None
_guard: subprocess.Popen[bytes] | None = None


def _process_table() -> dict[int, tuple[int, int]]:
    """{pid: (parent pid, start time in clock ticks)} of every process, from /proc."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # ended while we looked
        # The command name (field 2) may hold spaces and parentheses: fields follow the last ')'.
        fields = stat[stat.rindex(b")") + 2:].split()
        table[int(entry.name)] = (int(fields[1]), int(fields[19]))
    return table


def descendants(root: int, table: dict[int, tuple[int, int]] | None = None) -> dict[int, int]:
    """{pid: start time} of every process below `root` (children, their children, ...)."""
    table = _process_table() if table is None else table
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (parent, _) in table.items():
        children[parent].append(pid)
    found: dict[int, int] = {}
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found[child] = table[child][1]
                stack.append(child)
    return found


def _still_running(processes: dict[int, int], table: dict[int, tuple[int, int]]) -> dict[int, int]:
    # Same pid *and* start time: a recycled pid belongs to somebody else.
    return {pid: start for pid, start in processes.items() if table.get(pid, (0, -1))[1] == start}


def _signal_all(pids: Iterable[int], signum: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, signum)
        except (ProcessLookupError, PermissionError):
            pass


def stop_processes(processes: dict[int, int], grace: float = GRACE_SECONDS) -> None:
    """SIGTERM `processes` ({pid: start time}) and what they started, then SIGKILL what remains."""
    table = _process_table()
    targets = _still_running(processes, table)
    for pid in list(targets):
        targets.update(descendants(pid, table))
    targets.pop(os.getpid(), None)
    _signal_all(targets, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while targets and time.monotonic() < deadline:
        time.sleep(0.05)
        targets = _still_running(targets, _process_table())
    _signal_all(targets, signal.SIGKILL)


def stop_descendants(grace: float = GRACE_SECONDS) -> None:
    """Stop every process this one started (and theirs), except the guard, which ends by itself."""
    processes = descendants(os.getpid())
    if _guard is not None:
        processes.pop(_guard.pid, None)
    stop_processes(processes, grace)


def ensure_guard() -> None:
    """Start the guard of this process, once per process (a forked child needs its own)."""
    global _guarded_pid, _pipe_end, _guard
    if not sys.platform.startswith("linux") or _guarded_pid == os.getpid():
        return
    read_end, write_end = os.pipe()  # both non-inheritable: only the guard gets read_end, as stdin
    try:
        _guard = subprocess.Popen([sys.executable, "-m", "flows.orphan_guard", str(os.getpid())],
                                  stdin=read_end, stdout=subprocess.DEVNULL, close_fds=True)
    except OSError:
        os.close(write_end)
        return  # no guard costs nothing until the run is killed
    finally:
        os.close(read_end)
    _guarded_pid, _pipe_end = os.getpid(), write_end


def watch(parent: int) -> None:
    """The guard: record `parent`'s descendants until it dies, then stop them."""
    # A terminal's Ctrl-C and a SIGTERM to the process group reach the guard too: it outlives them
    # so as to clean up after the run, and ends when the run has ended.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    me = os.getpid()
    seen: dict[int, int] = {}
    while True:
        ready, _, _ = select.select([0], [], [], SNAPSHOT_SECONDS)
        # EOF on the pipe, or adopted by another process: the run is gone.
        if (ready and not os.read(0, 4096)) or os.getppid() != parent:
            break
        table = _process_table()
        seen = {**_still_running(seen, table), **descendants(parent, table)}
        seen.pop(me, None)
    stop_processes(seen)


if __name__ == "__main__":  # pragma: no cover (runs as the guard process)
    watch(int(sys.argv[1]))
