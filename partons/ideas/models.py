"""The idea box: residents' ideas for their village, supports, comments, follows, flags, and a public history
of statuses with the team's answers. Nothing a resident wrote is deleted by moderation: it is hidden, with a
reason the author can read."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partons.core.translated import WRITTEN_IN
from partons.observatory.models import Facility, ServiceCategory
from partons.territory.models import LAT_VALIDATORS, LON_VALIDATORS, Village

TITLE_MAX = 150
DESCRIPTION_MAX = 5000
COMMENT_MAX = 2000
REASON_MAX = 1000


class Theme(models.TextChoices):
    SERVICES = "services", _("Services")
    MEETING_PLACES = "meeting_places", _("Meeting places")
    MOBILITY = "mobility", _("Mobility")
    NATURE = "nature", _("Nature and landscape")
    HERITAGE = "heritage", _("Heritage")
    FOOD = "food", _("Food and local produce")
    YOUTH = "youth", _("Children and youth")
    ELDERLY = "elderly", _("Elderly and care")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    UNDER_REVIEW = "under_review", _("under review")
    PROJECT = "project", _("turned into a project")
    SENT_TO_MUNICIPALITY = "sent_to_municipality", _("sent to the municipality")
    MERGED = "merged", _("merged into another idea")
    REALISED = "realised", _("realised")
    DECLINED = "declined", _("declined")


# Which status may follow which (the public workflow).
TRANSITIONS = {
    Status.RECEIVED: {Status.UNDER_REVIEW, Status.MERGED, Status.DECLINED},
    Status.UNDER_REVIEW: {Status.PROJECT, Status.SENT_TO_MUNICIPALITY, Status.MERGED, Status.DECLINED, Status.RECEIVED},
    Status.PROJECT: {Status.REALISED, Status.DECLINED, Status.UNDER_REVIEW},
    Status.SENT_TO_MUNICIPALITY: {Status.REALISED, Status.DECLINED, Status.UNDER_REVIEW},
    Status.MERGED: {Status.UNDER_REVIEW},
    Status.REALISED: set(),
    Status.DECLINED: {Status.UNDER_REVIEW},
}
# Statuses whose change needs a written answer.
NEEDS_ANSWER = {Status.DECLINED, Status.MERGED, Status.SENT_TO_MUNICIPALITY, Status.PROJECT, Status.REALISED}


class Source(models.TextChoices):
    ONLINE = "online", _("online")
    PAPER = "paper", _("paper (idea box in a village)")


class IdeaQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False)


class Idea(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="ideas",
                                verbose_name=_("village"))
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=LON_VALIDATORS)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=LAT_VALIDATORS)
    language = models.CharField(_("language"), max_length=2, choices=WRITTEN_IN)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="ideas", verbose_name=_("author"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    paper_box = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("idea box of"), help_text=_("For an idea on paper: the village of the box."))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    status = models.CharField(_("status"), max_length=25, choices=Status.choices, default=Status.RECEIVED)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_ideas",
                                    verbose_name=_("merged into"))
    answer = models.TextField(_("official answer"), blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=REASON_MAX, blank=True)
    facilities = models.ManyToManyField(Facility, blank=True, related_name="ideas", verbose_name=_("services it is about"))
    category = models.ForeignKey(ServiceCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("kind of service it is about"),
                                 help_text=_("Shows the village's access to that kind of service on the idea's page."))
    project_url = models.URLField(_("project that came out of it"), blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False,
                                    help_text=_("Made up for the demo: not a real resident's idea (shown as such)."))
    supports_count = models.PositiveIntegerField(default=0, editable=False)
    comments_count = models.PositiveIntegerField(default=0, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IdeaQuerySet.as_manager()

    # What is said of an idea, declared once: the fields its author writes (the form offers them, the services take
    # nothing else from a resident), the plain fields the public API and its CSV/GeoJSON exports give (with
    # the place, labels and address they add), and those its author gets in the personal-data export (with the
    # village and the photos). A field added to the model and to one of these lists appears in all of them.
    SUBMITTED_FIELDS = ("title", "description", "theme", "language", "village", "lon", "lat", "category")  # by its author
    PUBLIC_FIELDS = ("title", "description", "language", "theme", "status", "source", "received_on", "supports_count",
                     "comments_count", "answer", "created_at", "synthetic")
    AUTHOR_FIELDS = ("title", "description", "theme", "language", "lon", "lat", "status", "hidden", "hidden_reason",
                     "created_at")

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at"]
        indexes = [
            # The whole sort of each list order, so a page is read from the index, not sorted.
            models.Index(fields=["hidden", "-created_at", "-id"], name="idea_newest"),
            models.Index(fields=["hidden", "-supports_count", "-created_at", "-id"], name="idea_supported"),
            models.Index(fields=["hidden", "-comments_count", "-created_at", "-id"], name="idea_discussed"),
            models.Index(fields=["hidden", "status"], name="idea_status"),
            models.Index(fields=["hidden", "theme"], name="idea_theme"),
            models.Index(fields=["lon", "lat"], name="idea_point"),
            models.Index(fields=["updated_at"], name="idea_updated"),  # the latest change: the ideas' data version
        ]
        constraints = [
            models.CheckConstraint(condition=Q(source="online") | Q(received_on__isnull=False), name="paper_idea_has_date"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ideas:detail", kwargs={"pk": self.pk})

    @property
    def point(self):
        if self.lon is not None:
            return self.lon, self.lat
        if self.village_id:
            return self.village.lon, self.village.lat
        return None


class IdeaPhoto(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="ideas/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo of an idea")
        verbose_name_plural = _("photos of ideas")


class StatusChange(models.Model):
    """The public history of an idea's status, with the team's answer."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    old = models.CharField(max_length=25, choices=Status.choices, blank=True)
    new = models.CharField(max_length=25, choices=Status.choices)
    answer = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


class Support(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_support_per_person")]
        verbose_name = _("support")
        verbose_name_plural = _("supports")


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_follow_per_person")]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="idea_comments")
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    official = models.BooleanField(default=False, help_text="Written by the programme team.")
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")


class Flag(models.Model):
    """A resident's report that an idea or a comment breaks the rules."""

    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("what is wrong"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        indexes = [models.Index(fields=["handled_at", "-created_at"], name="flag_queue")]
        constraints = [models.CheckConstraint(condition=Q(idea__isnull=False) | Q(comment__isnull=False),
                                              name="flag_has_target")]


class ModerationAction(models.Model):
    """Hide / restore of an idea or comment, kept as an audit trail."""

    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation")
    action = models.CharField(max_length=10, choices=[("hide", "hide"), ("restore", "restore")])
    reason = models.CharField(max_length=REASON_MAX, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
