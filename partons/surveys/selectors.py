"""Read queries of the surveys: the open ones to show beside a village, an event or a call; the questionnaire with
its conditions; whether someone answered; and the aggregated results (a fixed number of queries whatever the number
of answers)."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from django.db.models import Count, QuerySet
from django.utils import timezone

from partons.core.versions import latest_change
from partons.territory.models import Village

from .models import Answer, Question, Response, Survey

SIDES = ("BE", "FR")
TEXTS_SHOWN = 500
POINTS_SHOWN = 1000


def open_surveys(*, village=None, event=None, call=None, project=None, now=None, limit: int = 5) -> list[Survey]:
    """Published surveys open now, attached to the given place or activity."""
    qs = Survey.objects.open(now).select_related("village")
    if village is not None:
        qs = qs.filter(village=village)
    if event is not None:
        qs = qs.filter(event=event)
    if call is not None:
        qs = qs.filter(call=call)
    if project is not None:
        qs = qs.filter(project=project)
    return list(qs.order_by("closes_at", "pk")[:limit])


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.select_related("show_if_question", "show_if_choice").prefetch_related("choices")
                .order_by("order", "pk"))


def held_in_place(questions: list[Question]) -> tuple[set[int], set[int]]:
    """The questions that cannot move up, and those that cannot move down, one place: a question shown after an
    answer stays right after the question it reads (the builder leaves those buttons out; the service refuses)."""
    no_up, no_down = set(), set()
    for before, after in zip(questions, questions[1:]):
        if after.show_if_question_id == before.pk:
            no_up.add(after.pk)
            no_down.add(before.pk)
    return no_up, no_down


def respondents_villages(survey: Survey) -> QuerySet[Village]:
    """The villages the survey's respondents live in (what the results can be narrowed to), by name."""
    return selectable_villages().filter(pk__in=Response.objects.filter(survey=survey).values("village_id"))


def selectable_villages() -> QuerySet[Village]:
    """The villages a village question offers: every village of the territory (merged ones excepted)."""
    return (Village.objects.filter(merged_into__isnull=True).select_related("municipality__country")
            .defer("municipality__boundary").order_by(Village.sort_field()))


def visible_questions(questions: Iterable[Question], chosen: Mapping[int, set[int]]) -> set[int]:
    """The ids of the questions shown, given the choices ticked (question id → choice ids). A question with a condition
    is shown when its earlier question is shown and got the choice; questions come in their order. A condition left
    without its choice (the choice was deleted) no longer hides anything."""
    shown: set[int] = set()
    for q in questions:
        parent = q.show_if_question_id
        if parent is None or q.show_if_choice_id is None or (parent in shown
                                                             and q.show_if_choice_id in chosen.get(parent, set())):
            shown.add(q.pk)
    return shown


def has_answered(user, survey: Survey) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Response.objects.filter(survey=survey, user=user).exists()


def responses_of(user) -> QuerySet[Response]:
    return Response.objects.filter(user=user).select_related("survey").prefetch_related(
        "answers__question", "answers__choice", "answers__village").order_by("created_at", "pk")


def filtered_responses(survey: Survey, *, side: str | None = None, village=None) -> QuerySet[Response]:
    qs = Response.objects.filter(survey=survey)
    if side:
        qs = qs.filter(village__municipality__country__code=side)
    if village is not None:
        qs = qs.filter(village=village)
    return qs


def _side(code: str | None) -> str:
    return code if code in SIDES else ""


