"""Every e-mail the platform sends goes through here: a subject is one line whatever title it is built from (a line
break in a header makes Django refuse the whole message), from the site's sender address; a message to an account is
written in its language and reaches active accounts only."""
import contextlib
import contextvars

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .text import one_line

SUBJECT_MAX = 200
_held = contextvars.ContextVar("mail_held", default=False)


@contextlib.contextmanager
def held():
    """Send nothing inside this block: the demo's synthetic activity (comments, answers) notifies no one."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def send(to: str, subject: str, body: str, *, attachments: Sequence[tuple[str, bytes | str, str]] = (),
         html: str = "", headers: dict[str, str] | None = None, connection=None) -> None:
    """Send one message to one address; `attachments` as (file name, content, MIME type); `html` an HTML version of
    the same text (the plain `body` stays for mail readers without HTML); `headers` extra headers (one line each)."""
    if _held.get():
        return
    message = EmailMultiAlternatives(one_line(subject)[:SUBJECT_MAX], body, settings.DEFAULT_FROM_EMAIL, [to],
                                     headers={k: one_line(v) for k, v in (headers or {}).items()}, connection=connection)
    if html:
        message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(one_line(name), content, mimetype)
    message.send()


def absolute_url(path: str) -> str:
    """A link for a message: the site's address and a path (`reverse(...)`, `get_absolute_url()`)."""
    return settings.SITE_URL.rstrip("/") + path


def send_to_user(user, template: str, subject: str | Callable[[], str], context: dict | Callable[[], dict] | None = None,
                 *, attachments: Callable[[], Sequence] | Sequence = (), language: str | None = None) -> bool:
    """Write `template` to one account in its language (its preferred one, else `language`, else the site's) and send
    it. `subject`, `context` and `attachments` may be functions: they are called in that language, so that the
    subject's words and the links' language prefix are the reader's. An account that is inactive or has no address
    gets nothing. Returns whether a message went."""
    if user is None or not getattr(user, "email", "") or not getattr(user, "is_active", False):
        return False
    with translation.override(getattr(user, "preferred_language", "") or language or settings.LANGUAGE_CODE):
        values: dict[str, Any] = context() if callable(context) else dict(context or {})
        body = render_to_string(template, {"user": user, "site": absolute_url(""), **values})
        send(user.email, subject() if callable(subject) else str(subject), body,
             attachments=attachments() if callable(attachments) else attachments)
    return True
