"""Uploaded photos: checked for size, type and pixel count, then re-encoded without metadata under a random name."""
import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000  # a 5 MB file may still unpack to gigabytes: refuse before decoding
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


def clean_photo(photo):
    """A photo from an ImageField form field → a clean re-encoded file, or ValidationError naming the problem."""
    if not photo:
        return photo
    if photo.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB."))
    image = getattr(photo, "image", None)
    if image is None or image.format not in PHOTO_FORMATS:
        raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."))
    width, height = image.size
    if width * height > MAX_PHOTO_PIXELS:
        raise ValidationError(_("The photo is too large (more than 40 megapixels)."))
    return without_metadata(photo, image.format)


def without_metadata(photo, fmt: str) -> ContentFile:
    """Re-encode the photo: no EXIF (GPS position, camera) is kept, and it gets a random name."""
    from PIL import Image, ImageOps

    photo.seek(0)
    with Image.open(photo) as opened:
        img = ImageOps.exif_transpose(opened)
        if fmt == "JPEG" and img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        out = io.BytesIO()
        img.save(out, format=fmt, quality=88) if fmt in ("JPEG", "WEBP") else img.save(out, format=fmt)
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}")
