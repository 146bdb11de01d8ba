"""Every write of the surveys: an answer sent on line or keyed in from paper, and the link sent to an event's
participants. One transaction each.

One answer per person: on a signed-in survey the database holds it (`one_response_per_person`), so two answers sent
at the same moment from two tabs give one response and a clear message, never an error page; on an anonymous survey
the browser keeps a signed cookie (the view reads it) and a rate limit per address slows down ballot stuffing."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partons.core import mail
from partons.core.ratelimit import hit
from partons.core.tasks import task
from partons.core.text import one_line, posted_id
from partons.territory.models import Village

from . import permissions, selectors
from .models import Answer, Question, Response, Survey

ANSWERS_PER_HOUR = 30  # per address (anonymous) or account: a family sharing a connection is far below it
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
# The cross-border Westhoek and around: a point far outside it is a typing error (lon/lat swapped, a sign lost).
REGION_LON = (1.3, 3.6)
REGION_LAT = (50.2, 51.5)

Kind = Question.Kind


def already_answered_message() -> str:
    return _("You have already answered this survey: one answer per person.")


def _values(data: Mapping, name: str) -> list[str]:
    """The values posted under `name` as a list of stripped strings (a QueryDict, a dict of lists or of strings)."""
    raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
    if isinstance(raw, (str, int, float)):
        raw = [raw]
    return [str(v).strip() for v in raw if v is not None and str(v).strip() != ""]


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".").replace("\u2212", "-"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _integer(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def clean_answers(survey: Survey, questions: Sequence[Question], data: Mapping) -> tuple[list[Answer], Village | None]:
    """Read what was sent for each question (field `q<id>`; a point also `q<id>_lon`, `q<id>_lat` or `q<id>_village`),
    evaluate the conditions, check every visible question. Returns the answers (not saved) and the respondent's village
    (the first village answered). ValidationError with one message per field otherwise. A hidden question is never
    required and whatever was sent for it is dropped."""
    errors: dict[str, str] = {}
    chosen: dict[int, set[int]] = {}
    for q in questions:  # the choices ticked, read first: conditions look at them
        if q.kind in Question.CHOICE_KINDS:
            valid = {c.pk for c in q.choices.all()}
            chosen[q.pk] = {i for i in (posted_id(v) for v in _values(data, q.field_name)) if i in valid}
    shown = selectors.visible_questions(questions, chosen)
    answers: list[Answer] = []
    respondent_village: Village | None = None
    villages_by_id: dict[int, Village] = {}
    wanted: set[int | None] = {posted_id(v) for q in questions if q.pk in shown and q.kind in (Kind.VILLAGE, Kind.POINT)
              for v in _values(data, q.field_name if q.kind == Kind.VILLAGE else f"{q.field_name}_village")}
    wanted.discard(None)
    if wanted:
        villages_by_id = {v.pk: v for v in selectors.selectable_villages().filter(pk__in=[i for i in wanted if i])}
    for q in questions:
        if q.pk not in shown:
            continue
        name = q.field_name
        values = _values(data, name)
        empty_message = _("Answer this question.")
        if q.kind == Kind.SINGLE:
            if len(values) > 1:
                errors[name] = _("Choose one answer only.")
            elif values and not chosen[q.pk]:
                errors[name] = _("Choose one of the answers given.")
            elif chosen[q.pk]:
                answers.append(Answer(question=q, choice_id=next(iter(chosen[q.pk]))))
        elif q.kind == Kind.MULTIPLE:
            empty_message = _("Tick at least one answer.")
            if len(chosen[q.pk]) != len(set(values)):
                errors[name] = _("Choose among the answers given.")
            else:
                answers += [Answer(question=q, choice_id=c) for c in sorted(chosen[q.pk])]
        elif q.kind == Kind.SCALE:
            if values:
                n = _integer(values[0]) if len(values) == 1 else None
                if n is None or not q.scale_min <= n <= q.scale_max:
                    errors[name] = _("Choose a value from %(min)s to %(max)s.") % {"min": q.scale_min, "max": q.scale_max}
                else:
                    answers.append(Answer(question=q, number=n))
        elif q.kind in Question.TEXT_KINDS:
            text = "\n".join(values).strip()
            limit = SHORT_TEXT_MAX if q.kind == Kind.SHORT_TEXT else LONG_TEXT_MAX
            if q.kind == Kind.SHORT_TEXT:
                text = one_line(text)
            if len(text) > limit:
                errors[name] = _("At most %(n)s characters (this answer has %(m)s).") % {"n": limit, "m": len(text)}
            elif text:
                answers.append(Answer(question=q, text=text))
        elif q.kind == Kind.VILLAGE:
            if values:
                village = villages_by_id.get(posted_id(values[0]) or 0)
                if village is None or len(values) > 1:
                    errors[name] = _("Choose a village from the list.")
                else:
                    answers.append(Answer(question=q, village=village))
                    respondent_village = respondent_village or village
        elif q.kind == Kind.POINT:
            empty_message = _("Place a point on the map, type its coordinates or choose a village.")
            lon_s, lat_s = _values(data, f"{name}_lon")[:1], _values(data, f"{name}_lat")[:1]
            village_s = _values(data, f"{name}_village")[:1]
            values = lon_s + lat_s + village_s
            if lon_s or lat_s:
                lon, lat = (_number(lon_s[0]) if lon_s else None), (_number(lat_s[0]) if lat_s else None)
                if lon is None or lat is None:
                    errors[name] = _("Give both longitude and latitude as numbers (e.g. 2.8271 and 50.7833).")
                elif not (REGION_LON[0] <= lon <= REGION_LON[1] and REGION_LAT[0] <= lat <= REGION_LAT[1]):
                    errors[name] = _("This point lies outside the region: check the longitude and the latitude.")
                else:
                    answers.append(Answer(question=q, lon=lon, lat=lat))
            elif village_s:
                village = villages_by_id.get(posted_id(village_s[0]) or 0)
                if village is None:
                    errors[name] = _("Choose a village from the list.")
                else:
                    answers.append(Answer(question=q, village=village, lon=village.lon, lat=village.lat))
        if q.required and not values and name not in errors:
            errors[name] = empty_message
    if errors:
        raise ValidationError(errors)
    return answers, respondent_village


def submit(*, survey: Survey, by, data: Mapping, answered_here: bool = False, client_key: str = "",
           now=None) -> Response:
    """An answer sent on line. `answered_here`: this browser's cookie says it already answered (anonymous surveys);
    `client_key` names the sender for the rate limit (the address). Errors name the field (`q<id>`); a second answer
    of the same person gets `already_answered_message`."""
    now = now or timezone.now()
    if not permissions.can_see_survey(by, survey) or not survey.published:
        raise PermissionDenied
    state = survey.state(now)
    if state == "not_yet":
        raise ValidationError(_("This survey opens on %(when)s.") % {
            "when": timezone.localtime(survey.opens_at).strftime("%d/%m/%Y %H:%M")})
    if state == "closed":
        raise ValidationError(_("This survey is closed."))
    signed_in = survey.access == Survey.Access.SIGNED_IN
    if signed_in and not getattr(by, "is_authenticated", False):
        raise PermissionDenied(_("Log in to answer this survey."))
    if answered_here and not signed_in:
        raise ValidationError(already_answered_message())
    if signed_in and selectors.has_answered(by, survey):
        raise ValidationError(already_answered_message())
    hit(f"surveys:answer:{by.pk if signed_in else client_key}", limit=ANSWERS_PER_HOUR, window_s=3600)
    questions = selectors.questions_of(survey)
    answers, village = clean_answers(survey, questions, data)
    return _save(survey, answers, village, user=by if signed_in else None, source=Response.Source.ONLINE, entered_by=None,
                 language=(translation.get_language() or "")[:2])


def enter_paper_answer(*, by, survey: Survey, data: Mapping) -> Response:
    """A paper form keyed in by someone who manages the survey: checked like an answer on line (the required
    questions, the conditions), marked as from paper, with nobody's account; accepted after the survey closed too
    (forms collected while it was open)."""
    if not permissions.can_manage_survey(by, survey):
        raise PermissionDenied
    questions = selectors.questions_of(survey)
    answers, village = clean_answers(survey, questions, data)
    return _save(survey, answers, village, user=None, source=Response.Source.PAPER, entered_by=by)


def _save(survey, answers, village, *, user, source, entered_by, language: str = "") -> Response:
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, user=user, source=source, village=village,
                                               entered_by=entered_by, language=language)
            for a in answers:
                a.response = response
            Answer.objects.bulk_create(answers)
    except IntegrityError as exc:  # the same person's answer from another tab got there first
        if user is not None and Response.objects.filter(survey=survey, user=user).exists():
            raise ValidationError(already_answered_message()) from exc
        raise
    return response


def invite_participants(*, by, survey: Survey, now=None) -> int:
    """After the event, e-mail a link to the survey to everyone whose registration was confirmed. Once per survey;
    the survey must be published and still open. Returns how many people are written to."""
    from partons.events.models import Registration

    now = now or timezone.now()
    if not permissions.can_invite_participants(by, survey):
        raise PermissionDenied
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.participants_invited_at is not None:
            raise ValidationError(_("The participants were already sent the link on %(when)s.") % {
                "when": timezone.localtime(locked.participants_invited_at).strftime("%d/%m/%Y %H:%M")})
        event = locked.event
        if event is None or event.ends_at > now:
            raise ValidationError(_("The event is not over yet: send the link after it."))
        if not locked.published or locked.state(now) != "open":
            raise ValidationError(_("Publish the survey and let it be open before sending the link."))
        n = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED,
                                        user__isnull=False).count()
        locked.participants_invited_at = now
        locked.save(update_fields=["participants_invited_at", "updated_at"])
    transaction.on_commit(lambda: send_invitations.enqueue(survey_id=survey.pk))
    survey.participants_invited_at = now
    return n


@task()
def send_invitations(survey_id: int) -> None:
    from partons.events.models import Registration

    survey = Survey.objects.select_related("event").get(pk=survey_id)
    event = survey.event
    if event is None:
        return
    for reg in Registration.objects.filter(event=survey.event, status=Registration.Status.CONFIRMED,
                                           user__isnull=False).select_related("user"):
        mail.send_to_user(reg.user, "surveys/email/invitation.txt",
                          lambda: _("[Partons] Your opinion on: %(title)s") % {"title": one_line(event.title)[:80]},
                          lambda: {"survey": survey, "event": event,
                                   "url": mail.absolute_url(survey.get_absolute_url())})


# --- building a survey on the site (project holders; coordinators also have the admin) -----------------------------

def _unique_slug(title: str) -> str:
    from django.utils.text import slugify

    base = (slugify(title)[:70] or "survey").strip("-") or "survey"
    slug, n = base, 2
    while Survey.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _settings_errors(*, title_nl: str, title_fr: str, opens_at, closes_at) -> dict[str, str]:
    """What a survey's settings must hold, for creating and editing alike: both titles, and closing after opening."""
    errors = {}
    if not title_nl:
        errors["title_nl"] = _("Give the title in Dutch.")
    if not title_fr:
        errors["title_fr"] = _("Give the title in French.")
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = _("The survey must close after it opens.")
    return errors


