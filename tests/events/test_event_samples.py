"""Recorded samples of every event type (samples/, as the topics carry them) go through the
model producers and consumers share, and come out as they went in: a model change that
would refuse, or reshape, what is already on the topics fails here.

`<type>.json` is the shape the code emits; `<type>.<older shape>.json` is one an earlier
version emitted, which must still validate.
"""

import json
from pathlib import Path

import pytest

from apptremind.events import EVENT_MODELS, EventEnvelope

SAMPLES = sorted((Path(__file__).parent / "samples").glob("*.json"))
CURRENT = [path for path in SAMPLES if path.stem in EVENT_MODELS]
OLDER = [path for path in SAMPLES if path.stem not in EVENT_MODELS]


def test_every_event_type_has_a_sample_and_every_sample_a_model():
    assert {path.stem for path in CURRENT} == set(EVENT_MODELS)
    assert all(path.stem.split(".before-")[0] in EVENT_MODELS for path in OLDER)


@pytest.mark.parametrize("path", CURRENT, ids=[path.stem for path in CURRENT])
def test_a_sample_replays_through_its_model_unchanged(path: Path):
    recorded = json.loads(path.read_text())
    envelope = EventEnvelope.model_validate(recorded)
    model = EVENT_MODELS[envelope.event_type]

    event = model.model_validate(envelope.data)

    assert envelope.event_type == path.stem
    assert event.model_dump(mode="json") == recorded["data"]
    assert (
        json.loads(model.model_validate_json(json.dumps(recorded["data"])).model_dump_json())
        == (recorded["data"])
    )


@pytest.mark.parametrize("path", OLDER, ids=[path.stem for path in OLDER])
def test_an_older_shape_still_validates(path: Path):
    recorded = json.loads(path.read_text())
    model = EVENT_MODELS[recorded["event_type"]]

    dumped = model.model_validate(recorded["data"]).model_dump(mode="json")

    assert dumped.items() >= recorded["data"].items()
