"""Every write of the media library, in transactions, with the permission checked here: coordinators (and whoever
holds the `publications` permissions) add, change and remove publications. Files are checked by their first bytes
(office files by what their zip holds too) and their size, and stored under a random name; a replaced or removed file
is deleted from storage once the change is committed."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from partons.core.uploads import CONTENT_TYPES, SIGNATURES, check_document, stored_copy

from .models import Publication

MAX_FILE_BYTES = 25 * 1024 * 1024
ALLOWED_EXTENSIONS = tuple(SIGNATURES)  # PDF, PNG, JPEG, DOCX, ODT, XLSX, ODS
ACCEPT = ",".join((*ALLOWED_EXTENSIONS, *sorted(set(CONTENT_TYPES.values()))))

# The caller for loaders and management commands (no person behind it); views always pass the request's user.
SYSTEM = object()


def _require(by, action: str) -> None:
    if by is SYSTEM:
        return
    if not (getattr(by, "is_authenticated", False) and by.is_active and by.has_perm(f"publications.{action}_publication")):
        raise PermissionDenied(f"publications.{action}_publication")


def check_file(upload) -> tuple[str, str]:
    """The file's clean name and its content type, or a ValidationError naming the file and what is wrong."""
    name = check_document(upload, max_bytes=MAX_FILE_BYTES, allowed=ALLOWED_EXTENSIONS)
    ext = name[name.rfind("."):].lower()
    return name, CONTENT_TYPES[ext]


def unique_slug(title: str, *, exclude_pk=None) -> str:
    base = slugify(title)[:90].strip("-") or "publication"
    taken = set(Publication.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_publication(*, by, publication: Publication, upload=None, remove_file: bool = False) -> Publication:
    """Save a new or changed publication (its fields set by the caller), with a new file, or without its file.
    Every rule is checked before anything is written; each error names its field."""
    _require(by, "change" if publication.pk else "add")
    if publication.file and not getattr(publication.file, "_committed", True):
        raise ValueError("a new file goes through `upload`, so that it is checked")
    checked = check_file(upload) if upload is not None else None
    with transaction.atomic():
        old_file = ""
        if publication.pk:
            old_file = Publication.objects.select_for_update().filter(pk=publication.pk).values_list(
                "file", flat=True).first() or ""
        if checked is not None:
            name, content_type = checked
            publication.file = stored_copy(upload, name)
            publication.file_name, publication.file_size, publication.file_type = name, upload.size, content_type
        elif remove_file or not publication.file:
            publication.file = ""
            publication.file_name, publication.file_size, publication.file_type = "", 0, ""
        if not publication.slug:
            publication.slug = unique_slug(publication.title_nl or publication.title_fr, exclude_pk=publication.pk)
        if publication.pk is None and by is not SYSTEM:
            publication.created_by = by
        publication.full_clean()
        try:
            publication.save()
        except Exception:
            if checked is not None and publication.file.name:
                publication.file.storage.delete(publication.file.name)
            raise
        if old_file and old_file != publication.file.name:
            storage = Publication._meta.get_field("file").storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return publication


def create_publication(*, by, upload=None, **fields) -> Publication:
    return save_publication(by=by, publication=Publication(**fields), upload=upload)


def update_publication(*, by, publication: Publication, upload=None, remove_file: bool = False, **fields) -> Publication:
    for key, value in fields.items():
        setattr(publication, key, value)
    return save_publication(by=by, publication=publication, upload=upload, remove_file=remove_file)


def set_published(*, by, publication: Publication, published: bool) -> Publication:
    _require(by, "change")
    with transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(published=published, updated_at=timezone.now())
        publication.published = published
    return publication


def delete_publication(*, by, publication: Publication) -> None:
    """Delete the record, and its file once the deletion is committed."""
    _require(by, "delete")
    with transaction.atomic():
        name = publication.file.name if publication.file else ""
        storage = Publication._meta.get_field("file").storage
        publication.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))
