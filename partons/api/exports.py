"""Exports of the API (CSV, GeoJSON): built once, compressed once and kept in the shared cache, so that every worker
serves the same file until the data it comes from changes."""
import gzip
import hashlib
import re

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

EXPORT_CACHE_S = 600  # exports without a data version are built again after this
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def export_response(request, build, *, filename: str, content_type: str, version: str = "") -> HttpResponse:
    """`build()` gives the file's bytes. With a `version` (it changes whenever the data does) the file is kept until
    the data changes, else for EXPORT_CACHE_S; clients that accept gzip get the stored compressed file as it is."""
    key = f"export:{version}:{hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]}"
    packed = cache.get(key)
    if packed is None:
        packed = gzip.compress(build(), compresslevel=6, mtime=0)
        cache.set(key, packed, 24 * 3600 if version else EXPORT_CACHE_S)
    compressed = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    response = HttpResponse(packed if compressed else gzip.decompress(packed), content_type=content_type)
    if compressed:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    if version:  # the same data, the same file: no need to hash megabytes for the ETag
        response["ETag"] = f'"{hashlib.sha256(f"{key}:{compressed}".encode()).hexdigest()[:32]}"'
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
