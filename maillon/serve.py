"""Serve Maillon as N app processes behind nginx, over one folder of published database versions.

    python -m maillon.serve --replicas 2 --port 8500     (or: make serve REPLICAS=2)
    python -m maillon.serve --no-proxy --port 8501        (or: make run; one process, no nginx)
    python -m maillon.serve --warm http://127.0.0.1:8501  (a server started apart, e.g. a container)

Each replica is a `streamlit run app.py` on a loopback port; nginx listens on `--port` and keeps
each reader on one replica (Streamlit holds a session's state in the process that runs it): the
first response sets a cookie naming the replica, later requests and the websocket follow it.
Every replica reads the database path, a link to an immutable version file: an import writes a
new version and swaps the link once, and each replica's next page run reads it (docs/deploy.md).
Each process runs app.py once before it is used (`warm`): deep links work from the first reader.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from maillon.admin.uploads import MAX_FILE_MB
from maillon.data.paths import ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # root's PATH has sbin, others may not
COOKIE = "maillon_replica"
READY_SECONDS = 60

NGINX_CONF = """\
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size {upload_mb}m;
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream maillon {{
{servers}
    }}
    # One upstream per replica, the others as backups: a reader whose replica is down is served
    # by another one instead of an error.
{pinned}
    # A reader's cookie names its replica; a new reader is given one in turn.
    map $cookie_{cookie} $replica {{
{routes}
        default maillon;
    }}
    # The replica that answered last (after a retry nginx lists every address it tried).
    map $upstream_addr $answered {{
        "~(?<last>[0-9.]+:[0-9]+)$" $last;
        default "";
    }}
    map "$cookie_{cookie}|$answered" $replica_cookie {{
{known}
        "~^[^|]*\\|$" "";
        default "{cookie}=$answered; Path=/; HttpOnly; SameSite=Lax";
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://$replica;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;  # with its port: Streamlit checks Origin against it
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1d;
            proxy_buffering off;
            add_header Set-Cookie $replica_cookie always;
            add_header X-Maillon-Replica $upstream_addr always;
        }}
    }}
}}
"""


@dataclass(frozen=True)
class Replicas:
    """A running set: the URL readers use, each replica's own URL and its process id."""

    url: str
    replicas: tuple[str, ...]
    pids: tuple[int, ...]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_conf(port: int, replica_ports: list[int], run: Path, upload_mb: int) -> str:
    addresses = [f"127.0.0.1:{p}" for p in replica_ports]
    return NGINX_CONF.format(
        run=run,
        port=port,
        cookie=COOKIE,
        upload_mb=upload_mb,
        servers="\n".join(f"        server {a};" for a in addresses),
        pinned="\n".join(_pinned(i, addresses) for i in range(len(addresses))),
        routes="\n".join(f'        "{a}" replica_{i};' for i, a in enumerate(addresses)),
        known="\n".join(f'        "~^{a}\\|" "";' for a in addresses),
    )


def _pinned(index: int, addresses: list[str]) -> str:
    backups = "".join(f" server {a} backup;" for a in addresses if a != addresses[index])
    return f"    upstream replica_{index} {{ server {addresses[index]};{backups} }}"


def wait_until_healthy(url: str, seconds: float = READY_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{url} did not answer /_stcore/health in {seconds:.0f} s"
                ) from None
            time.sleep(0.2)


def run_request(query: str, page_hash: str = "", page_name: str = "") -> bytes:
    """The message a browser sends over Streamlit's websocket to run a page (by its hash, or by
    its URL name on a session's first run) with the address's query string."""
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_script_hash = page_hash
    message.rerun_script.page_name = page_name
    return message.SerializeToString()


