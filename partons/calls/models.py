"""Calls for projects: the call (NL/FR texts, area, budget, ceiling, criteria), applications with budget lines,
eligibility, jury scores with conflicts of interest, the selection and its audit trail. Money in euro cents."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partons.core.translated import WRITTEN_IN, TranslatedField
from partons.territory.models import Municipality, Village


class CostCategory(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=150)
    name_fr = models.CharField(_("name (French)"), max_length=150)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("cost category")
        verbose_name_plural = _("cost categories")

    def __str__(self):
        return self.name

    name = TranslatedField()


class ApplicantType(models.TextChoices):
    RESIDENTS_PLATFORM = "residents_platform", _("residents' platform")
    VILLAGE_COUNCIL = "village_council", _("village council")
    ASSOCIATION = "association", _("association")
    COMMUNITY_CENTRE = "community_centre", _("community centre")
    LOCAL_TRADER = "local_trader", _("local trader")
    MUNICIPALITY = "municipality", _("municipality")
    RESIDENTS_GROUP = "residents_group", _("group of residents")


class Call(models.Model):
    slug = models.SlugField(_("web address (URL)"), max_length=80, unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    text_nl = models.TextField(_("text (Dutch)"))
    text_fr = models.TextField(_("text (French)"))
    themes_nl = models.CharField(_("themes (Dutch)"), max_length=500, blank=True)
    themes_fr = models.CharField(_("themes (French)"), max_length=500, blank=True)
    municipalities = models.ManyToManyField(Municipality, related_name="calls", verbose_name=_("eligible area"))
    budget_cents = models.PositiveBigIntegerField(_("total budget (cents)"))
    ceiling_cents = models.PositiveBigIntegerField(_("ceiling per project (cents)"))
    expected_projects = models.PositiveSmallIntegerField(_("expected number of projects"))
    cost_categories = models.ManyToManyField(CostCategory, related_name="calls", verbose_name=_("eligible costs"))
    applicant_types = models.JSONField(_("who may apply"), default=list)
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(_("deadline"))
    balance_sides = models.BooleanField(_("keep a balance between both sides of the border"), default=True)
    published = models.BooleanField(_("published"), default=False)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        constraints = [models.CheckConstraint(condition=Q(ceiling_cents__lte=models.F("budget_cents")),
                                              name="ceiling_within_budget")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:detail", kwargs={"slug": self.slug})

    title = TranslatedField()

    text = TranslatedField()

    themes = TranslatedField()

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.published and self.opens_at <= now < self.deadline

    @property
    def phase(self) -> str:
        now = timezone.now()
        if self.results_published_at:
            return "results"
        if now < self.opens_at:
            return "upcoming"
        if now < self.deadline:
            return "open"
        return "review"


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name_nl = models.CharField(_("criterion (Dutch)"), max_length=200)
    name_fr = models.CharField(_("criterion (French)"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")

    def __str__(self):
        return self.name

    name = TranslatedField()


class CallDocument(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="calls/")
    language = models.CharField(_("language"), max_length=2, choices=WRITTEN_IN)

    class Meta:
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ELIGIBLE = "eligible", _("eligible")
        INELIGIBLE = "ineligible", _("not eligible")
        SELECTED = "selected", _("selected")
        NOT_SELECTED = "not_selected", _("not selected")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="applications")
    organisation = models.CharField(_("organisation or group"), max_length=200)
    applicant_type = models.CharField(_("kind of applicant"), max_length=30, choices=ApplicantType.choices)
    title = models.CharField(_("project title"), max_length=200)
    # The language the applicant writes in: pages mark the title and texts with it (read aloud in that language).
    # Blank for applications written before it was asked.
    language = models.CharField(_("language"), max_length=2, choices=WRITTEN_IN, blank=True)
    idea = models.TextField(_("the project idea"), max_length=5000)
    villages = models.ManyToManyField(Village, related_name="applications", verbose_name=_("villages"))
    participants = models.TextField(_("who takes part, and how residents are involved"), max_length=3000)
    partners = models.TextField(_("partners"), max_length=2000, blank=True)
    cross_border = models.BooleanField(_("partners from the other side of the border"), default=False)
    ideas = models.ManyToManyField("ideas.Idea", blank=True, related_name="applications",
                                   verbose_name=_("ideas from the idea box it comes from"))
    timeline = models.TextField(_("timeline"), max_length=2000)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    eligibility_note = models.TextField(_("eligibility note"), blank=True)
    decision_reason = models.TextField(_("reasons of the decision"), blank=True)
    granted_cents = models.PositiveBigIntegerField(_("granted amount (cents)"), null=True, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False,
                                    help_text=_("Made up for the demo, not real data. The site says so wherever it is shown."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["call", "status"], name="application_call_status")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:application", kwargs={"pk": self.pk})

    @property
    def requested_cents(self) -> int:
        return sum(line.amount_cents for line in self.budget_lines.all())

    def can_move_to(self, status: str) -> bool:
        return status in APPLICATION_TRANSITIONS[self.Status(self.status)]

    def status_for(self, *, may_see_decision: bool) -> str:
        """The status as a person reads it: the decision (eligibility included) only for those who may see it; the
        others read "under review" until the results are published."""
        if may_see_decision or self.status in SHOWN_BEFORE_RESULTS:
            return self.get_status_display()
        return str(UNDER_REVIEW)


_S = Application.Status
# The application's workflow: which status may follow which. Who takes each step (the applicant before the deadline,
# a coordinator after) is checked by the service that takes it.
APPLICATION_TRANSITIONS = {
    _S.DRAFT: {_S.SUBMITTED},
    _S.SUBMITTED: {_S.ELIGIBLE, _S.INELIGIBLE},  # eligibility checked
    _S.ELIGIBLE: {_S.ELIGIBLE, _S.INELIGIBLE, _S.SELECTED, _S.NOT_SELECTED},  # checked again, or decided on after the jury
    _S.INELIGIBLE: {_S.ELIGIBLE, _S.INELIGIBLE},
    _S.SELECTED: {_S.SELECTED, _S.NOT_SELECTED},  # the decision may be taken again until it is published
    _S.NOT_SELECTED: {_S.SELECTED, _S.NOT_SELECTED},
}
# What everyone concerned may read as it is; other statuses read UNDER_REVIEW until the results are published.
SHOWN_BEFORE_RESULTS = {_S.DRAFT, _S.SUBMITTED}
UNDER_REVIEW = _("Under review")


class Attachment(models.Model):
    """A file sent with an application (a plan, a quote, a letter of support): PDF, image or office document."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="applications/%Y/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class BudgetLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.ForeignKey(CostCategory, on_delete=models.PROTECT, verbose_name=_("cost category"))
    description = models.CharField(_("what"), max_length=300)
    amount_cents = models.PositiveBigIntegerField(_("amount (cents)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")


class JuryAssignment(models.Model):
    """A jury member on an application; a declared conflict of interest keeps them out of it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    # Empty once the juror's account is erased: their scores stay, so that a call's ranking never changes afterwards.
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="jury_assignments")
    conflict = models.BooleanField(_("conflict of interest"), default=False)
    conflict_note = models.CharField(_("why"), max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "juror"], name="one_assignment_per_juror")]
        verbose_name = _("jury assignment")
        verbose_name_plural = _("jury assignments")


class Score(models.Model):
    assignment = models.ForeignKey(JuryAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("score (0–10)"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion"),
                       models.CheckConstraint(condition=Q(value__lte=10), name="score_at_most_10")]
        verbose_name = _("score")
        verbose_name_plural = _("scores")


class AuditEntry(models.Model):
    """Every step of a call's review and selection, kept."""

    # What each recorded step says to a reader (the codes stay in the data and the exports).
    ACTIONS = {
        "submitted": _("application submitted"), "eligible": _("found eligible"), "ineligible": _("found not eligible"),
        "jurors_assigned": _("jury members assigned"), "conflict_declared": _("conflict of interest declared"),
        "scored": _("scores given"), "selection_decided": _("selection recorded"),
        "results_published": _("results published"), "progress_report": _("progress report"),
        "final_report": _("final report"), "expense": _("expense declared"), "expense_approved": _("expense approved"),
        "expense_refused": _("expense refused"), "attendance": _("attendance at a coaching session"),
    }

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="audit")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE, related_name="audit")
    action = models.CharField(max_length=40)
    details = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    @property
    def action_label(self) -> str:
        return str(self.ACTIONS.get(self.action, self.action))


