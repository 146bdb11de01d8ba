"""Every UI string of the code is in the NL and FR catalogues, translated, and compiled at set-up."""
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_catalogue_is_complete_and_compiled(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert (LOCALE / lang / "LC_MESSAGES" / "django.mo").exists()
    with translation.override(lang):
        assert translation.gettext("Skip to content") != "Skip to content"


def test_catalogues_hold_every_string_of_the_code(tmp_path, settings, monkeypatch):
    """Extract the strings again (GNU gettext, installed by `make test`) and compare with the catalogues."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext (GNU gettext) is missing: `make test` installs it (apt-get install gettext)")
    # Work on a copy of the code, so that the real catalogues are never touched.
    shutil.copytree(Path(settings.BASE_DIR) / "partons", tmp_path / "partons",
                    ignore=shutil.ignore_patterns("__pycache__", "vendor", "*.pyc"))
    fresh = tmp_path / "locale"
    fresh.mkdir()
    settings.LOCALE_PATHS = [fresh]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["nl"], verbosity=0)
    extracted = {e.msgid for e in polib.pofile(str(fresh / "nl" / "LC_MESSAGES" / "django.po"))}
    assert {"Skip to content", "Merge villages", "Village in Belgium"} <= extracted  # templates and Python both read
    for lang in ("nl", "fr"):
        known = {e.msgid for e in polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po")) if not e.obsolete}
        assert sorted(extracted - known) == [], f"strings missing from locale/{lang} (run `make messages` and translate)"


INFORMAL = r"\b(je|jij|jou|jouw|jezelf|jullie)\b"


@pytest.mark.django_db
def test_dutch_account_pages_speak_one_register(client, settings):
    """The site addresses people as "u" in Dutch, allauth's pages included (its own Dutch says "je": overridden in
    locale-overrides/). Positive control: the same check finds the informal word in allauth's own catalogue."""
    import html
    import re

    settings.MFA_REQUIRED = False
    for path in ["/nl/accounts/login/", "/nl/accounts/signup/", "/nl/accounts/password/reset/"]:
        page = client.get(path).content.decode()
        main = html.unescape(re.sub(r"<[^>]+>", " ", page[page.find("<main"):page.find("</main>")]))
        assert not re.search(INFORMAL, main, re.I), (path, re.search(rf".{{0,40}}{INFORMAL}.{{0,40}}", main, re.I).group(0))
    allauth = Path(__import__("allauth").__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    assert any(re.search(INFORMAL, e.msgstr, re.I) for e in polib.pofile(str(allauth)))
    override = polib.pofile(str(Path(settings.BASE_DIR) / "locale-overrides" / "nl" / "LC_MESSAGES" / "django.po"))
    assert not [e.msgstr for e in override if re.search(INFORMAL, e.msgstr, re.I)]


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_the_admins_two_list_selector_speaks_the_admins_language(lang):
    """The admin's JavaScript (the selector of an issue's calls, for one) reads the `djangojs` catalogues: Django's
    Dutch one lacks these strings, locale-overrides/ adds them."""
    from django.utils.translation.trans_real import DjangoTranslation

    catalogue = DjangoTranslation(lang, domain="djangojs")
    strings = ["Choose all %s", "Remove all %s", "(click to clear)", "Choose selected %s", "Remove selected %s",
               'Choose %s by selecting them and then select the "Choose" arrow button.']
    assert catalogue.gettext("Available %s") != "Available %s"  # positive control: the catalogue was read
    assert [s for s in strings if catalogue.gettext(s) == s] == []
