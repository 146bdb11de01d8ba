"""Subscribing without an account: double opt-in, consent with its date, choices, the subscriber's own page reached
from the e-mail without logging in, unsubscribing (which erases the address), and the data a person can export."""
import datetime
import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from partons.core import gdpr
from partons.newsletters.models import Subscription

from ..conftest import make_user, url

pytestmark = pytest.mark.django_db


def _post_subscribe(client, **extra):
    data = {"email": "Anna@Example.org", "language": "fr", "themes": ["mobility"], "consent": "on", **extra}
    return client.post(url("newsletters:subscribe"), data)


def _link(message, name):
    return re.search(r"http://[^\s]+/" + name + r"/[\w-]+/", message.body).group(0).split("testserver", 1)[-1]


def test_double_opt_in(client, territory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_subscribe(client, villages=[territory["villages"]["kemmel"].pk])
    assert response.status_code == 302 and response["Location"] == url("newsletters:check_inbox")
    sub = Subscription.objects.get()
    assert (sub.email, sub.language, sub.themes) == ("anna@example.org", "fr", ["mobility"])
    assert sub.status == Subscription.Status.PENDING and sub.consent_at is None
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "[Partons] Confirmez votre inscription à la lettre d’information"  # in the chosen language
    confirm = re.search(r"(/fr/newsletter/confirm/[\w-]+/)", message.body).group(1)
    # Opening the link (as a mail program checking links does) confirms nothing: the person presses the button.
    assert client.get(confirm).status_code == 200
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.PENDING
    response = client.post(confirm)
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.CONFIRMED
    assert timezone.now() - sub.consent_at < datetime.timedelta(minutes=1)
    assert response["Location"] == sub.get_manage_url()


def test_consent_box_is_required(client, db):
    response = _post_subscribe(client, consent="")
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not Subscription.objects.exists() and not mail.outbox
    assert _post_subscribe(client).status_code == 302  # control: ticked, it goes through
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize("field,value", [("email", "not-an-address"), ("language", "de"), ("themes", ["astrology"]),
                                         ("villages", ["999999"])])
def test_bad_input_is_named(client, db, field, value):
    response = _post_subscribe(client, **{field: value})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Subscription.objects.exists()


def test_an_address_already_on_the_list_is_told_by_mail_not_on_the_page(client, subscribe_to,
                                                                        django_capture_on_commit_callbacks):
    existing = subscribe_to("anna@example.org", language="nl", themes=["participation"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_subscribe(client)
    assert response["Location"] == url("newsletters:check_inbox")  # the same answer as for a new address
    existing.refresh_from_db()
    assert (existing.language, existing.themes) == ("nl", ["participation"])  # a stranger changes nothing
    assert len(mail.outbox) == 1 and existing.get_manage_url() in mail.outbox[0].body


def test_a_signed_in_resident_subscribes_from_the_account(client, db):
    user = make_user("resident@example.org")
    client.force_login(user)
    page = client.get(url("newsletters:subscribe"))
    assert page.context["form"].initial["email"] == "resident@example.org"
    response = _post_subscribe(client, email="resident@example.org")
    sub = Subscription.objects.get()
    assert sub.status == Subscription.Status.CONFIRMED and sub.user == user and sub.consent_at
    assert response["Location"] == sub.get_manage_url()
    assert not mail.outbox
    # Another address than the account's verified one still needs the confirmation link.
    _post_subscribe(client, email="other@example.org")
    assert Subscription.objects.get(email="other@example.org").status == Subscription.Status.PENDING


def test_manage_and_export_without_logging_in(client, territory, subscribe_to):
    sub = subscribe_to("anna@example.org", themes=["mobility"])
    page = client.get(sub.get_manage_url())
    assert page.status_code == 200 and b"anna@example.org" in page.content
    bergues = territory["bergues"]
    response = client.post(sub.get_manage_url(), {"language": "fr", "themes": ["participation", "mobility"],
                                                  "municipalities": [bergues.pk]})
    assert response.status_code == 302
    sub.refresh_from_db()
    assert (sub.language, sub.themes, list(sub.municipalities.all())) == ("fr", ["mobility", "participation"], [bergues])
    data = client.get(url("newsletters:my_data", token=sub.token))
    assert data["Content-Disposition"].startswith("attachment")
    exported = json.loads(data.content)
    assert exported["email"] == "anna@example.org" and exported["consent_given_on"] == sub.consent_at.isoformat()
    assert exported["municipalities"] == ["Sint-Winoksbergen"]


def test_unsubscribe_erases_the_address(client, subscribe_to):
    sub = subscribe_to("anna@example.org")
    unsubscribe = sub.get_unsubscribe_url()
    assert client.get(unsubscribe).status_code == 200
    assert Subscription.objects.filter(pk=sub.pk).exists()  # opening the link alone removes nothing
    assert client.post(unsubscribe).status_code == 200
    assert not Subscription.objects.filter(email="anna@example.org").exists()
    assert client.get(unsubscribe).status_code == 404  # the link is spent


def test_one_click_unsubscribe_from_the_mail_program(subscribe_to):
    """RFC 8058: the mail program posts `List-Unsubscribe=One-Click` to the link, without the site's form token."""
    sub = subscribe_to("anna@example.org")
    other = subscribe_to("ben@example.org")
    client = Client(enforce_csrf_checks=True)
    assert client.post(sub.get_unsubscribe_url(), {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.filter(pk=sub.pk).exists()
    assert Subscription.objects.filter(pk=other.pk).exists()
    # The manage page's form still wants its token (control: CSRF is on for the rest).
    assert client.post(other.get_manage_url(), {"language": "fr"}).status_code == 403


def test_a_wrong_or_expired_link(client, subscribe_to, db):
    assert client.get(url("newsletters:manage", token="no-such-token")).status_code == 404
    pending = Subscription.objects.create(email="late@example.org", language="nl")
    Subscription.objects.filter(pk=pending.pk).update(confirmation_sent_at=timezone.now() - datetime.timedelta(days=8))
    response = client.post(url("newsletters:confirm", token=pending.token))
    assert response.status_code == 404 and "verlopen" in response.content.decode()  # "expired", in Dutch
    assert not Subscription.objects.filter(pk=pending.pk).exists()  # never confirmed: forgotten
    fresh = Subscription.objects.create(email="fresh@example.org", language="nl", confirmation_sent_at=timezone.now())
    assert client.post(url("newsletters:confirm", token=fresh.token)).status_code == 302  # control


def test_subscribing_is_rate_limited(client, db):
    for i in range(10):
        assert _post_subscribe(client, email=f"p{i}@example.org").status_code == 302
    response = _post_subscribe(client, email="p10@example.org")
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Subscription.objects.filter(email="p10@example.org").exists()


def test_confirmation_mails_to_one_address_are_limited(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            Client(REMOTE_ADDR=f"10.0.0.{i}").post(url("newsletters:subscribe"), {
                "email": "target@example.org", "language": "nl", "consent": "on"})
    assert len(mail.outbox) == 3  # the form cannot be used to flood someone's inbox


def test_personal_data_of_an_account(subscribe_to, db):
    user = make_user("anna@example.org")
    subscribe_to("anna@example.org", themes=["mobility"])
    kept = subscribe_to("someone-else@example.org")
    assert gdpr.export_personal_data(user)["newsletter"][0]["email"] == "anna@example.org"
    gdpr.delete_user(user)
    assert list(Subscription.objects.all()) == [kept]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/fr/newsletter/", "/nl/newsletter/", "/fr/ideas/new/"])
def test_a_choice_of_language_names_each_language_in_itself_on_every_page(client, resident, path):
    import re

    client.force_login(resident)  # the idea form asks for an account
    html = client.get(path).content.decode()
    labels = re.findall(r'<input type="radio" name="language" value="(nl|fr)"[^>]*>\s*([^<]+?)\s*</label>', html)
    assert labels == [("nl", "Nederlands"), ("fr", "Français")], labels
