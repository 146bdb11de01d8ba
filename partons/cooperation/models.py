"""Cross-border cooperation: the partner organisations, the groups they meet in (steering groups, project groups,
executive boards, working groups) with their members, meetings, minutes, decisions and files, and the regional action
plan (pillars, actions with their lead organisation, milestones, indicators and links to projects, calls and events).

A meeting's agenda, minutes, decisions and files belong to the group: only its members and the coordinators see them
(see `selectors.visible_meetings`). The action plan is public."""
from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partons.core.translated import TranslatedField
from partons.territory.models import Country, Municipality, Village


# --- partner organisations --------------------------------------------------------------------------------------

class OrganisationKind(models.TextChoices):
    PROVINCE = "province", _("province")
    DEPARTMENT = "department", _("department")
    REGION = "region", _("region")
    INTERMUNICIPAL = "intermunicipal", _("intermunicipal body")
    MUNICIPALITY = "municipality", _("municipality")
    NATURAL_PARK = "natural_park", _("natural park / regional landscape")
    HERITAGE_CELL = "heritage_cell", _("heritage cell")
    PLANNING_AGENCY = "planning_agency", _("planning agency")
    EGTC = "egtc", _("European grouping of territorial cooperation (EGTC)")
    ASSOCIATION = "association", _("association")
    OTHER = "other", _("other")


class ProgrammeRole(models.TextChoices):
    LEAD = "lead", _("project lead")
    PARTNER = "partner", _("partner")
    ASSOCIATED = "associated", _("associated partner")
    OTHER = "other", _("other")


PROGRAMME_ROLE_ORDER: dict[str, int] = {ProgrammeRole.LEAD: 0, ProgrammeRole.PARTNER: 1, ProgrammeRole.ASSOCIATED: 2, ProgrammeRole.OTHER: 3}


class Organisation(models.Model):
    """A partner organisation. No personal data: the contact is a role (“project coordinator”), never a name."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_other = models.CharField(_("name in the other language"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("country"),
                                help_text=_("Empty for a cross-border body (an EGTC, for instance)."))
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    programme_role = models.CharField(_("role in the programme"), max_length=12, choices=ProgrammeRole.choices,
                                      default=ProgrammeRole.PARTNER)
    website = models.URLField(_("website"), blank=True)
    contact_role = models.CharField(_("contact (a role, not a person)"), max_length=150, blank=True,
                                    help_text=_("For instance “project coordinator”. Never a person's name."))
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("municipality"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


# --- groups, members, meetings ---------------------------------------------------------------------------------

class GroupKind(models.TextChoices):
    STEERING = "steering", _("steering group")
    PROJECT = "project", _("project group")
    EXECUTIVE = "executive", _("executive board")
    WORKING = "working", _("working group")


class Group(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices)
    slug = models.SlugField(_("web address (URL)"), max_length=80, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="groups",
                                           verbose_name=_("organisations"))
    active = models.BooleanField(_("active"), default=True)
    synthetic = models.BooleanField(_("synthetic"), default=False,
                                    help_text=_("Made up for the demo, not real data. The site says so wherever it is shown."))
    created_at = models.DateTimeField(auto_now_add=True)

    name = TranslatedField()
    description = TranslatedField()

    class Meta:
        ordering = ["kind", "name_nl"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cooperation:group", kwargs={"slug": self.slug})


class Membership(models.Model):
    """A person in a group, for an organisation. Their name and e-mail are shown to the other members only if they
    agreed (`show_contact`); otherwise the others see their organisation and role."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships",
                             verbose_name=_("person"))
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="memberships", verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=150, blank=True,
                            help_text=_("What they do for their organisation, e.g. “alderman” or “project officer”."))
    is_chair = models.BooleanField(_("chair"), default=False)
    show_contact = models.BooleanField(_("show my name and e-mail address to the other members"), default=False)
    joined = models.DateField(_("joined"), default=timezone.localdate)

    class Meta:
        ordering = ["-is_chair", "organisation__name", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_person_and_group"),
            models.UniqueConstraint(fields=["group"], condition=Q(is_chair=True), name="one_chair_per_group"),
        ]

    def __str__(self):
        return f"{self.group} — {self.organisation or '—'}"