def create_survey(*, by, title_nl: str, title_fr: str, opens_at, closes_at, project=None, village=None,
                  intro_nl: str = "", intro_fr: str = "", access: str = Survey.Access.ANONYMOUS,
                  results_public: bool = False) -> Survey:
    """A new survey, unpublished until its questions are in. A project holder creates one for their funded project,
    about one of its villages; errors name the field."""
    if not permissions.can_create_survey(by, project=project, village=village):
        if (project is not None and village is not None and project.applicant_id == by.pk
                and project.status == permissions.FUNDED):
            raise ValidationError({"village": _("Choose one of the villages of your project.")})
        raise PermissionDenied
    title_nl, title_fr = one_line(title_nl), one_line(title_fr)
    errors = _settings_errors(title_nl=title_nl, title_fr=title_fr, opens_at=opens_at, closes_at=closes_at)
    if access not in Survey.Access.values:
        errors["access"] = _("Choose who answers.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return Survey.objects.create(slug=_unique_slug(title_nl), title_nl=title_nl[:200], title_fr=title_fr[:200],
                                     intro_nl=intro_nl.strip(), intro_fr=intro_fr.strip(), project=project, village=village,
                                     opens_at=opens_at, closes_at=closes_at, access=access, results_public=results_public,
                                     created_by=by)


