"""`apptremind`: every process of the platform is a subcommand of this one CLI."""

import argparse
import asyncio
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from apptremind.logs import configure_logging
from apptremind.settings import Settings, get_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="apptremind", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("dev", help="start the whole platform on the embedded stack")
    commands.add_parser("api", help="serve the HTTP API")
    commands.add_parser("relay", help="deliver outbox events to Kafka and Temporal")
    commands.add_parser("migrate", help="apply database migrations")
    worker = commands.add_parser("worker", help="run a Temporal worker")
    worker.add_argument("queue", choices=["appointments", "notifications"])
    args = parser.parse_args(argv)

    if args.command == "dev":
        from apptremind.devstack.supervisor import run_dev

        raise SystemExit(run_dev())

    configure_logging(args.command if args.command != "worker" else f"worker-{args.queue}")
    settings = get_settings()
    if args.command == "migrate":
        from apptremind.migrations.runner import upgrade

        upgrade(settings.database_url)
    elif args.command == "api":
        from api.server import serve

        serve(settings)
    elif args.command == "relay":
        from workers import relay

        _run_until_signalled(relay.run, settings)
    elif args.command == "worker":
        from workers import appointments, notifications

        runner = appointments.run if args.queue == "appointments" else notifications.run
        _run_until_signalled(runner, settings)


def _run_until_signalled(
    process: Callable[[Settings, asyncio.Event], Coroutine[Any, Any, None]], settings: Settings
) -> None:
    async def supervise() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await process(settings, stop)

    asyncio.run(supervise())


if __name__ == "__main__":
    main()
