"""Surveys (bevragingen / enquêtes): a questionnaire in Dutch and French, attached to a village, an event, a call or a
funded project, open between two moments, answered anonymously (one answer per browser, a signed cookie) or signed in
(one answer per person, held by the database), on line or keyed in from paper.

Questions are shown in their order; a question with a condition (`show_if_question` / `show_if_choice`) is shown only
when the earlier question got that choice — the rule is evaluated on the server when an answer is sent, so a hidden
question is never required and whatever was sent for it is dropped."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partons.core.translated import TranslatedField
from partons.territory.models import Village


class SurveyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(published=True, opens_at__lte=now, closes_at__gt=now)


class Survey(models.Model):
    class Access(models.TextChoices):
        ANONYMOUS = "anonymous", _("anonymous (no account needed)")
        SIGNED_IN = "signed_in", _("signed in (one answer per account)")

    slug = models.SlugField(_("web address (URL)"), max_length=80, unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    intro_nl = models.TextField(_("introduction (Dutch)"), blank=True)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="surveys",
                                verbose_name=_("village"))
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys",
                              verbose_name=_("event"), help_text=_("Its participants can be sent a link after the event."))
    call = models.ForeignKey("calls.Call", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys",
                             verbose_name=_("call for projects"))
    project = models.ForeignKey("calls.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys",
                                verbose_name=_("project"), help_text=_("A funded project; its holder may manage the survey."))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    access = models.CharField(_("who answers"), max_length=10, choices=Access.choices, default=Access.ANONYMOUS)
    published = models.BooleanField(_("published"), default=False)
    results_public = models.BooleanField(_("results public"), default=False,
                                         help_text=_("Everyone may read the results (and the API gives them)."))
    synthetic = models.BooleanField(_("synthetic"), default=False,
                                    help_text=_("Made up for the demo, not real data. The site says so wherever it is shown."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    participants_invited_at = models.DateTimeField(_("event participants invited"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyQuerySet.as_manager()

    title = TranslatedField()
    intro = TranslatedField()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="survey_closes_after_opening")]
        indexes = [models.Index(fields=["published", "opens_at", "closes_at"], name="survey_open_window")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:answer", kwargs={"slug": self.slug})

    def state(self, now=None) -> str:
        """'not_yet', 'open' or 'closed'."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "not_yet"
        return "open" if now < self.closes_at else "closed"

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The survey must close after it opens.")})


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SCALE = "scale", _("scale")
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        VILLAGE = "village", _("a village")
        POINT = "point", _("a point on the map")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text_nl = models.CharField(_("question (Dutch)"), max_length=300)
    text_fr = models.CharField(_("question (French)"), max_length=300)
    help_nl = models.CharField(_("help (Dutch)"), max_length=300, blank=True)
    help_fr = models.CharField(_("help (French)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    show_if_question = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                         verbose_name=_("show only if the question"))
    show_if_choice = models.ForeignKey("Choice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                       verbose_name=_("got the answer"))

    text = TranslatedField()
    help = TranslatedField()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.CheckConstraint(condition=Q(scale_max__gt=F("scale_min")), name="question_scale_upwards")]

    def __str__(self):
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    def clean(self):
        super().clean()
        errors = {}
        if self.scale_max is not None and self.scale_min is not None and self.scale_max <= self.scale_min:
            errors["scale_max"] = _("The scale must go upwards (e.g. from 1 to 5).")
        elif self.kind == self.Kind.SCALE and self.scale_max - self.scale_min > 10:
            errors["scale_max"] = _("A scale has at most 11 steps.")
        q, c = self.show_if_question, self.show_if_choice
        if (q is None) != (c is None):
            errors["show_if_choice"] = _("Give both the question and its answer, or neither.")
        elif q is not None and c is not None:
            if q.pk == self.pk or q.survey_id != self.survey_id:
                errors["show_if_question"] = _("Choose an earlier question of the same survey.")
            elif q.kind not in self.CHOICE_KINDS:
                errors["show_if_question"] = _("A condition reads a single or multiple choice question.")
            elif c.question_id != q.pk:
                errors["show_if_choice"] = _("This answer belongs to another question.")
            elif self.pk and (q.order, q.pk) > (self.order, self.pk):
                errors["show_if_question"] = _("Choose an earlier question of the same survey.")
        if errors:
            raise ValidationError(errors)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_nl = models.CharField(_("answer (Dutch)"), max_length=200)
    text_fr = models.CharField(_("answer (French)"), max_length=200)

    text = TranslatedField()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


class Response(models.Model):
    """One person's answers. Signed-in surveys: one per account, held by the database (a second one from another tab
    fails on the constraint and is told so). Anonymous ones hold no account at all. Paper answers are keyed in by a
    coordinator (`entered_by`) and marked as such wherever results are shown."""

    class Source(models.TextChoices):
        ONLINE = "online", _("on line")
        PAPER = "paper", _("on paper")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="survey_responses")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("respondent's village"),
                                help_text=_("The village the respondent answered (the first village question)."))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("keyed in by"))
    language = models.CharField(_("language"), max_length=2, blank=True, choices=settings.LANGUAGES,
                                help_text=_("The language of the page the answers were written on (empty for paper "
                                            "answers): free texts are shown marked with it."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="one_response_per_person")]

    @property
    def on_paper(self) -> bool:
        return self.source == self.Source.PAPER


class Answer(models.Model):
    """One answer to one question; a multiple choice gives one row per choice ticked."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "choice"], name="answer_question_choice")]