def _question_errors(*, kind: str, text_nl: str, text_fr: str, choices: Sequence[tuple[str, str]]) -> dict[str, str]:
    errors = {}
    if kind not in Question.Kind.values:
        errors["kind"] = _("Choose the type of question.")
    if not text_nl:
        errors["text_nl"] = _("Give the question in Dutch.")
    if not text_fr:
        errors["text_fr"] = _("Give the question in French.")
    if kind in Question.CHOICE_KINDS:
        if len(choices) < 2:
            errors["choices"] = _("Give at least two answers to choose from, one a line.")
        elif any(not nl.strip() or not fr.strip() for nl, fr in choices):
            errors["choices"] = _("Give each answer in Dutch and in French, as “Dutch | French”.")
    return errors


def _fill_question(q: Question, *, kind, text_nl, text_fr, required, help_nl, help_fr, scale_min, scale_max,
                   show_if_choice, errors: dict) -> None:
    """Set the question's fields as written; the model's own checks join `errors`; raise them all at once."""
    if kind != Question.Kind.SCALE:
        scale_min, scale_max = 1, 5
    q.kind, q.text_nl, q.text_fr, q.required = kind, text_nl[:300], text_fr[:300], required
    q.help_nl, q.help_fr = one_line(help_nl)[:300], one_line(help_fr)[:300]
    q.scale_min, q.scale_max = scale_min, scale_max
    q.show_if_question = show_if_choice.question if show_if_choice is not None else None
    q.show_if_choice = show_if_choice
    try:
        q.clean()
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)


