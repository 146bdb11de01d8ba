"""The newsletter: people who subscribed by e-mail (with or without an account), the issues coordinators write in
Dutch and French, and one delivery row per issue and subscriber, written before anything is sent, so that a sending
interrupted by a restart goes on where it stopped and never sends anyone the same issue twice."""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partons.core.translated import TranslatedField

SUBJECT_MAX = 200
BODY_MAX = 40000
CONFIRM_DAYS = 7  # a confirmation link older than this has expired (the address is forgotten)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Language(models.TextChoices):
    NL = "nl", _("Dutch")
    FR = "fr", _("French")


class Subscription(models.Model):
    """One address on the list. Pending until its owner follows the confirmation link (double opt-in); unsubscribing
    deletes the row, so that nothing is kept of an address that left."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.NL)
    themes = models.JSONField(_("themes"), default=list, blank=True,
                              help_text=_("None chosen: every theme."))
    villages = models.ManyToManyField("territory.Village", blank=True, related_name="+", verbose_name=_("villages"))
    municipalities = models.ManyToManyField("territory.Municipality", blank=True, related_name="+",
                                            verbose_name=_("municipalities"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="newsletter_subscription", verbose_name=_("account"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent on"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given on"), null=True, blank=True,
                                      help_text=_("When the owner of the address confirmed the subscription."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "language"], name="subscription_audience")]
        constraints = [
            models.CheckConstraint(condition=Q(status="pending") | Q(consent_at__isnull=False),
                                   name="confirmed_subscription_has_consent"),
        ]

    def __str__(self):
        return self.email

    def get_manage_url(self):
        return reverse("newsletters:manage", kwargs={"token": self.token})

    def get_unsubscribe_url(self):
        return reverse("newsletters:unsubscribe", kwargs={"token": self.token})


class Issue(models.Model):
    """One issue of the newsletter, written in Dutch and French (or one of them for that side's readers only)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")

    class Languages(models.TextChoices):
        BOTH = "both", _("Dutch and French (each reader in their language)")
        NL = "nl", _("Dutch readers only")
        FR = "fr", _("French readers only")

    subject_nl = models.CharField(_("subject (Dutch)"), max_length=SUBJECT_MAX, blank=True)
    subject_fr = models.CharField(_("subject (French)"), max_length=SUBJECT_MAX, blank=True)
    body_nl = models.TextField(_("text (Dutch)"), max_length=BODY_MAX, blank=True,
                               help_text=_("Markdown: **bold**, *italic*, [a link](https://…), lists with -, titles with ##. "
                                           "An image of this issue: ![description](image:1)."))
    body_fr = models.TextField(_("text (French)"), max_length=BODY_MAX, blank=True,
                               help_text=_("Markdown: **bold**, *italic*, [a link](https://…), lists with -, titles with ##. "
                                           "An image of this issue: ![description](image:1)."))
    languages = models.CharField(_("readers"), max_length=4, choices=Languages.choices, default=Languages.BOTH)
    themes = models.JSONField(_("themes"), default=list, blank=True,
                              help_text=_("Sent to those who chose one of these themes (and to those who chose none). "
                                          "None: everyone."))
    villages = models.ManyToManyField("territory.Village", blank=True, related_name="+", verbose_name=_("villages"),
                                      help_text=_("Sent to those who follow one of these villages or its municipality "
                                                  "(and to those who follow the whole region). None: everyone."))
    municipalities = models.ManyToManyField("territory.Municipality", blank=True, related_name="+",
                                            verbose_name=_("municipalities"))
    calls = models.ManyToManyField("calls.Call", blank=True, related_name="+", verbose_name=_("calls for projects"))
    events = models.ManyToManyField("events.Event", blank=True, related_name="+", verbose_name=_("events"))
    ideas = models.ManyToManyField("ideas.Idea", blank=True, related_name="+", verbose_name=_("ideas"))
    publications = models.ManyToManyField("publications.Publication", blank=True, related_name="+",
                                          verbose_name=_("publications"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    synthetic = models.BooleanField(_("synthetic demo data"), default=False,
                                    help_text=_("Made up for a demonstration: the pages say so."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sending_started_at = models.DateTimeField(_("sending started"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True, editable=False)

    subject = TranslatedField()
    body = TranslatedField()

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-sent_at", "-created_at"]
        indexes = [models.Index(fields=["status", "-sent_at"], name="issue_archive")]

    def __str__(self):
        return self.subject or f"#{self.pk}"  # in the page's language, else the other

    def language_codes(self) -> tuple[str, ...]:
        return ("nl", "fr") if self.languages == self.Languages.BOTH else (self.languages,)

    def get_absolute_url(self):
        return reverse("newsletters:issue", kwargs={"pk": self.pk})


def image_path(instance, filename):
    return f"newsletters/{filename}"


class IssueImage(models.Model):
    """An image of an issue, placed in its text as ![description](image:N), N its number in the issue."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="images")
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Write ![description](image:N) in the text."))
    image = models.ImageField(_("image"), upload_to=image_path, max_length=200)
    alt_nl = models.CharField(_("description (Dutch)"), max_length=200,
                              help_text=_("What the image shows, for those who cannot see it."))
    alt_fr = models.CharField(_("description (French)"), max_length=200)

    alt = TranslatedField()

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["issue", "number"], name="unique_image_number_per_issue")]

    def __str__(self):
        return f"image:{self.number}"

    def get_absolute_url(self):
        return reverse("newsletters:image", kwargs={"pk": self.pk})


class Delivery(models.Model):
    """One issue to one subscriber. Written for the whole audience before the first message goes; a row is claimed
    (committed) before its message is handed to the mail server and marked sent after, so a restart never sends it
    again: a row left claimed by a crash is counted as interrupted, not sent twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        INTERRUPTED = "interrupted", _("interrupted (not sent again)")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    # Erased with the subscriber's address: what was sent stays counted (anonymous), what was waiting goes
    # (services.forget).
    subscription = models.ForeignKey(Subscription, null=True, on_delete=models.SET_NULL, related_name="deliveries")
    language = models.CharField(max_length=2, choices=Language.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["issue", "subscription"], name="one_delivery_per_subscriber")]
        indexes = [models.Index(fields=["issue", "status"], name="delivery_progress")]

    def __str__(self):
        return f"{self.issue_id} → {self.subscription_id}"
