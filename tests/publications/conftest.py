"""Publications made through the services, and small files that are (or pretend to be) what their names say."""
import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partons.publications import services

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + b" " * 1000
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def upload(name="rapport.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def docx_bytes(*, member="word/document.xml") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(member, "<w:document/>")
    return buf.getvalue()


def make(**fields):
    """A published publication (defaults for every required field), made by the system caller."""
    file = fields.pop("upload", None)
    defaults = dict(kind="report", title_nl="Rapport", title_fr="Rapport", theme="everyday_services",
                    published_on=datetime.date(2020, 5, 4), language="nl", published=True)
    return services.create_publication(by=services.SYSTEM, upload=file, **{**defaults, **fields})


@pytest.fixture
def pdf():
    return upload()
