"""The API's /metrics for Prometheus, answered only to the networks it scrapes from."""

import ipaddress
from collections.abc import Sequence

from fastapi import APIRouter, Request, Response

from apptremind.errors import NotFound
from apptremind.metrics import CONTENT_TYPE, exposition, process_registry

router = APIRouter(include_in_schema=False)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Requests, latency and in-flight, and the process's own figures, for METRICS_ALLOW_IPS
    only (404 to anyone else, as if there were no such page). Outside /api/v1, so no rate
    limit counts the scrapes."""
    if not client_in(request, request.app.state.settings.metrics_allow_ips):
        raise NotFound("Not Found")
    return Response(exposition(process_registry()), media_type=CONTENT_TYPE)


def client_in(request: Request, networks: Sequence[Network]) -> bool:
    """Whether the client (the real one, behind a trusted proxy) is in one of the networks."""
    if request.client is None:
        return False
    try:
        address = ipaddress.ip_address(request.client.host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)
