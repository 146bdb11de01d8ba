"""The media library: the programme's reports, brochures, maps and videos, with their titles and summaries in Dutch
and French. A publication carries a document (checked by content and size, stored under a random name, served by the
app) or a link; a video is always a link to where it is hosted — never a file, never embedded from another server."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partons.core.text import fold
from partons.core.translated import TranslatedField, active_side
from partons.core.uploads import KIND_NAMES

TITLE_MAX = 250
SUMMARY_MAX = 4000
DEFAULT_LICENCE = "All rights reserved"


class Kind(models.TextChoices):
    REPORT = "report", pgettext_lazy("publication kind", "Report")
    BROCHURE = "brochure", _("Brochure")
    MAP = "map", _("Map")
    VIDEO = "video", _("Video")
    OTHER = "other", _("Other")


class Theme(models.TextChoices):
    """The programme's fields of work (its twelve actions grouped), plus the regional vision."""

    EVERYDAY_SERVICES = "everyday_services", _("Everyday services")
    PARTICIPATION = "participation", _("Participation")
    CROSS_BORDER = "cross_border", _("Cross-border cooperation")
    LANDSCAPE_HERITAGE = "landscape_heritage", _("Landscape and heritage")
    MOBILITY = "mobility", _("Mobility")
    VILLAGE_CENTRES = "village_centres", _("Village centres and spatial planning")
    PROJECTS = "projects", _("Pilot projects and project portfolio")
    REGIONAL_VISION = "regional_vision", _("Regional vision and action plan")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    """The language(s) the document itself is written in (its titles and summaries here are always NL and FR)."""

    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    BILINGUAL = "bilingual", _("Dutch and French")
    EN = "en", _("English")


# Which document languages a reader of a language can read: a bilingual document counts for both.
READABLE_IN = {"nl": ("nl", "bilingual"), "fr": ("fr", "bilingual"), "bilingual": ("bilingual",), "en": ("en",)}


class DatePrecision(models.TextChoices):
    DAY = "day", _("exact day")
    MONTH = "month", _("month only")
    YEAR = "year", _("year only")


def rule_errors(*, kind: str, url: str, has_file: bool) -> dict[str, object]:
    """What a publication must carry, by kind: a video is a link (to where it is hosted) and never a file; the others
    may have a file, a link, both or neither (a paper-only record). Used by the model and by the admin's form."""
    errors: dict[str, object] = {}
    if kind == Kind.VIDEO:
        if not url:
            errors["url"] = _("A video needs the link to where it is published.")
        if has_file:
            errors["file"] = _("A video is published as a link, not as a file: remove the file.")
    return errors


class PublicationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Publication(models.Model):
    slug = models.SlugField(_("web address (URL)"), max_length=100, unique=True, blank=True,
                            help_text=_("Part of the page's address; made from the Dutch title when left empty."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title_nl = models.CharField(_("title (Dutch)"), max_length=TITLE_MAX)
    title_fr = models.CharField(_("title (French)"), max_length=TITLE_MAX,
                                help_text=_("A document's own title may stay as it is in both fields."))
    summary_nl = models.TextField(_("summary (Dutch)"), max_length=SUMMARY_MAX, blank=True)
    summary_fr = models.TextField(_("summary (French)"), max_length=SUMMARY_MAX, blank=True)
    summary_by_platform = models.BooleanField(
        _("summary written by the platform"), default=False,
        help_text=_("Tick when the summary was written by the programme team or the platform, not by the authors: the "
                    "page says so."))
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    published_on = models.DateField(_("publication date"))
    date_precision = models.CharField(_("precision of the date"), max_length=5, choices=DatePrecision.choices,
                                      default=DatePrecision.DAY,
                                      help_text=_("When only the year or the month is known, the page shows only that."))
    language = models.CharField(_("language of the document"), max_length=10, choices=Language.choices)
    file = models.FileField(_("file"), upload_to="publications/%Y/", blank=True, max_length=200)
    file_name = models.CharField(_("original file name"), max_length=200, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0, editable=False)
    file_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    url = models.URLField(_("link"), max_length=500, blank=True, validators=[URLValidator(schemes=["http", "https"])],
                          help_text=_("Where the publication can be read or watched on another site. Required for a "
                                      "video."))
    licence = models.CharField(_("licence"), max_length=100, default=DEFAULT_LICENCE,
                               help_text=_("For example CC BY 4.0, Licence Ouverte, All rights reserved."))
    author_organisation = models.CharField(_("author (organisation)"), max_length=200, blank=True,
                                           help_text=_("The organisation(s) that made it. No personal names."))
    published = models.BooleanField(_("published"), default=False)
    synthetic = models.BooleanField(_("synthetic demo data"), default=False,
                                    help_text=_("Made up for a demonstration (in part or whole): the pages say so."))
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_on", "-pk"]
        indexes = [
            # The list's order (newest first) read from the index; each filter narrows it.
            models.Index(fields=["published", "-published_on", "-id"], name="publication_newest"),
            models.Index(fields=["published", "kind", "-published_on"], name="publication_kind"),
            models.Index(fields=["published", "theme", "-published_on"], name="publication_theme"),
            models.Index(fields=["published", "language", "-published_on"], name="publication_language"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="video") | (~Q(url="") & Q(file="")), name="video_is_a_link",
                                   violation_error_message=_("A video is a link, not a file.")),
        ]

    def __str__(self):
        return self.title or self.slug

    def get_absolute_url(self):
        return reverse("publications:detail", kwargs={"slug": self.slug})

    def get_file_url(self):
        return reverse("publications:file", kwargs={"slug": self.slug}) if self.file else ""

    title = TranslatedField()
    summary = TranslatedField()

    def clean(self):
        errors = rule_errors(kind=self.kind, url=self.url, has_file=bool(self.file))
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join((self.title_nl, self.title_fr, self.summary_nl, self.summary_fr,
                                          self.author_organisation)))
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    # --- the texts in the page's language, and in the other one, each with its language (for `lang` attributes) ---

    def _pick(self, base: str, *, other: bool = False) -> tuple[str, str]:
        first, second = active_side()
        shown = first if getattr(self, f"{base}_{first}") else second
        if other:
            code = second if shown == first else first
            value = getattr(self, f"{base}_{code}")
            return (value, code) if value and value != getattr(self, f"{base}_{shown}") else ("", code)
        return getattr(self, f"{base}_{shown}"), shown

    @property
    def title_lang(self) -> str:
        return self._pick("title")[1]

    @property
    def other_title(self) -> str:
        return self._pick("title", other=True)[0]

    @property
    def other_title_lang(self) -> str:
        return self._pick("title", other=True)[1]

    @property
    def summary_lang(self) -> str:
        return self._pick("summary")[1]

    @property
    def other_summary(self) -> str:
        return self._pick("summary", other=True)[0]

    @property
    def other_summary_lang(self) -> str:
        return self._pick("summary", other=True)[1]

    @property
    def file_kind(self) -> str:
        """'PDF', 'JPEG', 'DOCX'…: what the file is, for people."""
        ext = "." + self.file_name.rsplit(".", 1)[-1].lower() if "." in self.file_name else ""
        return KIND_NAMES.get(ext, "")

    @property
    def licence_display(self) -> str:
        """The licence as people read it: the default one in the page's language."""
        from django.utils.translation import gettext

        return gettext("All rights reserved") if self.licence == DEFAULT_LICENCE else self.licence

    @property
    def link_host(self) -> str:
        from urllib.parse import urlsplit

        host = urlsplit(self.url).hostname or "" if self.url else ""
        return host.removeprefix("www.")
