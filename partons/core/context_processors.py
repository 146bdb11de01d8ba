from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def site(request):
    return {"debug": settings.DEBUG}


def language_links(request):
    """The same page in each language: plain links (no form, so a page holds nothing personal and can be shared
    by every visitor from the page cache). Paths without a language prefix stay as they are."""
    path = request.get_full_path()
    current = translation.get_language()
    return {"language_links": [
        {"code": code, "name": translation.get_language_info(code)["name_local"], "current": code == current,
         "url": path if code == current else translate_url(path, code)}
        for code, _name in settings.LANGUAGES]}
