"""Every write of the newsletter: subscribing (double opt-in), confirming, changing one's choices, unsubscribing
(which erases the address), and an issue's test and real sending. Sending writes one delivery row per subscriber
first, then the background worker sends them in batches at the configured rate; each message is claimed before it
goes and marked after, so that a restart resumes without sending anyone the same issue twice."""
from __future__ import annotations

import datetime
import logging
import re
from typing import Any

import markdown  # type: ignore[import-untyped]
import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partons.core import mail
from partons.core.ratelimit import hit, parse_rate
from partons.core.tasks import enqueue_after, task
from partons.core.text import one_line

from . import selectors
from .models import CONFIRM_DAYS, Delivery, Issue, Subscription
from .permissions import can_manage_newsletters

log = logging.getLogger(__name__)

SUBSCRIPTIONS_PER_HOUR = 10  # per visitor's address: subscribing sends an e-mail, so it is rate-limited
MAILS_PER_ADDRESS_PER_DAY = 3  # confirmation or "already subscribed" messages one address may receive
IMAGE_REF = re.compile(r"\(image:(\d+)\)")
# A link to a page of the site written as its path ("[the call](/nl/calls/…)"), inline or as a reference: a message
# read in a mail program has no site around it, so such links get the site's address.
SITE_PATH_LINK = re.compile(r"(\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?)(/(?!/))", re.MULTILINE)
ALLOWED_TAGS = {"p", "br", "a", "strong", "em", "b", "i", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "img", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}


# Subscribers -------------------------------------------------------------------------------------------------------

def _normal_email(email: str) -> str:
    return (email or "").strip().lower()


@transaction.atomic
def subscribe(*, email: str, language: str, themes=(), villages=(), municipalities=(), user=None,
              client: str = "") -> Subscription:
    """Put an address on the list. A signed-in person subscribing the verified address of their account is confirmed
    at once (their consent is this request); anyone else gets a confirmation link by e-mail and is on the list only
    once they follow it. An address already confirmed is told by e-mail (where it can change its choices), not on
    the page, so that the form does not reveal who subscribed."""
    email = _normal_email(email)
    hit(f"newsletter:subscribe:{client}", limit=SUBSCRIPTIONS_PER_HOUR, window_s=3600)
    now = timezone.now()
    verified = user is not None and getattr(user, "is_authenticated", False) and _has_verified(user, email)
    sub = Subscription.objects.select_for_update().filter(email=email).first()
    if sub is not None and sub.status == Subscription.Status.CONFIRMED and not verified:
        _mail_once(sub, "already")
        return sub
    if sub is None:
        sub = Subscription(email=email)
    sub.language = language
    sub.themes = sorted(set(themes))
    if verified:
        if Subscription.objects.filter(user=user).exclude(pk=sub.pk).exists():
            forget(Subscription.objects.filter(user=user).exclude(pk=sub.pk))  # one subscription per account
        sub.user = user
        if sub.status != Subscription.Status.CONFIRMED:
            sub.status, sub.consent_at = Subscription.Status.CONFIRMED, now
    try:
        with transaction.atomic():
            sub.save()
    except IntegrityError:  # the same address subscribed at the same moment by another request
        raise ValidationError({"email": _("This address was just subscribed: look for our e-mail in its inbox.")})
    sub.villages.set(villages)
    sub.municipalities.set(municipalities)
    if sub.status == Subscription.Status.PENDING:
        _mail_once(sub, "confirm")
    return sub


