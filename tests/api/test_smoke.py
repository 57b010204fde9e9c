from tests.conftest import User


def test_create_and_read_organization(user: User) -> None:
    org = user.create("/v1/organizations", {"name": "Acme", "rejected_on": "2026-11-20"})
    response = user.get(f"/v1/organizations/{org['id']}")
    assert response.status_code == 200
    assert response.json()["name"] == "Acme"
    assert response.headers["etag"] == '"1"'
