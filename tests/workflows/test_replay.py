"""Recorded histories replay against the current workflow code: a change that would break
running appointments (non-determinism) fails here, before it reaches production.

Record anew after an intended, versioned change with
`RECORD_HISTORIES=1 .venv/bin/pytest tests/workflows/test_appointment_workflow.py`, and keep
the old files under a prefix (e.g. `before_confirmations-`): workflows started by the old
code are still running and must keep replaying.
"""

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from workflows.appointment import AppointmentWorkflow

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_histories_are_recorded_for_the_main_paths():
    assert {path.stem for path in HISTORIES} >= {
        "reminders_sent_then_auto_completed",
        "cancelled_between_reminders",
        "cancelled_by_signal",
        "rescheduled",
    }


@pytest.mark.parametrize("path", HISTORIES, ids=[path.stem for path in HISTORIES])
async def test_recorded_history_replays_deterministically(path: Path):
    replayer = Replayer(workflows=[AppointmentWorkflow], data_converter=pydantic_data_converter)
    history = WorkflowHistory.from_json(f"appointment-{path.stem}", path.read_text())

    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)

    assert result.replay_failure is None, result.replay_failure