def _has_verified(user, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _mail_once(sub: Subscription, kind: str) -> None:
    """Send the confirmation link ('confirm') or the reminder of an existing subscription ('already'), a few times a day
    at most per address (the form must not become a way to flood someone's inbox)."""
    try:
        hit(f"newsletter:mail:{sub.email}", limit=MAILS_PER_ADDRESS_PER_DAY, window_s=86400)
    except PermissionDenied:
        return
    if kind == "confirm":
        Subscription.objects.filter(pk=sub.pk).update(confirmation_sent_at=timezone.now())
    transaction.on_commit(lambda: send_subscription_mail.enqueue(subscription_id=sub.pk, kind=kind))


@task()
def send_subscription_mail(subscription_id: int, kind: str) -> None:
    sub = Subscription.objects.filter(pk=subscription_id).first()
    if sub is None:
        return
    with translation.override(sub.language):
        subject = (_("[Partons] Confirm your subscription to the newsletter") if kind == "confirm"
                   else _("[Partons] You already receive the newsletter"))
        body = render_to_string("newsletters/email/subscription.txt", {
            "kind": kind, "days": CONFIRM_DAYS,
            "confirm_url": mail.absolute_url(reverse("newsletters:confirm", kwargs={"token": sub.token})),
            "manage_url": mail.absolute_url(sub.get_manage_url()),
        })
        mail.send(sub.email, subject, body)


def subscription_for(token: str) -> Subscription:
    """The subscription a link's token names; an unknown or expired one is a ValidationError (an expired pending
    subscription is deleted: its address was never confirmed)."""
    sub = Subscription.objects.filter(token=token or "").first() if token else None
    if sub is None:
        raise ValidationError(_("This link is not valid (any more). Subscribe again if you like."))
    if sub.status == Subscription.Status.PENDING and _expired(sub):
        sub.delete()
        raise ValidationError(_("This confirmation link has expired. Subscribe again if you like."))
    return sub


def _expired(sub: Subscription) -> bool:
    sent = sub.confirmation_sent_at or sub.created_at
    return timezone.now() - sent > datetime.timedelta(days=CONFIRM_DAYS)


@transaction.atomic
def confirm(token: str) -> Subscription:
    sub = subscription_for(token)
    if sub.status != Subscription.Status.CONFIRMED:
        sub.status, sub.consent_at = Subscription.Status.CONFIRMED, timezone.now()
        sub.save(update_fields=["status", "consent_at", "updated_at"])
    return sub


@transaction.atomic
def update_choices(sub: Subscription, *, language: str, themes=(), villages=(), municipalities=()) -> Subscription:
    sub.language = language
    sub.themes = sorted(set(themes))
    sub.save(update_fields=["language", "themes", "updated_at"])
    sub.villages.set(villages)
    sub.municipalities.set(municipalities)
    return sub


@transaction.atomic
def unsubscribe(token: str) -> None:
    """Take the address off the list and forget it: nothing is kept of someone who left."""
    forget(Subscription.objects.filter(pk=subscription_for(token).pk))


def forget(subscriptions) -> None:
    """Erase subscriptions (a queryset): what was waiting to be sent to them is dropped; what was sent stays counted
    in its issue's figures, no longer tied to an address."""
    with transaction.atomic():
        Delivery.objects.filter(subscription__in=subscriptions, status=Delivery.Status.PENDING).delete()
        subscriptions.delete()


def export(sub: Subscription) -> dict:
    """Everything kept about a subscriber (GDPR art. 15 and 20), for the person's own download."""
    return {
        "email": sub.email, "language": sub.language, "themes": sub.themes, "status": sub.status,
        "villages": [v.name for v in sub.villages.all()],
        "municipalities": [m.name for m in sub.municipalities.all()],
        "asked_on": sub.created_at.isoformat(),
        "confirmation_sent_on": sub.confirmation_sent_at.isoformat() if sub.confirmation_sent_at else None,
        "consent_given_on": sub.consent_at.isoformat() if sub.consent_at else None,
        "account": sub.user.email if sub.user else None,
        "issues_received": [{"issue": d.issue_id, "subject": d.issue.subject, "sent_on": d.sent_at.isoformat()}
                            for d in sub.deliveries.filter(status=Delivery.Status.SENT).select_related("issue")
                            if d.sent_at],
    }


# Issues ------------------------------------------------------------------------------------------------------------

def check_ready(issue: Issue) -> None:
    """An issue goes out only with a subject and a text in each of its readers' languages, and images that exist."""
    errors: dict[str, list[str]] = {}
    numbers = set(issue.images.values_list("number", flat=True)) if issue.pk else set()
    for lang in issue.language_codes():
        for field in ("subject", "body"):
            if not (getattr(issue, f"{field}_{lang}") or "").strip():
                errors.setdefault(f"{field}_{lang}", []).append(_("Write this for the issue's readers in this language."))
        missing = sorted({int(n) for n in IMAGE_REF.findall(getattr(issue, f"body_{lang}") or "")} - numbers)
        if missing:
            errors.setdefault(f"body_{lang}", []).append(
                _("The text shows image:%(n)s, but the issue has no image with that number.") % {"n": missing[0]})
    if errors:
        raise ValidationError(errors)


def _site_address(tag: str, attribute: str, value: str) -> str:
    """A link or an image written in HTML as a path of the site gets the site's address too."""
    if attribute in ("href", "src") and value.startswith("/") and not value.startswith("//"):
        return mail.absolute_url(value)
    return value


def render(issue: Issue, language: str) -> dict[str, Any]:
    """An issue in one language: its subject, its text as HTML (Markdown, cleaned: no script, no outside style) and as
    plain text, and the links it points to. The reader's unsubscribe link is added per message."""
    with translation.override(language):
        images = {str(img.number): mail.absolute_url(img.get_absolute_url()) for img in issue.images.all()}
        source = getattr(issue, f"body_{language}") or ""
        source = IMAGE_REF.sub(lambda m: f"({images.get(m.group(1), '')})", source)
        source = SITE_PATH_LINK.sub(lambda m: m.group(1) + mail.absolute_url("/"), source)
        html = nh3.clean(markdown.markdown(source, extensions=["sane_lists"], output_format="html"),
                         tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                         link_rel="noopener", attribute_filter=_site_address)
        links = [dict(item, url=mail.absolute_url(item["path"])) for item in selectors.linked_items(issue)]
        return {"language": language, "subject": one_line(getattr(issue, f"subject_{language}")), "html": html,
                "text": source, "links": links, "web_url": mail.absolute_url(issue.get_absolute_url()),
                "site": mail.absolute_url("")}


def _message(rendered: dict, *, unsubscribe_url: str, manage_url: str, test: bool = False) -> tuple[str, str, str]:
    with translation.override(rendered["language"]):
        context = {**rendered, "unsubscribe_url": unsubscribe_url, "manage_url": manage_url, "test": test}
        subject = ("[TEST] " if test else "") + rendered["subject"]
        return (subject, render_to_string("newsletters/email/issue.txt", context),
                render_to_string("newsletters/email/issue.html", context))


def send_test(*, by, issue: Issue) -> list[str]:
    """The issue in each of its languages to the coordinator's own address, marked as a test. Returns the languages."""
    if not can_manage_newsletters(by):
        raise PermissionDenied("newsletters")
    check_ready(issue)
    hit(f"newsletter:test:{by.pk}", limit=30, window_s=3600)
    own = Subscription.objects.filter(email__iexact=by.email).first()
    sent = []
    for lang in issue.language_codes():
        # the links lead where a reader's would: the coordinator's own subscription if there is one, else the
        # newsletter's page (a test never unsubscribes anyone)
        with translation.override(lang):
            page = reverse("newsletters:subscribe")
            manage = own.get_manage_url() if own is not None else page
            leave = own.get_unsubscribe_url() if own is not None else page
        subject, text, html = _message(render(issue, lang), unsubscribe_url=mail.absolute_url(leave),
                                       manage_url=mail.absolute_url(manage), test=True)
        mail.send(by.email, subject, text, html=html)
        sent.append(lang)
    return sent


@transaction.atomic
def start_sending(*, by, issue: Issue) -> int:
    """Write one delivery per subscriber of the issue's audience, mark the issue as sending and queue the first batch.
    Returns the number of recipients. An issue is sent once."""
    if not can_manage_newsletters(by):
        raise PermissionDenied("newsletters")
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != Issue.Status.DRAFT:
        raise ValidationError(_("This issue has already been sent."))
    check_ready(issue)
    rows = [Delivery(issue=issue, subscription_id=pk, language=lang)
            for pk, lang in selectors.audience(issue).values_list("pk", "language").iterator(chunk_size=2000)]
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    issue.status, issue.sent_by, issue.sending_started_at = Issue.Status.SENDING, by, timezone.now()
    issue.save(update_fields=["status", "sent_by", "sending_started_at", "updated_at"])
    transaction.on_commit(lambda: send_batch.enqueue(issue_id=issue.pk))
    return len(rows)


def resume_sending(*, by, issue: Issue) -> None:
    """After a restart of the worker: the messages that were being handed over when it stopped are counted as
    interrupted (they may have gone: they are not sent again) and the remaining ones are queued again."""
    if by is not None and not can_manage_newsletters(by):
        raise PermissionDenied("newsletters")
    if issue.status != Issue.Status.SENDING:
        raise ValidationError(_("Only an issue being sent can be resumed."))
    issue.deliveries.filter(status=Delivery.Status.CLAIMED).update(status=Delivery.Status.INTERRUPTED)
    send_batch.enqueue(issue_id=issue.pk)


def batch_plan() -> tuple[int, int]:
    """(messages per batch, seconds between the starts of two batches) from NEWSLETTER_RATE."""
    return parse_rate(settings.NEWSLETTER_RATE)


@task()
def send_batch(issue_id: int) -> None:
    """Send the next batch of an issue: claim each delivery (a committed update that only one worker can win), hand
    the message to the mail server, mark it sent — or failed, with the reason, without stopping the others. Then queue
    the next batch after the rate's period, or mark the issue sent when none is left."""
    issue = Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING).first()
    if issue is None:
        return
    size, period_s = batch_plan()
    started = timezone.now()
    rendered: dict[str, dict] = {}
    ids = list(issue.deliveries.filter(status=Delivery.Status.PENDING).order_by("pk").values_list("pk", flat=True)[:size])
    connection = get_connection()
    with connection:
        for pk in ids:
            if not Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(status=Delivery.Status.CLAIMED):
                continue  # another worker took it
            delivery = Delivery.objects.select_related("subscription").filter(pk=pk).first()
            if delivery is None or delivery.subscription is None:  # unsubscribed in the meantime: nothing to send
                Delivery.objects.filter(pk=pk).delete()
                continue
            try:
                if delivery.language not in rendered:
                    rendered[delivery.language] = render(issue, delivery.language)
                sub = delivery.subscription
                with translation.override(delivery.language):  # the reader's links lead to pages in their language
                    unsubscribe = mail.absolute_url(sub.get_unsubscribe_url())
                    manage = mail.absolute_url(sub.get_manage_url())
                subject, text, html = _message(rendered[delivery.language], unsubscribe_url=unsubscribe,
                                               manage_url=manage)
                mail.send(sub.email, subject, text, html=html, connection=connection,
                          headers={"List-Unsubscribe": f"<{unsubscribe}>",
                                   "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
            except Exception as exc:  # one failure never stops the others
                log.warning("newsletter %s to subscription %s failed: %s", issue.pk, delivery.subscription_id, exc)
                Delivery.objects.filter(pk=pk).update(status=Delivery.Status.FAILED, error=one_line(str(exc))[:300])
            else:
                Delivery.objects.filter(pk=pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    if issue.deliveries.filter(status=Delivery.Status.PENDING).exists():
        enqueue_after(send_batch, started + datetime.timedelta(seconds=period_s), issue_id=issue.pk)
    elif not issue.deliveries.filter(status=Delivery.Status.CLAIMED).exists():
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(status=Issue.Status.SENT,
                                                                             sent_at=timezone.now())


def resume_all() -> list[int]:
    """Every issue left sending (after a restart): resumed. For the `resume-newsletters` command."""
    ids = list(Issue.objects.filter(status=Issue.Status.SENDING).values_list("pk", flat=True))
    for issue in Issue.objects.filter(pk__in=ids):
        resume_sending(by=None, issue=issue)
    return ids
