import httpx
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest

from apptremind.devstack.processes import search_attributes


async def test_dev_server_registers_the_appointment_search_attributes(temporal_client):
    listed = await temporal_client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace="default")
    )
    expected = {
        name: getattr(IndexedValueType, f"INDEXED_VALUE_TYPE_{kind.upper()}")
        for name, kind in search_attributes().items()
    }
    assert {"BusinessId", "AppointmentStart", "AppointmentStatus"} == set(expected)
    for name, kind in expected.items():
        assert listed.custom_attributes[name] == kind


async def test_dev_server_serves_the_web_ui(temporal_dev_server):
    async with httpx.AsyncClient() as http:
        response = await http.get(f"http://127.0.0.1:{temporal_dev_server.ui_port}/")
    assert response.status_code == 200
    assert "<html" in response.text.lower()