def warm(url: str, seconds: float = READY_SECONDS) -> None:
    """Run app.py once, in a session of its own, before any reader comes. A server just started
    serves the `pages/` folder as Streamlit's legacy file list until some session's app.py has
    called `st.navigation`: a reader whose first visit was a link to a page other than the
    Overview met « Page not found » (streamlit/streamlit#9624). The run also opens the database
    and fills the caches the Overview reads.

    One session over Streamlit's websocket, as a browser opens it: a run of the default page is
    asked for, and the messages are read until it ends."""
    address = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    deadline = time.monotonic() + seconds
    with connect(address, subprotocols=["streamlit"], max_size=None, proxy=None) as socket:
        socket.send(run_request(""))
        while True:
            message = ForwardMsg()
            message.ParseFromString(socket.recv(timeout=max(0.0, deadline - time.monotonic())))
            if message.WhichOneof("type") == "script_finished":
                return


def _replica(port: int, app: Path, env: dict, log) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "maillon.streamlit_server",  # streamlit run, without Nagle's delay on its connections
        "run",
        str(app),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
    ]
    return subprocess.Popen(command, env=env, cwd=app.parent, stdout=log, stderr=log)


def stop(process: subprocess.Popen) -> None:
    """Terminate a server (killed if it has not stopped within 10 s)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running(
    replicas: int = 2,
    port: int | None = None,
    app: Path = ROOT / "app.py",
    env: dict | None = None,
    run_dir: Path | None = None,
    proxy: bool = True,
):
    """Start `replicas` app processes, each run once (`warm`), and nginx in front of them (or one
    process alone on `port`, without `proxy`); stop all on exit."""
    if proxy and not Path(NGINX).exists():
        raise FileNotFoundError("nginx is missing: `make serve` installs it with apt-get")
    env = {**os.environ, **(env or {})}
    # One secret for all replicas: the cookies Streamlit signs with it (st.login's) stay valid
    # whichever replica a reader reaches.
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    if not proxy and replicas != 1:
        raise ValueError("without the proxy, one replica only")
    port = port or free_port()
    ports = [free_port() for _ in range(replicas)] if proxy else [port]
    with ExitStack() as stack:
        if run_dir is None:
            run_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="maillon-")))
        run_dir.mkdir(parents=True, exist_ok=True)
        log = stack.enter_context(open(run_dir / "replicas.log", "ab"))
        processes = [_replica(p, app, env, log) for p in ports]
        for process in processes:
            stack.callback(stop, process)
        urls = tuple(f"http://127.0.0.1:{p}" for p in ports)
        for url in urls:
            wait_until_healthy(url)
            warm(url)
        pids = tuple(p.pid for p in processes)
        if not proxy:
            (url,) = urls
            yield Replicas(url=url, replicas=urls, pids=pids)
            return
        conf = run_dir / "nginx.conf"
        conf.write_text(nginx_conf(port, ports, run_dir, MAX_FILE_MB + 1))
        nginx = subprocess.Popen(
            [
                NGINX,
                "-p",
                str(run_dir),
                "-e",
                str(run_dir / "error.log"),
                "-c",
                str(conf),
                "-g",
                "daemon off;",
            ],
            stdout=log,
            stderr=log,
        )
        stack.callback(stop, nginx)
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url)
        yield Replicas(url=url, replicas=urls, pids=pids)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument(
        "--no-proxy", action="store_true", help="one app process on --port, without nginx"
    )
    parser.add_argument(
        "--warm", metavar="URL", help="only run app.py once on the server at URL (started apart)"
    )
    args = parser.parse_args(argv)
    if args.warm:
        try:
            wait_until_healthy(args.warm)
            warm(args.warm)
        except (OSError, TimeoutError, WebSocketException) as error:
            sys.exit(f"maillon.serve: {args.warm} could not run the app once: {error}")
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    replicas = 1 if args.no_proxy else args.replicas
    with running(replicas, args.port, proxy=not args.no_proxy) as served:
        behind = "" if args.no_proxy else f" (replicas {', '.join(served.replicas)})"
        print(f"Maillon: {served.url}{behind}; Ctrl+C stops")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
