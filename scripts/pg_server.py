#!/usr/bin/env python3
"""A throwaway PostgreSQL server for the tests: its own cluster in a temporary folder.

    python3 scripts/pg_server.py start [--dir DIR]   prints the database URL on stdout
    python3 scripts/pg_server.py url   [--dir DIR]   prints it again
    python3 scripts/pg_server.py stop  [--dir DIR]   stops the server and deletes the cluster

The server listens on 127.0.0.1 only, on a free port, trusts loopback connections, and has
one empty database, ``bwvreview_test``. Durability is switched off (fsync, full page writes):
the data is thrown away anyway and tests run faster. Run as root (CI), the server runs as the
``postgres`` user, as PostgreSQL refuses to run as root.

Only the standard library is used; PostgreSQL itself comes from the system
(``apt-get install postgresql`` on Debian/Ubuntu: initdb and pg_ctl in /usr/lib/postgresql/*/bin).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

DATABASE = "bwvreview_test"
STATE = "state.json"
POINTER = (
    Path(tempfile.gettempdir()) / f"bwvreview-pg-{os.getuid() if hasattr(os, 'getuid') else 0}.dir"
)
SERVER_USER = "postgres"


def find_bindir() -> Path:
    """Where initdb and pg_ctl are: PG_BINDIR, the newest /usr/lib/postgresql/*/bin, or PATH."""
    env = os.environ.get("PG_BINDIR")
    if env:
        return Path(env)
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if candidates:
        newest = max(candidates, key=lambda p: int(Path(p).parent.parent.name.split(".")[0]))
        return Path(newest).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    sys.exit("pg_server: PostgreSQL not found (install it: apt-get install postgresql)")


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def as_server_user(cmd: list[str]) -> list[str]:
    """Prefix a command so it runs as the postgres user when we are root."""
    if not is_root():
        return cmd
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", SERVER_USER, "--", *cmd]
    return ["su", SERVER_USER, "-s", "/bin/sh", "-c", " ".join(_quote(c) for c in cmd)]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def run(cmd: list[str], **kwargs: object) -> None:
    result = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"pg_server: failed: {' '.join(cmd)}")


def url_for(port: int) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DATABASE}"


def start(folder: Path | None) -> None:
    bindir = find_bindir()
    created = folder is None
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="bwvreview-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    folder = folder.resolve()
    if (folder / STATE).exists():
        sys.exit(f"pg_server: a server is already recorded in {folder} (stop it first)")
    if is_root():
        import pwd

        try:
            user = pwd.getpwnam(SERVER_USER)
        except KeyError:
            sys.exit(f"pg_server: running as root needs the '{SERVER_USER}' user")
        os.chown(folder, user.pw_uid, user.pw_gid)
        os.chmod(folder, 0o700)
        reachable = subprocess.run(
            as_server_user(["test", "-w", str(folder)]),
            stdin=subprocess.DEVNULL,
            capture_output=True,
        )
        if reachable.returncode != 0:
            sys.exit(
                f"pg_server: the '{SERVER_USER}' user cannot reach {folder}: "
                "choose a folder under a world-searchable one such as /tmp"
            )
    data = folder / "data"
    log = folder / "server.log"
    port = free_port()
    run(
        as_server_user(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
    )
    options = " ".join(
        [
            "-c listen_addresses=127.0.0.1",
            f"-p {port}",
            f"-k {folder}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=200",
        ]
    )
    run(
        as_server_user(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ]
        )
    )
    state = {"port": port, "bindir": str(bindir), "created": created, "url": url_for(port)}
    (folder / STATE).write_text(json.dumps(state))
    run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", DATABASE])
    if created:
        POINTER.write_text(str(folder))
    print(url_for(port))


def _resolve(folder: Path | None) -> Path:
    if folder is not None:
        return folder.resolve()
    if POINTER.exists():
        return Path(POINTER.read_text().strip())
    sys.exit("pg_server: no server recorded (give --dir)")


def _state(folder: Path) -> dict[str, object]:
    path = folder / STATE
    if not path.exists():
        sys.exit(f"pg_server: no server recorded in {folder}")
    return json.loads(path.read_text())


def stop(folder: Path | None) -> None:
    folder = _resolve(folder)
    state = _state(folder)
    bindir = Path(str(state["bindir"]))
    data = folder / "data"
    result = subprocess.run(
        as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
    if state.get("created"):
        shutil.rmtree(folder, ignore_errors=True)
        if POINTER.exists() and POINTER.read_text().strip() == str(folder):
            POINTER.unlink()
    else:
        shutil.rmtree(data, ignore_errors=True)
        (folder / STATE).unlink(missing_ok=True)
        (folder / "server.log").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "url"])
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="folder for the cluster and its state (default: a new temp folder)",
    )
    args = parser.parse_args(argv)
    if args.action == "start":
        start(args.dir)
    elif args.action == "stop":
        stop(args.dir)
    else:
        print(_state(_resolve(args.dir))["url"])


if __name__ == "__main__":
    main()
