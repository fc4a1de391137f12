"""Serving the API: one uvicorn process, or API_WORKERS processes on one port."""

import ipaddress
import multiprocessing
import os
import shutil
import signal
import socket
import tempfile
from multiprocessing.connection import wait
from types import FrameType

import uvicorn

from apptremind.logs import configure_logging
from apptremind.settings import Settings, get_settings


def serve(settings: Settings) -> None:
    trusted_proxies(settings)  # a wrong entry stops the start, not every worker
    if settings.api_workers == 1:
        uvicorn.Server(_config(settings)).run()
        return
    metrics_dir = None
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each process writes its metrics into files here, so a scrape, whichever process
        # answers it, adds up all of them (the processes inherit the setting).
        metrics_dir = tempfile.mkdtemp(prefix="apptremind-api-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    # Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new
    # connections over them. With one shared socket (uvicorn's --workers) the process that
    # happened to be waiting took them: 28 of 32 keep-alive clients, or all of them.
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_worker, name=f"api-{n}") for n in range(settings.api_workers)]
    for worker in workers:
        worker.start()

    asked_to_stop = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal asked_to_stop
        asked_to_stop = True
        terminate_all()

    def terminate_all() -> None:
        # SIGTERM, also for Ctrl+C: uvicorn takes a second SIGINT as "exit now, undrained".
        for worker in workers:
            if worker.is_alive():
                worker.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    wait([worker.sentinel for worker in workers])
    crashed = not asked_to_stop  # a worker ended on its own: stop the rest, report failure
    terminate_all()
    for worker in workers:
        worker.join()
    if metrics_dir is not None:
        shutil.rmtree(metrics_dir, ignore_errors=True)
    raise SystemExit(1 if crashed else 0)


def _worker() -> None:
    configure_logging("api")
    settings = get_settings()
    family = socket.AF_INET6 if ":" in settings.api_host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind((settings.api_host, settings.api_port))
    uvicorn.Server(_config(settings)).run(sockets=[listener])


def _config(settings: Settings) -> uvicorn.Config:
    # uvloop also sets TCP_NODELAY on every connection, which asyncio's loop skips on a
    # socket created with proto 0: Nagle's algorithm then holds each response body for the
    # client's delayed ACK (~40 ms).
    return uvicorn.Config(
        "api.app:create_app",
        factory=True,
        host=settings.api_host,
        port=settings.api_port,
        loop="uvloop",
        http="httptools",
        # The client address (what rate limits count) is taken from X-Forwarded-For only
        # when the peer is one of these proxies; from anyone else the header is ignored.
        proxy_headers=True,
        forwarded_allow_ips=trusted_proxies(settings),
        log_config=None,
    )


def trusted_proxies(settings: Settings) -> list[str]:
    """FORWARDED_ALLOW_IPS as a list of addresses and networks, or ["*"]."""
    entries = [entry.strip() for entry in settings.forwarded_allow_ips.split(",") if entry.strip()]
    for entry in entries:
        if entry == "*":
            continue
        try:
            ipaddress.ip_network(entry)
        except ValueError:
            raise SystemExit(
                f"FORWARDED_ALLOW_IPS: {entry!r} is neither an IP address, a network nor '*'"
            ) from None
    return entries
