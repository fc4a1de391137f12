"""The operators' Grafana dashboard reads metrics the platform really exposes."""

import json
import re
from pathlib import Path

from aiokafka.structs import TopicPartition

from apptremind.consumers.metrics import ConsumerMetrics
from apptremind.metrics import HTTP_REQUESTS, exposition, process_registry
from apptremind.outbox.metrics import RelayMetrics

DASHBOARD = Path(__file__).parents[1] / "deploy" / "grafana" / "dashboards" / "apptremind.json"


def exposed_names() -> set[str]:
    HTTP_REQUESTS.labels("GET", "/healthz", "200")  # a labelled family shows once it has a child
    consumer = ConsumerMetrics("analytics", lag_source=lambda: {TopicPartition("t", 0): 1})
    relay = RelayMetrics()
    relay.published_by_type["appointment.booked"] += 1
    relay.workflow_starts["AppointmentWorkflow", "started"] += 1
    pages = [exposition(process_registry()), consumer.render(), relay.render()]
    return {
        line.split("{")[0].split(" ")[0]
        for page in pages
        for line in page.splitlines()
        if line and not line.startswith("#")
    } | {
        line.split(" ")[2] for page in pages for line in page.splitlines() if line.startswith("# ")
    }


def test_every_panel_queries_prometheus_for_metrics_the_platform_exposes():
    dashboard = json.loads(DASHBOARD.read_text())
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    assert {p["datasource"]["uid"] for p in panels} == {"prometheus"}
    exposed = exposed_names()
    for panel in panels:
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            for name in re.findall(r"\b(apptremind_[a-z_]+)", target["expr"]):
                # histogram series: the family is exposed, its _bucket/_sum/_count too
                assert name in exposed or re.sub(r"_(bucket|sum|count)$", "", name) in exposed, (
                    panel["title"],
                    name,
                )
    titles = {p["title"] for p in panels}
    for wanted in ("Bookings / s", "Outbox backlog", "Consumer lag", "API latency by route (p95)"):
        assert wanted in titles
