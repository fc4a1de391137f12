"""`apptremind`: every process of the platform is a subcommand of this one CLI."""

import argparse
import asyncio
import functools
import logging
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from pydantic import ValidationError

from apptremind.logs import configure_logging
from apptremind.settings import Settings, get_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="apptremind", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("dev", help="start the whole platform on the embedded stack")
    commands.add_parser("api", help="serve the HTTP API")
    commands.add_parser("relay", help="deliver outbox events to Kafka and Temporal")
    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser(
        "local-stripe", help="serve the local Stripe stand-in at STRIPE_API_BASE (development)"
    )
    worker = commands.add_parser("worker", help="run a Temporal worker")
    worker.add_argument("queue", choices=["appointments", "notifications"])
    consume = commands.add_parser("consume", help="run a Kafka consumer (analytics, billing usage)")
    consume.add_argument("consumer", choices=["analytics", "billing"])
    consume.add_argument(
        "--rebuild",
        action="store_true",
        help="recompute the consumer's tables from offset 0 of its topics, then exit",
    )
    args = parser.parse_args(argv)

    if args.command == "dev":
        from apptremind.devstack.supervisor import run_dev

        raise SystemExit(run_dev())

    process_names = {"worker": "worker-{queue}", "consume": "consume-{consumer}"}
    configure_logging(process_names.get(args.command, args.command).format(**vars(args)))
    settings = _settings_or_exit()
    if args.command == "migrate":
        from apptremind.migrations.runner import upgrade

        upgrade(settings.database_url)
    elif args.command == "api":
        from api.server import serve

        serve(settings)
        _exit_without_interpreter_teardown()
    elif args.command == "local-stripe":
        _serve_local_stripe(settings)
    elif args.command == "relay":
        from workers import relay

        _run_until_signalled(relay.run, settings)
    elif args.command == "worker":
        from workers import appointments, notifications

        runner = appointments.run if args.queue == "appointments" else notifications.run
        _run_until_signalled(runner, settings)
    elif args.command == "consume":
        from workers import consumers

        consume_process = consumers.run_rebuild if args.rebuild else consumers.run
        _run_until_signalled(functools.partial(consume_process, args.consumer), settings)


def _settings_or_exit() -> Settings:
    """The settings, or exit 2 naming what is wrong (never the values: they may be secrets)."""
    try:
        return get_settings()
    except ValidationError as exc:
        problems = "\n".join(
            f"  {'.'.join(map(str, error['loc'])).upper() or 'settings'}: {error['msg']}"
            for error in exc.errors(include_input=False, include_url=False)
        )
        print(f"apptremind: the configuration is refused:\n{problems}", file=sys.stderr)
        raise SystemExit(2) from None


def _serve_local_stripe(settings: Settings) -> None:
    from urllib.parse import urlsplit

    import uvicorn

    from apptremind.devstack.local_stripe import create_local_stripe

    base = settings.stripe_api_base.rstrip("/")
    if not base:
        raise SystemExit("set STRIPE_API_BASE (e.g. http://127.0.0.1:12111) to serve it there")
    webhook = f"http://{settings.api_host}:{settings.api_port}/api/v1/billing/webhook"
    app = create_local_stripe(base, webhook, settings.stripe_webhook_secret.get_secret_value())
    address = urlsplit(base)
    uvicorn.run(app, host=address.hostname or "127.0.0.1", port=address.port or 80, log_config=None)


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
    _exit_without_interpreter_teardown()


def _exit_without_interpreter_teardown() -> None:
    """End a process that stopped cleanly without running the interpreter's finalization.

    The Temporal SDK's Rust runtime keeps native threads that may still call into Python
    while the interpreter finalizes, which aborts the process (SIGABRT) after a clean stop.
    Everything worth keeping is already committed, so flush the logs and leave.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