class Meeting(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("group"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("village"))
    agenda = models.TextField(_("agenda"), blank=True, max_length=10_000)
    minutes = models.TextField(_("minutes"), blank=True, max_length=50_000)
    minutes_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("minutes written by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["group", "starts_at"], name="meeting_group_start")]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start")]

    def __str__(self):
        return f"{self.group} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("cooperation:meeting", kwargs={"pk": self.pk})

    @property
    def label(self) -> str:
        return self.title or str(self.group)


class Decision(models.Model):
    """A decision taken in a meeting, possibly about an action of the plan (then listed on the action's page for
    those who may see the group's documents)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting"))
    text = models.TextField(_("decision"), max_length=3000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    action = models.ForeignKey("Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions",
                               verbose_name=_("about the action"))

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text[:80]


class MeetingAttachment(models.Model):
    """A meeting's file (checked by its content, stored under a random name, served by a permission-checked view)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("meeting"))
    file = models.FileField(_("file"), upload_to="cooperation/%Y/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("added on"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("meeting file")
        verbose_name_plural = _("meeting files")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cooperation:attachment", kwargs={"pk": self.meeting_id, "attachment_id": self.pk})


@receiver(post_delete, sender=MeetingAttachment)
def _delete_file(sender, instance, **kwargs):
    """However a file's record goes (removed by its chair, with its meeting or group in the admin), the private file
    goes too, once the deletion is committed."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))


# --- the regional action plan -----------------------------------------------------------------------------------

class Pillar(models.Model):
    order = models.PositiveSmallIntegerField(_("number"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)

    name = TranslatedField()
    description = TranslatedField()

    class Meta:
        ordering = ["order"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")

    def __str__(self):
        return f"{self.order}. {self.name}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    ON_HOLD = "on_hold", _("on hold")


class Action(models.Model):
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="actions", verbose_name=_("pillar"))
    number = models.PositiveSmallIntegerField(_("number in the pillar"))
    slug = models.SlugField(_("web address (URL)"), max_length=80, unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    lead = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_actions",
                             verbose_name=_("lead organisation"))
    lead_is_assumption = models.BooleanField(
        _("lead organisation is a demo assumption"), default=False,
        help_text=_("The sources name no lead for this action: the one shown was assumed for the demo. The site says so."))
    working_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions",
                                      verbose_name=_("working group"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    public = models.BooleanField(_("public"), default=True)
    projects = models.ManyToManyField("calls.Application", blank=True, related_name="actions",
                                      verbose_name=_("projects"),
                                      help_text=_("Only projects selected in a call whose results are published are shown."))
    calls = models.ManyToManyField("calls.Call", blank=True, related_name="actions", verbose_name=_("calls for projects"))
    events = models.ManyToManyField("events.Event", blank=True, related_name="actions", verbose_name=_("events"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)

    title = TranslatedField()
    description = TranslatedField()

    class Meta:
        ordering = ["pillar__order", "number"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [models.UniqueConstraint(fields=["pillar", "number"], name="one_action_number_per_pillar"),
                       models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                                              | Q(ends_on__gte=F("starts_on")), name="action_ends_after_start")]

    def __str__(self):
        return f"{self.code} {self.title}" if self.pillar_id else self.title

    def get_absolute_url(self):
        return reverse("cooperation:action", kwargs={"slug": self.slug})

    @property
    def code(self) -> str:
        return f"{self.pillar.order}.{self.number}"


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("action"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True, help_text=_("Empty if the date is not known."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    title = TranslatedField()

    class Meta:
        ordering = ["order", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.done_on is not None:
            self.done = True
        super().save(*args, **kwargs)

    def is_overdue(self, today=None) -> bool:
        return not self.done and self.due_on is not None and self.due_on < (today or timezone.localdate())


class Indicator(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("action"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    current_value = models.DecimalField(_("current value"), max_digits=14, decimal_places=2, default=0)
    updated_on = models.DateField(_("updated on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = TranslatedField()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    @property
    def percent(self) -> int | None:
        """Progress towards the target, in percent (may pass 100); None without a positive target."""
        if self.target_value is None or self.target_value <= 0:
            return None
        return int(round(100 * self.current_value / self.target_value))

    @property
    def bar_value(self):
        """The value for a <progress> bar (never past its maximum)."""
        if self.target_value is None:
            return None
        return min(self.current_value, self.target_value)
