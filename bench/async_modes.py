"""Choose the Socket.IO async mode by measurement: bare room broadcast per mode.

    .venv/bin/python bench/async_modes.py --clients 300 --messages 50

For each mode, starts bench/bare_server.py, connects N websocket clients (one
asyncio process, 127.0.0.1 only), fires M broadcasts at a steady rate, and
prints fan-out latency percentiles, messages lost and the server's CPU share.
Bounded in count and time; stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import socketio

HERE = Path(__file__).resolve().parent


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    import socket as s

    with s.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def run_mode(mode: str, clients: int, messages: int, rate: float) -> dict:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "bare_server.py"), "--mode", mode, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    latencies: list[float] = []
    received = 0
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.post(url + "/fire?n=0"):
                        break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
            socks = []
            t0 = time.monotonic()

            def on_tick(data):
                nonlocal received
                received += 1
                latencies.append(time.time() - data["t"])

            async def connect_one():
                c = socketio.AsyncClient(reconnection=False)
                c.on("tick", on_tick)
                await c.connect(url, transports=["websocket"], wait_timeout=20)
                socks.append(c)

            for start in range(0, clients, 50):
                await asyncio.gather(*(connect_one() for _ in range(start, min(start + 50, clients))))
            connect_time = time.monotonic() - t0
            await asyncio.sleep(1)
            cpu0, w0 = cpu_seconds(proc.pid), time.monotonic()
            for _ in range(messages):
                async with http.post(url + "/fire?n=1"):
                    pass
                await asyncio.sleep(1 / rate)
            deadline = time.monotonic() + 10
            while received < clients * messages and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            cpu = (cpu_seconds(proc.pid) - cpu0) / (time.monotonic() - w0)
            await asyncio.gather(*(c.disconnect() for c in socks), return_exceptions=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {
        "mode": mode,
        "clients": clients,
        "connect_s": connect_time,
        "p50_ms": pct(0.5),
        "p99_ms": pct(0.99),
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "lost": clients * messages - received,
        "cpu_pct": cpu * 100,
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--rate", type=float, default=10.0, help="broadcasts per second")
    parser.add_argument("--modes", default="gevent,threading")
    args = parser.parse_args()
    print(f"bare room broadcast, {args.clients} websocket clients, {args.messages} messages at {args.rate}/s")
    print(f"{'mode':<10} {'connect s':>9} {'p50 ms':>8} {'p99 ms':>8} {'lost':>6} {'server CPU %':>12}")
    for mode in args.modes.split(","):
        r = await run_mode(mode, min(args.clients, 1000), min(args.messages, 500), args.rate)
        print(
            f"{r['mode']:<10} {r['connect_s']:>9.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['lost']:>6} "
            f"{r['cpu_pct']:>12.0f}"
        )


if __name__ == "__main__":
    asyncio.run(main())
