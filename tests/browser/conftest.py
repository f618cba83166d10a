"""Browser-test fixtures: the system Chromium, a Streamlit server on a free port, screenshots.

Pattern borrowed from streamlit's e2e_playwright/conftest.py: the server fixture waits on the
health endpoint, and helpers wait on the app's run state instead of sleeping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.pg import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@dataclass
class AppServer:
    """A `python -m stakemap serve` process (the app behind its gate) with its own database;
    restartable."""

    database_url: str
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = self.launch()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode(errors="replace"))
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError("streamlit did not become healthy in 60 s")

    def launch(self) -> subprocess.Popen:
        """The server process, started; :meth:`start` waits until it answers."""
        env = {**os.environ, "STAKEMAP_DATABASE_URL": self.database_url, **self.env}
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "stakemap",
                "serve",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def kill(self) -> None:
        """SIGKILL, as a crash or an out-of-memory kill would: no shutdown code runs."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def app_server(tmp_path: Path, browser_type_launch_args: dict) -> Iterator[AppServer]:
    """A fresh app (sample maps loaded on first start) on a database of its own."""
    server = AppServer(f"sqlite:///{tmp_path / 'stakemap.sqlite'}")
    server.start()
    yield server
    server.stop()
