"""What the fuzzers found (bench/fuzz_api.py, bench/fuzz_forms.py), kept fixed."""

import pytest

from binome.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/partners/", "/api/v1/compensation/time/"])
def test_a_huge_page_number_is_a_422_in_the_documented_shape_not_a_500(world, client, path):
    _token, raw = ApiToken.issue(world.users["coordinator"], "fuzz")
    response = client.get(f"{path}?page=299363631414312384", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "page" and body["detail"]
    ok = client.get(f"{path}?page=1000000", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ok.status_code == 200 and ok.json()["items"] == []
