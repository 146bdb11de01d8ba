"""Uploaded documents (PDF, images, office files): checked by their first bytes and size — the name alone proves
nothing — and stored under a random name. Photos have their own checks in `photos.py`."""
from __future__ import annotations

import os
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# What a file must start with to be what its name says.
SIGNATURES = {".pdf": (b"%PDF-",), ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
              ".docx": (b"PK\x03\x04",), ".odt": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".ods": (b"PK\x03\x04",)}
CONTENT_TYPES = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# What the zip of an office file must hold to be one (its first bytes only say "zip").
OFFICE_MEMBERS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
ODF_MIMETYPES = {".odt": b"application/vnd.oasis.opendocument.text", ".ods": b"application/vnd.oasis.opendocument.spreadsheet"}
KIND_NAMES = {".pdf": "PDF", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".docx": "DOCX", ".odt": "ODT",
              ".xlsx": "XLSX", ".ods": "ODS"}


def check_document(upload, *, max_bytes: int = MAX_DOCUMENT_BYTES, allowed=tuple(SIGNATURES)) -> str:
    """The file's clean name, or a ValidationError naming the file and what is wrong with it."""
    name = os.path.basename(upload.name or "")[:200]
    ext = os.path.splitext(name)[1].lower()
    if ext not in allowed:
        kinds = ", ".join(sorted({KIND_NAMES[e] for e in allowed}))
        raise ValidationError(_("“%(name)s”: only these kinds of file are accepted: %(kinds)s.") % {"name": name, "kinds": kinds})
    if upload.size > max_bytes:
        raise ValidationError(_("“%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": max_bytes // (1024 * 1024)})
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[ext]) or not _office_ok(upload, ext):
        raise ValidationError(_("“%(name)s” is not the kind of file its name says.") % {"name": name})
    return name


def _office_ok(upload, ext: str) -> bool:
    if ext not in OFFICE_MEMBERS and ext not in ODF_MIMETYPES:
        return True
    try:
        with zipfile.ZipFile(upload) as z:
            return (OFFICE_MEMBERS[ext] in z.namelist() if ext in OFFICE_MEMBERS
                    else z.read("mimetype").strip() == ODF_MIMETYPES[ext])
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return False
    finally:
        upload.seek(0)


def stored_copy(upload, name: str) -> ContentFile:
    """The upload's content under a random name that keeps the extension."""
    return ContentFile(upload.read(), name=f"{uuid.uuid4().hex}{os.path.splitext(name)[1].lower()}")
