"""docs/deploy.md's nginx config, run: a real nginx in front of two server processes.

The site file `deploy/nginx.conf.template` is rendered with the two test
processes' ports and a free port, wrapped in a minimal main config with its
own prefix, pid, temp and log paths, and run in the foreground as the test
user (one process, no master: nothing switches users). Through it: pages and
static files load, a Socket.IO client connects over long-polling (which needs
sticky sessions) and over websocket, and live events published on either
process (so certainly on the one nginx did not pick) reach both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import skip_or_fail
from tests.integration import cluster
from tests.realtime._support import HTTP_TIMEOUT, wait_for
from tests.support import live_server
from tests.support.live_clients import Room
from tests.support.live_clients import sign_in as sign_in_as

pytestmark = pytest.mark.server

TEMPLATE = live_server.ROOT / "deploy" / "nginx.conf.template"
MAIN = """
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 256; }}
http {{
    include {mime};
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {site};
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def render(servers: list[int], listen: int, log_dir: Path) -> str:
    """The template with its placeholders filled, exactly as docs/deploy.md tells a deployer to."""
    site = TEMPLATE.read_text()
    upstream = "\n".join(f"    server 127.0.0.1:{port};" for port in servers)
    for name, value in {
        "@@SERVERS@@": upstream,
        "@@LISTEN@@": f"127.0.0.1:{listen}",
        "@@SERVER_NAME@@": "localhost",
        "@@STATIC_ROOT@@": str(live_server.ROOT / "static"),
        "@@LOG_DIR@@": str(log_dir),
    }.items():
        site = site.replace(name, value)
    assert "@@" not in site, "a placeholder the test does not know"
    return site


def start_nginx(binary: str, prefix: Path, site: str, port: int) -> subprocess.Popen:
    (prefix / "site.conf").write_text(site)
    main = MAIN.format(
        prefix=prefix,
        mime="/etc/nginx/mime.types",
        site=prefix / "site.conf",
    )
    (prefix / "nginx.conf").write_text(main)
    check = subprocess.run([binary, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], capture_output=True)
    assert check.returncode == 0, check.stderr.decode()
    process = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=(prefix / "stderr.log").open("w"),
    )

    def answers() -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200
        except requests.ConnectionError:
            return False

    if not wait_for(answers, timeout=15):
        process.kill()
        raise AssertionError((prefix / "error.log").read_text()[-2000:])
    return process


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    binary = nginx_binary()
    skip_or_fail(None if binary else "nginx is not installed (scripts/ensure-nginx installs it)")
    tmp = tmp_path_factory.mktemp("nginx")
    port, ports = live_server.free_port(), [live_server.free_port(), live_server.free_port()]
    site = f"http://127.0.0.1:{port}"
    env = {"ALLOWED_ORIGINS": site, "PROXY_COUNT": "1"}  # the browser's origin is nginx's address
    with cluster.cluster(tmp, "nginx", envs=[env, env], ports=ports) as (servers, seed):
        process = start_nginx(binary, tmp, render(ports, port, tmp), port)
        try:
            yield site, servers, seed, tmp
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_pages_and_static_files_load_through_nginx(proxied):
    site, servers, seed, _ = proxied
    page = requests.get(site + "/", timeout=HTTP_TIMEOUT)
    assert page.status_code == 200 and "Common Ground" in page.text
    room = requests.get(f"{site}/sessions/{seed['sessions']['nginx']}", timeout=HTTP_TIMEOUT)
    assert room.status_code == 200 and "Several processes: nginx" in room.text
    static = requests.get(site + "/static/favicon.svg", timeout=HTTP_TIMEOUT)
    assert static.status_code == 200
    assert static.content == (live_server.ROOT / "static" / "favicon.svg").read_bytes()
    assert static.headers["Server"].startswith("nginx") and "Content-Security-Policy" not in static.headers


def test_socket_io_bodies_over_64_kib_are_refused_by_nginx(proxied):
    """The app's limit for one message (debate/realtime/transport.py), applied by nginx before a process sees it."""
    site, servers, seed, _ = proxied
    handshake = requests.get(site + "/socket.io/?EIO=4&transport=polling", timeout=HTTP_TIMEOUT)
    sid = json.loads(handshake.text[1:])["sid"]
    url = f"{site}/socket.io/?EIO=4&transport=polling&sid={sid}"
    refused = requests.post(url, data=b"4" + b"x" * 65_536, timeout=HTTP_TIMEOUT)
    assert refused.status_code == 413
    assert "<title>413 Request Entity Too Large</title>" in refused.text  # nginx's page: the app never saw it
    # One byte less is the app's to read: it answers (here 200 "OK": the packet is a message to no one).
    assert requests.post(url, data=b"4" + b"x" * 65_535, timeout=HTTP_TIMEOUT).status_code == 200


def _reader(site: str, transport: str, session_id: int) -> tuple[socketio.Client, list[dict]]:
    """An anonymous reader through nginx on one transport only; returns it and the events it gets."""
    got: list[dict] = []
    client = socketio.Client(reconnection=False, request_timeout=HTTP_TIMEOUT)
    client.on("live:event", got.append)
    client.connect(site, transports=[transport], wait_timeout=HTTP_TIMEOUT)
    assert client.transport() == transport
    ack = client.call("live:join", {"session_id": session_id}, timeout=HTTP_TIMEOUT)
    assert ack["ok"], ack
    return client, got


def test_sockets_over_polling_and_websocket_get_live_events_from_both_processes(proxied):
    site, servers, seed, _ = proxied
    sid = seed["sessions"]["nginx"]
    readers = [_reader(site, transport, sid) for transport in ("polling", "websocket")]
    askers = [
        Room(server, sid, sign_in_as(server, who)).connect() for server, who in zip(servers, ("r9", "r10"), strict=True)
    ]
    try:
        asked = set()
        for asker in askers:  # straight to each process: one of them is not the one nginx chose
            asker.join()
            body = f"Asked on the process at {asker.server.url}: the tram?"
            asked.add(asker.ok("live:ask", {"session_id": sid, "body": body})["question"]["id"])
        for client, got in readers:

            def seen(got=got) -> set:
                return {q["id"] for e in list(got) if e["kind"] == "questions" for q in e["data"]["questions"]}

            assert wait_for(lambda seen=seen: seen() >= asked, timeout=10), (client.transport(), got)
        # The polling reader's requests all went to one process (or its session id would be unknown).
        assert readers[0][0].connected
        reply = threading.Event()
        readers[0][0].emit("live:join", {"session_id": sid}, callback=lambda ack: reply.set())
        assert reply.wait(HTTP_TIMEOUT)
    finally:
        for client, _ in readers:
            client.disconnect()
        for asker in askers:
            asker.close()


def test_the_site_logs_keep_no_client_address(proxied):
    """The site's access log format has no $remote_addr (nginx's default does): requests, not who made them."""
    site, servers, seed, logs = proxied
    assert requests.get(site + "/privacy", timeout=HTTP_TIMEOUT).status_code == 200
    assert requests.post(site + "/login", data={}, timeout=HTTP_TIMEOUT).status_code == 400
    access = logs / "commonground.access.log"
    assert wait_for(lambda: '"POST /login HTTP/1.1" 400' in access.read_text())
    assert '"GET /privacy HTTP/1.1" 200' in access.read_text()
    assert "127.0.0.1" not in access.read_text()
    formats = [line for line in TEMPLATE.read_text().splitlines() if line.startswith("log_format")]
    assert formats and not any("remote_addr" in line or "forwarded_for" in line for line in formats)
