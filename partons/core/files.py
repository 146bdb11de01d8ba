"""Stored files (photos, attachments, documents) served by the app itself after a permission check, never by the
media folder directly: one way for every view that hands out a file."""
import mimetypes

from django.http import FileResponse, Http404

IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def file_response(field_file, *, download_as: str | None = None, content_type: str | None = None,
                  cache: str = "private, no-store") -> FileResponse:
    """The file of a FileField/ImageField: shown in the page (images) or downloaded under `download_as`; a file missing
    from the disk is a 404, never a server error. The content type is the one the upload was checked to be, else
    guessed from the name; browsers are told not to sniff another."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    name = field_file.name.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = content_type or IMAGE_TYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if download_as is not None:
        response = FileResponse(handle, as_attachment=True, filename=download_as, content_type=kind)
    else:
        response = FileResponse(handle, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response
