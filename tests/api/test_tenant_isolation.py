"""Every authenticated route of the app, walked with another tenant's ids: each answers 404
or 403 and changes nothing; routes without ids never show the other tenant's data.

The routes come from the app's route table, so a new route is walked without editing this
file; one that takes a body needs a valid body in BODIES (the test says so)."""

import re
from datetime import timedelta
from typing import Any

from api.app import create_app
from api.deps import get_principal
from tests.helpers import bearer, register
from tests.scenarios import API, a_day_ahead, at, book, setup_business

PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")
DAY = a_day_ahead() + timedelta(days=7)
# Valid bodies, so that a refusal is about the ids and not the input.
BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/api/v1/auth/users/{user_id}"): {"role": "admin"},
    ("PATCH", "/api/v1/business/services/{service_id}"): {"name": "Taken over"},
    ("PATCH", "/api/v1/business/staff/{staff_id}"): {"name": "Taken over"},
    ("PUT", "/api/v1/business/staff/{staff_id}/overrides/{day}"): {"working_hours": []},
    ("POST", "/api/v1/appointments/{appointment_id}/reschedule"): {"time": at(DAY, 10)},
}
QUERIES = {"date": DAY.isoformat(), "from": DAY.isoformat(), "to": DAY.isoformat()}


def authenticated_routes() -> list[tuple[str, str, Any]]:
    """(method, path, route context) of every route that needs an access token."""

    def needs_principal(dependant: Any) -> bool:
        return any(d.call is get_principal or needs_principal(d) for d in dependant.dependencies)

    app = create_app()
    found = []
    for route in app.routes:
        contexts = (
            route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else []
        )
        for context in contexts:
            if needs_principal(context.dependant):
                found += [(method, context.path, context) for method in sorted(context.methods)]
    return found


async def test_another_tenants_ids_answer_404_or_403_on_every_route(api, settings):
    owner_a = await setup_business(api)
    staff_login = await api.post(
        f"{API}/auth/users",
        headers=owner_a["auth"],
        json={"email": "mia@a.example", "password": "a long password", "role": "staff"},
    )
    assert staff_login.status_code == 201, staff_login.text
    booked = await book(api, owner_a, at(a_day_ahead(), 10))
    assert booked.status_code == 201, booked.text
    ids = {
        "user_id": staff_login.json()["id"],
        "service_id": owner_a["service_id"],
        "staff_id": owner_a["staff_id"],
        "appointment_id": booked.json()["appointment_id"],
        "day": DAY.isoformat(),
    }
    before = await snapshot(api, owner_a["auth"], ids)
    other = bearer((await register(api))["access_token"])

    routes = authenticated_routes()
    assert len(routes) > 20  # the walk found the app's routes
    walked_with_ids = 0
    for method, path, context in routes:
        names = PARAMETER.findall(path)
        url = PARAMETER.sub(lambda m: ids[m[1]], path)
        query = {
            p.alias: ids.get(p.alias, QUERIES.get(p.alias))
            for p in context.dependant.query_params
            if p.alias in ids or p.alias in QUERIES
        }
        body = BODIES.get((method, path))
        if context.body_field is not None and body is None:
            body = {}
        response = await api.request(method, url, headers=other, params=query, json=body)
        if names:
            walked_with_ids += 1
            assert response.status_code in (403, 404), (
                f"{method} {path} with another tenant's ids answered {response.status_code}"
                f" (a route with a body needs one in BODIES): {response.text[:300]}"
            )
        for value in ids.values():
            if value != ids["day"]:
                assert value not in response.text, f"{method} {path} shows another tenant's id"
    assert walked_with_ids >= 15

    assert await snapshot(api, owner_a["auth"], ids) == before


async def snapshot(api, auth, ids) -> list[Any]:
    """What the first tenant sees of the resources the walk aimed at."""
    paths = [
        f"{API}/appointments/{ids['appointment_id']}",
        f"{API}/business/services/{ids['service_id']}",
        f"{API}/business/staff/{ids['staff_id']}",
        f"{API}/auth/users",
        f"{API}/business/staff/{ids['staff_id']}/overrides",
    ]
    seen = []
    for path in paths:
        params = {"from": ids["day"], "to": ids["day"]} if path.endswith("overrides") else None
        response = await api.get(path, headers=auth, params=params)
        assert response.status_code == 200, (path, response.text)
        seen.append(response.json())
    return seen
