"""Starting and stopping real processes in tests: a Prefect server, the `timeline` command.

Every wait is bounded and every process is started in its own session, so that a test can kill
it, and whatever it started, by process group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

BIN = Path(sys.executable).parent

T = TypeVar("T")


@dataclass(frozen=True)
class Server:
    api_url: str
    env: dict[str, str]
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def offline_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({
        "PREFECT_HOME": str(home),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        **extra,
    })
    return env


def stop_process_group(process: subprocess.Popen[bytes], grace: float = 10) -> None:
    """SIGTERM the process group of `process` (started with start_new_session), then SIGKILL."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    # Children (uvicorn, flow-run subprocesses) may outlive the leader; the group id is its PID.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)


def wait_for(condition: Callable[[], T | None], timeout: float, what: str, interval: float = 0.5,
             alive: subprocess.Popen[bytes] | None = None, log: Path | None = None) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if alive is not None and alive.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            pytest.fail(f"process exited with {alive.returncode} while waiting for {what}:\n{tail}")
        time.sleep(interval)
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{tail}")


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