def results(survey: Survey, *, side: str | None = None, village=None) -> dict:
    """Everything the results page, its CSV and the API show, counted in SQL: respondents by source, side of the
    border and village; per question the answers per choice (or scale step, or village answered) in all and per side
    of the border, the free texts and the points. The side of an answer is the side of the respondent's village (the
    village they answered), and for a village question the side of the village chosen."""
    responses = filtered_responses(survey, side=side, village=village)
    questions = questions_of(survey)
    by_source_side = list(responses.values("source", "village__municipality__country__code").annotate(n=Count("pk")))
    total = sum(r["n"] for r in by_source_side)
    sides: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    for r in by_source_side:
        sides[_side(r["village__municipality__country__code"])] += r["n"]
        sources[r["source"]] += r["n"]
    per_village = list(responses.exclude(village=None).values("village_id").annotate(n=Count("pk")).order_by("-n"))
    answers = Answer.objects.filter(response__in=responses)
    answered = dict(answers.values("question_id").annotate(n=Count("response_id", distinct=True))
                    .values_list("question_id", "n"))
    counted_kinds = [Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE, Question.Kind.VILLAGE,
                     Question.Kind.POINT]
    counts: list[dict] = [dict(row) for row in answers.filter(question__kind__in=counted_kinds).values(
        "question_id", "choice_id", "number", "village_id", "village__municipality__country__code",
        "response__village__municipality__country__code").annotate(n=Count("pk"))]
    village_ids = {r["village_id"] for r in per_village} | {c["village_id"] for c in counts if c["village_id"]}
    villages = {v.pk: v for v in Village.objects.filter(pk__in=village_ids).select_related("municipality__country")
                .defer("municipality__boundary")}
    texts: dict[int, list[dict]] = defaultdict(list)
    for a in (answers.filter(question__kind__in=Question.TEXT_KINDS).exclude(text="")
              .values("question_id", "text", "response__source", "response__language", "response__village__name_nl",
                      "response__village__name_fr", "response__created_at").order_by("pk")[:TEXTS_SHOWN * len(questions)]):
        if len(texts[a["question_id"]]) < TEXTS_SHOWN:
            texts[a["question_id"]].append({
                "text": a["text"], "on_paper": a["response__source"] == Response.Source.PAPER,
                "language": a["response__language"],
                "village": a["response__village__name_fr"] if _lang() == "fr" else a["response__village__name_nl"]})
    points: dict[int, list[dict]] = defaultdict(list)
    for q_id, lon, lat, source in (answers.filter(question__kind=Question.Kind.POINT).exclude(lon=None).exclude(lat=None)
                                   .values_list("question_id", "lon", "lat", "response__source")
                                   .order_by("pk")[:POINTS_SHOWN * len(questions)]):
        if len(points[q_id]) < POINTS_SHOWN and lon is not None and lat is not None:
            points[q_id].append({"lon": round(lon, 5), "lat": round(lat, 5), "on_paper": source == Response.Source.PAPER})
    tally: dict[int, dict] = defaultdict(lambda: defaultdict(Counter))
    for c in counts:
        q_id = c["question_id"]
        key = next((c[k] for k in ("choice_id", "number", "village_id") if c[k] is not None), None)
        if key is None:
            continue
        answer_side = _side(c["village__municipality__country__code"] if c["village_id"]
                            else c["response__village__municipality__country__code"])
        tally[q_id][key]["total"] += c["n"]
        tally[q_id][key][answer_side or "unknown"] += c["n"]

    out_questions = []
    for q in questions:
        rows: list[dict] = []
        if q.kind in Question.CHOICE_KINDS:
            rows = [{"key": ch.pk, "label": ch.text, **_counts(tally[q.pk].get(ch.pk))} for ch in q.choices.all()]
        elif q.kind == Question.Kind.SCALE:
            rows = [{"key": n, "label": str(n), **_counts(tally[q.pk].get(n))} for n in range(q.scale_min, q.scale_max + 1)]
        elif q.kind in (Question.Kind.VILLAGE, Question.Kind.POINT):
            rows = sorted(({"key": v_id, "label": villages[v_id].name, "country": villages[v_id].country_code,
                            **_counts(t)} for v_id, t in tally[q.pk].items() if v_id in villages),
                          key=lambda r: (-r["total"], r["label"]))
        mean = None
        if q.kind == Question.Kind.SCALE:
            n = sum(r["total"] for r in rows)
            mean = round(sum(r["key"] * r["total"] for r in rows) / n, 2) if n else None
        n_answered = answered.get(q.pk, 0)
        for row in rows:
            row["percent"] = round(100 * row["total"] / n_answered) if n_answered else 0
        out_questions.append({"question": q, "answered": n_answered, "rows": rows, "mean": mean,
                              "has_unknown": any(r["unknown"] for r in rows),
                              "texts": texts.get(q.pk, []), "points": points.get(q.pk, [])})
    return {
        "responses": total, "online": sources[Response.Source.ONLINE], "paper": sources[Response.Source.PAPER],
        "by_side": {"BE": sides["BE"], "FR": sides["FR"], "unknown": sides[""]},
        "by_village": [{"village": villages[r["village_id"]], "n": r["n"]} for r in per_village
                       if r["village_id"] in villages],
        "questions": out_questions,
    }


def _counts(c: Counter | None) -> dict:
    c = c or Counter()
    return {"total": c["total"], "BE": c["BE"], "FR": c["FR"], "unknown": c["unknown"]}


def _lang() -> str:
    from partons.core.translated import page_language

    return page_language()


def export_rows(survey: Survey, questions: list[Question]) -> Iterable[list]:
    """One row per response for the CSV: its number, source, date, village, side and language, then one cell per question
    (choices as their Dutch / French text joined by "; ", points as "lat, lon")."""
    responses = (Response.objects.filter(survey=survey).select_related("village__municipality__country")
                 .defer("village__municipality__boundary")
                 .prefetch_related("answers__choice", "answers__village").order_by("created_at", "pk"))
    for r in responses.iterator(chunk_size=500):
        cells: dict[int, list[str]] = defaultdict(list)
        for a in r.answers.all():
            if a.choice is not None:
                cells[a.question_id].append(a.choice.text)
            elif a.number is not None:
                cells[a.question_id].append(str(a.number))
            elif a.village is not None and a.lon is None:
                cells[a.question_id].append(a.village.name)
            elif a.lon is not None:
                cells[a.question_id].append(f"{a.lat:.6f}, {a.lon:.6f}")
            elif a.text:
                cells[a.question_id].append(a.text)
        v = r.village
        yield [r.pk, r.source, timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
               v.name if v is not None else "", v.country_code if v is not None else "", r.language] + [
            "; ".join(cells.get(q.pk, [])) for q in questions]


def data_version() -> str:
    """Changes whenever a survey is added or edited (published, opened, closed): pages listing open surveys can be
    kept under it (with a time step of their own, since surveys also open and close with the clock)."""
    return latest_change(Survey)


def managed_by(user) -> list[Survey]:
    """The surveys `user` manages: all of them for a coordinator, those of their funded projects for a holder."""
    from . import permissions

    qs = Survey.objects.select_related("village", "project").annotate(n_responses=Count("responses"))
    if not permissions.is_coordinator(user):
        qs = qs.filter(project__in=permissions.funded_projects_of(user))
        return [s for s in qs.order_by("-opens_at", "pk") if permissions.can_manage_survey(user, s)]
    return list(qs.order_by("-opens_at", "pk")[:200])


def answered_question_ids(survey: Survey) -> set[int]:
    """The questions of `survey` that have answers (they can no longer be removed)."""
    return set(Answer.objects.filter(question__survey=survey).values_list("question_id", flat=True).distinct())