class CoachingSession(models.Model):
    """A session of the coaching trajectory, held at one of the selected projects."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    host = models.ForeignKey(Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="hosted_sessions",
                             verbose_name=_("host project"))
    place = models.CharField(_("place"), max_length=300)
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("village"))
    agenda_nl = models.TextField(_("agenda (Dutch)"), blank=True)
    agenda_fr = models.TextField(_("agenda (French)"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start")]

    def __str__(self):
        return f"{self.call} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    agenda = TranslatedField()


class Attendance(models.Model):
    session = models.ForeignKey(CoachingSession, on_delete=models.CASCADE, related_name="attendance")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "application"], name="one_attendance_per_project")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")


class ProgressReport(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("how the project is going"), max_length=5000)
    final = models.BooleanField(_("final report"), default=False)
    photo = models.ImageField(_("photo"), upload_to="projects/%Y/", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")


class Expense(models.Model):
    """Money spent against a granted budget line. Beyond what the line holds, a coordinator must approve."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        NEEDS_APPROVAL = "needs_approval", _("awaiting a coordinator's approval")
        APPROVED = "approved", _("approved over the line")
        REFUSED = "refused", _("refused")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="expenses")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("budget line"))
    description = models.CharField(_("what"), max_length=300)
    amount_cents = models.PositiveBigIntegerField(_("amount (cents)"))
    spent_on = models.DateField(_("spent on"))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["spent_on", "pk"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")


class BrainstormRequest(models.Model):
    """Someone interested but without an idea yet asks for a brainstorm session with an expert in their village."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        SCHEDULED = "scheduled", _("scheduled")
        DONE = "done", _("done")

    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    group = models.CharField(_("who you are (group, association…)"), max_length=200)
    message = models.TextField(_("what you would like to talk about"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    scheduled_at = models.DateTimeField(_("scheduled on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("brainstorm request")
        verbose_name_plural = _("brainstorm requests")
