"""A throwaway PostgreSQL server on loopback, for the store tests and benchmarks.

``TemporaryPostgres`` runs the machine's own ``initdb`` and ``pg_ctl`` (from ``PATH`` or
``/usr/lib/postgresql/<version>/bin``) on a fresh data folder under the system's temporary
folder, listening on 127.0.0.1 at a free port with trust authentication, and removes it all
on :meth:`~TemporaryPostgres.stop`. PostgreSQL refuses to run as root; when this process is
root the server runs as the unprivileged ``postgres`` user (or ``nobody`` when there is no
such user), which owns the data folder. A server that cannot start raises
:class:`PostgresUnavailable` with the server's own log: the tests never skip for it.

Run ``python -m tools.pgtemp`` to start one and print its DSN until Ctrl-C.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


class PostgresUnavailable(RuntimeError):
    """The machine's PostgreSQL could not be found or started; the message says why."""


def _binaries() -> Path:
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent

    def version(path: str) -> int:
        name = Path(path).parent.parent.name
        return int(name) if name.isdigit() else 0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if not found:
        raise PostgresUnavailable(
            "no initdb on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL "
            "(apt-get install postgresql), as .ci/run does"
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _server_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PostgresUnavailable("running as root, and neither a postgres nor a nobody user exists")


class TemporaryPostgres:
    """A PostgreSQL server of its own, on 127.0.0.1, until :meth:`stop`."""

    def __init__(self) -> None:
        self.bin = _binaries()
        self.user = _server_user()
        self.root = Path(tempfile.mkdtemp(prefix="tuangou-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self.started = False

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        extra: dict[str, Any] = {}
        if self.user is not None:
            extra = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C"}
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.root,
            env=env,
            check=False,
            **extra,
        )

    def start(self) -> str:
        """Lay out a cluster and start the server; return the DSN of its ``postgres`` database.

        Raises:
            PostgresUnavailable: with initdb's or the server's own words.
        """
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        made = self._run(
            "initdb", "-D", str(self.data), "-U", "tuangou", "--auth=trust", "-E", "UTF8",
            "--no-locale", "--no-sync",
        )  # fmt: skip
        if made.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {made.stderr or made.stdout}")
        for _ in range(5):  # a port taken between the probe and the start: try another
            self.port = _free_port()
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
                "-c max_connections=60 -c shared_buffers=64MB"
            )
            started = self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                "-t", "60", "start",
            )  # fmt: skip
            if started.returncode == 0:
                self.started = True
                return self.dsn()
            time.sleep(0.2)
        log = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        raise PostgresUnavailable(f"the server did not start: {started.stderr}\n{log[-2000:]}")

    def dsn(self, database: str = "postgres") -> str:
        """The DSN of *database* on this server."""
        return f"postgresql://tuangou@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if self.started:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", timeout=60)
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TemporaryPostgres:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    with TemporaryPostgres() as server:
        sys.stdout.write(f"{server.dsn()}\n")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
