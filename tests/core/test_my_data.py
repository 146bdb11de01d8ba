"""GDPR: a person sees, downloads and erases what Partons keeps about them."""
import json

from partons.core.models import User


def test_my_data_needs_login(client, db):
    r = client.get("/nl/accounts/my-data/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert client.get("/nl/accounts/my-data/export.json").status_code == 302


def test_export_holds_the_account_data(client, resident):
    client.force_login(resident)
    r = client.get("/fr/accounts/my-data/export.json")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    data = json.loads(r.content)
    assert data["account"]["email"] == "resident@example.org"
    assert data["account"]["roles"] == ["resident"]
    assert data["account"]["email_addresses"] == [{"email": "resident@example.org", "verified": True, "primary": True}]


def test_profile_is_edited_in_place(client, resident):
    client.force_login(resident)
    r = client.post("/nl/accounts/my-data/", {"display_name": "Anne uit Kemmel", "preferred_language": "fr"})
    assert r.status_code == 302
    resident.refresh_from_db()
    assert (resident.display_name, resident.preferred_language) == ("Anne uit Kemmel", "fr")
    r = client.post("/nl/accounts/my-data/", {"display_name": "x" * 200, "preferred_language": "xx"})
    assert r.status_code == 200 and b"errorlist" in r.content


def test_erasing_the_account_needs_the_password_and_confirmation(client, resident):
    client.force_login(resident)
    r = client.post("/nl/accounts/my-data/delete/", {"password": "wrong", "confirm": "on"})
    assert r.status_code == 400 and User.objects.filter(pk=resident.pk).exists()
    r = client.post("/nl/accounts/my-data/delete/", {"password": "a-long-test-password"})
    assert r.status_code == 400 and User.objects.filter(pk=resident.pk).exists()
    r = client.post("/nl/accounts/my-data/delete/", {"password": "a-long-test-password", "confirm": "on"})
    assert r.status_code == 302
    assert not User.objects.filter(email="resident@example.org").exists()
    assert "_auth_user_id" not in client.session
    assert client.get("/nl/accounts/my-data/delete/").status_code in (302, 405)


def test_export_includes_reports_and_erasure_keeps_them_unsigned(client, resident, territory):
    from partons.observatory.models import Report, ServiceCategory

    cat = ServiceCategory.objects.get(code="cafe")
    Report.objects.create(kind="new", category=cat, name="Café De Kring", lon=2.82, lat=50.78, reporter=resident)
    client.force_login(resident)
    data = json.loads(client.get("/nl/accounts/my-data/export.json").content)
    assert [r["name"] for r in data["reports"]] == ["Café De Kring"]
    client.post("/nl/accounts/my-data/delete/", {"password": "a-long-test-password", "confirm": "on"})
    report = Report.objects.get()
    assert report.reporter is None and report.name == "Café De Kring"
