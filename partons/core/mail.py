"""Every e-mail the platform sends goes through here: a subject is one line whatever title it is built from (a line
break in a header makes Django refuse the whole message), from the site's sender address."""
import contextlib
import contextvars

from django.conf import settings
from django.core.mail import EmailMessage

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


def send(to: str, subject: str, body: str, *, attachments: list[tuple[str, bytes | str, str]] = ()) -> None:
    """Send one message to one address; `attachments` as (file name, content, MIME type)."""
    if _held.get():
        return
    message = EmailMessage(one_line(subject)[:SUBJECT_MAX], body, settings.DEFAULT_FROM_EMAIL, [to])
    for name, content, mimetype in attachments:
        message.attach(one_line(name), content, mimetype)
    message.send()
