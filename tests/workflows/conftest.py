"""Fixtures of the workflow tests: a time-skipping server per test, and the workers."""

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from apptremind.devstack.processes import binary, search_attributes
from tests.workflows.support import Platform


@pytest.fixture
async def env():
    """A fresh time-skipping server per test: each test moves its clock as it likes."""
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=binary("temporal-test-server"),
    )
    kinds = {
        "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        "Datetime": IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
    }
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace="default",
            search_attributes={name: kinds[kind] for name, kind in search_attributes().items()},
        )
    )
    yield env
    await env.shutdown()


@pytest.fixture
async def platform(env, sessionmaker, settings, mail_server):
    async with Platform(env.client, sessionmaker, settings, mail_server, env) as running:
        yield running


@pytest.fixture
async def dev_server_platform(temporal_client, sessionmaker, settings, mail_server):
    """The same workers against the real dev server, for what the test server does not model."""
    async with Platform(temporal_client, sessionmaker, settings, mail_server) as running:
        yield running
