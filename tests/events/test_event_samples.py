"""Recorded samples of every event type (samples/, as the topics carry them) go through the
model producers and consumers share, and come out as they went in: a model change that
would refuse, or reshape, what is already on the topics fails here.

`<type>.json` is the shape the code emits; `<type>.<older shape>.json` is one an earlier
version emitted, which must still validate.
"""

import json
from pathlib import Path

import pytest
from aiokafka.structs import ConsumerRecord

from apptremind.consumers.messages import (
    BUSINESS_ID_ONLY_IN_KEY_BEFORE,
    InvalidMessage,
    parse_record,
)
from apptremind.events import EVENT_MODELS, EventEnvelope

SAMPLES = sorted((Path(__file__).parent / "samples").glob("*.json"))
CURRENT = [path for path in SAMPLES if path.stem in EVENT_MODELS]
OLDER = [path for path in SAMPLES if path.stem not in EVENT_MODELS]
# Older shapes the model alone cannot read: the consumers complete them from the message key.
KEYED_ONLY = [path for path in OLDER if path.stem.endswith(".before-business-id")]


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


@pytest.mark.parametrize(
    "path",
    [path for path in OLDER if path not in KEYED_ONLY],
    ids=[path.stem for path in OLDER if path not in KEYED_ONLY],
)
def test_an_older_shape_still_validates(path: Path):
    recorded = json.loads(path.read_text())
    model = EVENT_MODELS[recorded["event_type"]]

    dumped = model.model_validate(recorded["data"]).model_dump(mode="json")

    assert dumped.items() >= recorded["data"].items()


@pytest.mark.parametrize("event_type", sorted(BUSINESS_ID_ONLY_IN_KEY_BEFORE))
def test_a_result_written_without_business_id_takes_it_from_its_key(event_type: str):
    recorded = Path(__file__).parent / "samples" / f"{event_type}.before-business-id.json"
    business_id = "6f1c2b9e-3d4a-4f7e-9a51-2c8e7b0d4f13"

    consumed = parse_record(as_record(recorded.read_bytes(), business_id), EVENT_MODELS)

    assert str(consumed.data.business_id) == business_id
    with pytest.raises(InvalidMessage, match="business_id"):  # no key to take it from
        parse_record(as_record(recorded.read_bytes(), None), EVENT_MODELS)


def as_record(value: bytes, key: str | None) -> ConsumerRecord[bytes, bytes]:
    event_type = json.loads(value)["event_type"]
    encoded = key.encode() if key is not None else None
    size = len(encoded) if encoded is not None else -1
    return ConsumerRecord(event_type, 0, 0, 0, 0, encoded, value, None, size, len(value), [])