def add_question(*, by, survey: Survey, kind: str, text_nl: str, text_fr: str, required: bool = False,
                 help_nl: str = "", help_fr: str = "", choices: Sequence[tuple[str, str]] = (), scale_min: int = 1,
                 scale_max: int = 5, show_if_choice=None) -> Question:
    """A question at the end of the survey. Choice questions need two answers at least, each in Dutch and French
    (`choices`); a condition (`show_if_choice`) is an answer of an earlier choice question of this survey."""
    if not permissions.can_manage_survey(by, survey):
        raise PermissionDenied
    text_nl, text_fr = one_line(text_nl), one_line(text_fr)
    errors = _question_errors(kind=kind, text_nl=text_nl, text_fr=text_fr, choices=choices)
    with transaction.atomic():
        Survey.objects.select_for_update().get(pk=survey.pk)  # questions are numbered one after the other
        last = survey.questions.order_by("-order").values_list("order", flat=True).first() or 0
        q = Question(survey=survey, order=last + 1)
        _fill_question(q, kind=kind, text_nl=text_nl, text_fr=text_fr, required=required, help_nl=help_nl,
                       help_fr=help_fr, scale_min=scale_min, scale_max=scale_max, show_if_choice=show_if_choice,
                       errors=errors)
        q.save()
        for i, (nl, fr) in enumerate(choices if kind in Question.CHOICE_KINDS else ()):
            q.choices.create(order=i, text_nl=one_line(nl)[:200], text_fr=one_line(fr)[:200])
    return q


def update_question(*, by, question: Question, kind: str, text_nl: str, text_fr: str, required: bool = False,
                    help_nl: str = "", help_fr: str = "", choices: Sequence[tuple[str, str]] = (),
                    scale_min: int = 1, scale_max: int = 5, show_if_choice=None) -> Question:
    """Rewrite a question while nobody answered it (what was answered stays as it was asked). Its answers to choose
    from are recognised by their text (`_match_choices`), so a later question's condition follows its answer when the
    lines are reordered or one language is corrected; an answer that a condition reads cannot be dropped, nor can the
    question stop being a choice."""
    survey = question.survey
    if not permissions.can_manage_survey(by, survey):
        raise PermissionDenied
    text_nl, text_fr = one_line(text_nl), one_line(text_fr)
    errors = _question_errors(kind=kind, text_nl=text_nl, text_fr=text_fr, choices=choices)
    with transaction.atomic():
        Survey.objects.select_for_update().get(pk=survey.pk)
        q = Question.objects.select_related("survey").get(pk=question.pk)
        if q.answers.exists():
            raise ValidationError(_("This question has answers: it can no longer be changed."))
        pairs = [(one_line(nl)[:200], one_line(fr)[:200]) for nl, fr in (choices if kind in Question.CHOICE_KINDS else ())]
        matched = _match_choices(list(q.choices.order_by("order", "pk")), pairs)
        dropped = {c.pk: c for c in q.choices.exclude(pk__in=[c.pk for c in matched if c is not None])}
        numbers = _numbers(survey)
        for dependent in Question.objects.filter(show_if_question=q, show_if_choice__in=list(dropped)):
            field = "kind" if kind not in Question.CHOICE_KINDS else "choices"
            errors.setdefault(field, _("Question %(n)s is shown only after the answer “%(answer)s”: change that "
                                       "condition first.") % {"n": numbers.get(dependent.pk, "?"),
                                                             "answer": dropped[dependent.show_if_choice_id or 0].text})
        _fill_question(q, kind=kind, text_nl=text_nl, text_fr=text_fr, required=required, help_nl=help_nl,
                       help_fr=help_fr, scale_min=scale_min, scale_max=scale_max, show_if_choice=show_if_choice,
                       errors=errors)
        q.save()
        q.choices.filter(pk__in=list(dropped)).delete()
        for i, ((nl, fr), choice) in enumerate(zip(pairs, matched)):
            if choice is None:
                q.choices.create(order=i, text_nl=nl, text_fr=fr)
            else:
                choice.order, choice.text_nl, choice.text_fr = i, nl, fr
                choice.save(update_fields=["order", "text_nl", "text_fr"])
    return q


def _match_choices(existing: list, pairs: list[tuple[str, str]]) -> list:
    """Which existing answer each written line is: the one with the same Dutch or French text (moved lines keep
    their identity, and a condition on them), else — a line rewritten in both languages — the one left in its
    place; None for a new answer."""
    def same(a: str, b: str) -> bool:
        return a.casefold() == b.casefold()

    matched: list = [None] * len(pairs)
    free = list(existing)
    for i, (nl, fr) in enumerate(pairs):
        found = next((c for c in free if same(c.text_nl, nl) or same(c.text_fr, fr)), None)
        if found is not None:
            matched[i] = found
            free.remove(found)
    for i in range(len(pairs)):
        if matched[i] is None and i < len(existing) and existing[i] in free:
            matched[i] = existing[i]
            free.remove(existing[i])
    return matched


def move_question(*, by, question: Question, up: bool) -> None:
    """One place up or down. A question shown after an answer stays after the question that asks it."""
    survey = question.survey
    if not permissions.can_manage_survey(by, survey):
        raise PermissionDenied
    with transaction.atomic():
        Survey.objects.select_for_update().get(pk=survey.pk)
        order = list(survey.questions.order_by("order", "pk"))
        i = next(n for n, q in enumerate(order) if q.pk == question.pk)
        j = i - 1 if up else i + 1
        if not 0 <= j < len(order):
            return  # already first or last: nothing to do
        first, second = (order[j], order[i]) if up else (order[i], order[j])  # `second` goes before `first`
        if second.show_if_question_id == first.pk:
            raise ValidationError(_("Question %(later)s is shown after an answer to question %(earlier)s: it stays "
                                    "after it.") % {"later": min(i, j) + 2, "earlier": min(i, j) + 1})
        order[i], order[j] = order[j], order[i]
        for n, q in enumerate(order, 1):
            q.order = n
        Question.objects.bulk_update(order, ["order"])


def delete_question(*, by, question: Question) -> None:
    """Only while nobody answered it (answers are never thrown away) and no other question is shown after one of its
    answers (that question would then be asked of everyone: its condition is changed first)."""
    if not permissions.can_manage_survey(by, question.survey):
        raise PermissionDenied
    with transaction.atomic():
        if question.answers.exists():
            raise ValidationError(_("This question has answers: it can no longer be removed."))
        dependent = Question.objects.filter(show_if_question=question).order_by("order", "pk").first()
        if dependent is not None:
            numbers = _numbers(question.survey)
            raise ValidationError(_("Question %(n)s is shown only after an answer to this one: change or remove that "
                                    "condition first.") % {"n": numbers.get(dependent.pk, "?")})
        question.delete()


def _numbers(survey: Survey) -> dict[int, int]:
    """{question id: its number as the builder shows it (1, 2, …)}."""
    return {pk: n for n, pk in enumerate(survey.questions.order_by("order", "pk").values_list("pk", flat=True), 1)}


def set_published(*, by, survey: Survey, published: bool) -> Survey:
    if not permissions.can_manage_survey(by, survey):
        raise PermissionDenied
    if published and not survey.questions.exists():
        raise ValidationError(_("Add a question before publishing the survey."))
    with transaction.atomic():
        survey.published = published
        survey.save(update_fields=["published", "updated_at"])
    return survey


def update_survey(*, by, survey: Survey, title_nl: str, title_fr: str, opens_at, closes_at, intro_nl: str = "",
                  intro_fr: str = "", access: str | None = None, results_public: bool = False) -> Survey:
    """Its texts, dates and the publicity of its results. Who answers (`access`) changes only while nobody answered
    (one answer per person would mean something else for the answers already in)."""
    if not permissions.can_manage_survey(by, survey):
        raise PermissionDenied
    title_nl, title_fr = one_line(title_nl), one_line(title_fr)
    errors = _settings_errors(title_nl=title_nl, title_fr=title_fr, opens_at=opens_at, closes_at=closes_at)
    access = access or survey.access
    if access not in Survey.Access.values:
        errors["access"] = _("Choose who answers.")
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if access != locked.access and locked.responses.exists():
            errors["access"] = _("People have answered already: who answers can no longer change.")
        if errors:
            raise ValidationError(errors)
        for field, value in (("title_nl", title_nl[:200]), ("title_fr", title_fr[:200]), ("intro_nl", intro_nl.strip()),
                             ("intro_fr", intro_fr.strip()), ("opens_at", opens_at), ("closes_at", closes_at),
                             ("access", access), ("results_public", results_public)):
            setattr(locked, field, value)
        locked.save()
    return locked
