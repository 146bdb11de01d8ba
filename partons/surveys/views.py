"""Pages of the surveys: the list of open surveys, the answer page (works without JavaScript: conditions are
evaluated on the server when the answer is sent), the results (charts with their tables, by side of the border and
by village, free texts, CSV), paper answers keyed in and the link sent to an event's participants."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partons.core.clientip import client_ip
from partons.core.csvfile import csv_response
from partons.core.forms import add_service_errors
from partons.core.maps import map_config
from partons.core.ratelimit import RateLimited
from partons.core.text import posted_id
from partons.territory.models import Village

from . import permissions, selectors, services
from .forms import QuestionForm, ResultsFilterForm, SurveyForm, SurveySettingsForm, answer_items
from .models import Choice, Question, Survey

COOKIE_SALT = "partons.surveys.answered"


def _cookie_name(survey) -> str:
    return f"partons_survey_{survey.pk}"


def _answered_here(request, survey) -> bool:
    return request.get_signed_cookie(_cookie_name(survey), default=None, salt=COOKIE_SALT) == "1"


def _survey_or_404(request, slug) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("village", "event", "call", "project"), slug=slug)
    if not permissions.can_see_survey(request.user, survey):
        raise Http404
    return survey


@require_GET
def index(request):
    surveys = selectors.open_surveys(limit=100)
    return render(request, "surveys/index.html", {
        "surveys": surveys, "can_build": permissions.is_coordinator(request.user)
        or permissions.funded_projects_of(request.user).exists()})


def _answer_context(request, survey, questions, data=None, errors=None) -> dict:
    signed_in = survey.access == Survey.Access.SIGNED_IN
    answered = (selectors.has_answered(request.user, survey) if signed_in else _answered_here(request, survey))
    villages = list(selectors.selectable_villages()) if any(q.kind in ("village", "point") for q in questions) else []
    return {
        "survey": survey, "state": survey.state(), "answered": answered, "signed_in": signed_in,
        "items": answer_items(questions, data or {}, errors or {}, villages), "errors": errors or {},
        "general_errors": (errors or {}).get("__all__", []),
        "map": map_config(), "can_manage": permissions.can_manage_survey(request.user, survey),
        "can_see_results": permissions.can_see_results(request.user, survey),
        "needs_login": signed_in and not request.user.is_authenticated,
    }


@require_http_methods(["GET", "POST"])
def answer(request, slug):
    survey = _survey_or_404(request, slug)
    questions = selectors.questions_of(survey)
    if request.method == "GET":
        return render(request, "surveys/answer.html", _answer_context(request, survey, questions))
    try:
        services.submit(survey=survey, by=request.user, data=request.POST, answered_here=_answered_here(request, survey),
                        client_key=client_ip(request))
    except RateLimited:
        messages.error(request, _("Too many answers from here in a short time: try again later."))
        return redirect(survey)
    except PermissionDenied:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        messages.error(request, _("This survey is not published: it takes no answer yet."))
        return redirect(survey)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        context = _answer_context(request, survey, questions, request.POST, errors)
        return render(request, "surveys/answer.html", context, status=400)
    messages.success(request, _("Thank you: your answer is recorded."))
    response = redirect(survey)
    if survey.access == Survey.Access.ANONYMOUS:
        max_age = max(int((survey.closes_at - survey.opens_at).total_seconds()), 0) + 365 * 86400
        response.set_signed_cookie(_cookie_name(survey), "1", salt=COOKIE_SALT, max_age=max_age, httponly=True,
                                   samesite="Lax", secure=request.is_secure())
    return response


@require_GET
def results(request, slug):
    survey = _survey_or_404(request, slug)
    if not permissions.can_see_results(request.user, survey):
        raise Http404
    form = ResultsFilterForm(request.GET, villages=selectors.respondents_villages(survey))
    side, village = form.chosen()
    data = selectors.results(survey, side=side, village=village)
    charts = [{"id": f"chart-q{item['question'].pk}", "labels": [r["label"] for r in item["rows"]],
               "BE": [r["BE"] for r in item["rows"]], "FR": [r["FR"] for r in item["rows"]],
               "unknown": [r["unknown"] for r in item["rows"]]}
              for item in data["questions"] if item["rows"]]
    for item in data["questions"]:
        item["points_id"] = f"points-data-q{item['question'].pk}"
    return render(request, "surveys/results.html", {
        "survey": survey, "results": data, "form": form, "charts": charts, "filtered": bool(side or village),
        "map": map_config(),
        "can_manage": permissions.can_manage_survey(request.user, survey),
        "can_invite": permissions.can_invite_participants(request.user, survey),
    }, status=400 if form.errors else 200)


def _managed_survey(request, slug) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("village", "event", "project"), slug=slug)
    if not permissions.can_manage_survey(request.user, survey):
        raise PermissionDenied
    return survey


@login_required
@require_GET
def results_csv(request, slug):
    survey = _managed_survey(request, slug)
    questions = selectors.questions_of(survey)
    header = ["response", "source", "answered_at", "village", "side", "language"] + [
        f"q{i}_{q.kind}: {q.text}" for i, q in enumerate(questions, 1)]
    return csv_response(f"survey-{survey.slug}.csv", header, selectors.export_rows(survey, questions))


@login_required
@require_http_methods(["GET", "POST"])
def paper(request, slug):
    survey = _managed_survey(request, slug)
    questions = selectors.questions_of(survey)
    context = {"paper": True, "count": survey.responses.filter(source="paper").count()}
    if request.method == "POST":
        try:
            services.enter_paper_answer(by=request.user, survey=survey, data=request.POST)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            return render(request, "surveys/answer.html",
                          {**_answer_context(request, survey, questions, request.POST, errors), **context}, status=400)
        messages.success(request, _("Paper answer recorded. You can key in the next one."))
        return redirect("surveys:paper", slug=survey.slug)
    return render(request, "surveys/answer.html", {**_answer_context(request, survey, questions), **context})


@login_required
@require_POST
def invite(request, slug):
    survey = _managed_survey(request, slug)
    try:
        n = services.invite_participants(by=request.user, survey=survey)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ngettext("The link is on its way to %(n)s participant.",
                                           "The link is on its way to %(n)s participants.", n) % {"n": n})
    return redirect("surveys:results", slug=survey.slug)


# --- building a survey on the site (project holders; coordinators also have the admin) ---------------------------

@login_required
@require_GET
def mine(request):
    """The surveys one manages, and the way to a new one for a funded project."""
    return render(request, "surveys/mine.html", {
        "surveys": selectors.managed_by(request.user),
        "projects": list(permissions.funded_projects_of(request.user)),
        "is_coordinator": permissions.is_coordinator(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    projects = list(permissions.funded_projects_of(request.user).prefetch_related("villages"))
    if not projects:
        raise PermissionDenied
    form = SurveyForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            survey = services.create_survey(by=request.user, project=form.projects.get(d["project"]),
                                            village=Village.objects.filter(pk=d["village"]).first(),
                                            **{k: d[k] for k in ("title_nl", "title_fr", "intro_nl", "intro_fr",
                                                                 "opens_at", "closes_at", "access", "results_public")})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The survey is created. Add its questions, then publish it."))
            return redirect("surveys:edit", slug=survey.slug)
    return render(request, "surveys/new.html", {"form": form}, status=400 if form.errors else 200)


def _question_fields(form, survey) -> dict:
    """What a valid question form says, as the services take it."""
    d = form.cleaned_data
    choice = (Choice.objects.filter(pk=d["show_if"], question__survey=survey).select_related("question").first()
              if d["show_if"] else None)
    return {"kind": d["kind"], "text_nl": d["text_nl"], "text_fr": d["text_fr"], "required": d["required"],
            "choices": d["choices"], "scale_min": d["scale_min"] if d["scale_min"] is not None else 1,
            "scale_max": d["scale_max"] if d["scale_max"] is not None else 5, "show_if_choice": choice}


@login_required
@require_http_methods(["GET", "POST"])
def question(request, slug, pk):
    """Rewrite one question, while nobody answered it."""
    survey = _managed_survey(request, slug)
    questions = selectors.questions_of(survey)
    q = next((q for q in questions if q.pk == pk), None)
    if q is None:
        raise Http404
    number = questions.index(q) + 1
    if pk in selectors.answered_question_ids(survey):
        messages.error(request, _("This question has answers: it can no longer be changed."))
        return redirect("surveys:edit", slug=slug)
    initial = {"kind": q.kind, "text_nl": q.text_nl, "text_fr": q.text_fr, "required": q.required,
               "choices": "\n".join(f"{c.text_nl} | {c.text_fr}" for c in q.choices.all()),
               "scale_min": q.scale_min, "scale_max": q.scale_max, "show_if": q.show_if_choice_id}
    form = QuestionForm(request.POST or None, initial=initial, questions=questions[:number - 1])
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(by=request.user, question=q, **_question_fields(form, survey))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Question %(n)s is saved.") % {"n": number})
            return redirect(reverse("surveys:edit", kwargs={"slug": slug}) + f"#q-{q.pk}")
    return render(request, "surveys/question.html", {"survey": survey, "question": q, "number": number, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    survey = _managed_survey(request, slug)
    questions = selectors.questions_of(survey)
    form = QuestionForm(request.POST if request.POST.get("action") == "add" else None, questions=questions)
    settings_fields = ("title_nl", "title_fr", "intro_nl", "intro_fr", "opens_at", "closes_at", "access", "results_public")
    settings_form = SurveySettingsForm(request.POST if request.POST.get("action") == "settings" else None,
                                       initial={f: getattr(survey, f) for f in settings_fields})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "settings" and settings_form.is_valid():
                services.update_survey(by=request.user, survey=survey,
                                       **{f: settings_form.cleaned_data[f] for f in settings_fields})
                messages.success(request, _("The survey is saved."))
                return redirect("surveys:edit", slug=slug)
            if action == "add" and form.is_valid():
                services.add_question(by=request.user, survey=survey, **_question_fields(form, survey))
                messages.success(request, _("Question added."))
                return redirect("surveys:edit", slug=slug)
            if action == "delete":
                question = get_object_or_404(Question, pk=posted_id(request.POST.get("question")) or 0, survey=survey)
                services.delete_question(by=request.user, question=question)
                messages.success(request, _("Question removed."))
                return redirect("surveys:edit", slug=slug)
            if action in ("up", "down"):
                question = get_object_or_404(Question, pk=posted_id(request.POST.get("question")) or 0, survey=survey)
                services.move_question(by=request.user, question=question, up=action == "up")
                return redirect(reverse("surveys:edit", kwargs={"slug": slug}) + f"#q-{question.pk}")
            if action in ("publish", "unpublish"):
                services.set_published(by=request.user, survey=survey, published=action == "publish")
                messages.success(request, _("The survey is published.") if action == "publish"
                                 else _("The survey is no longer published."))
                return redirect("surveys:edit", slug=slug)
        except ValidationError as exc:
            if action in ("add", "settings"):
                add_service_errors(form if action == "add" else settings_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("surveys:edit", slug=slug)
    no_up, no_down = selectors.held_in_place(questions)
    return render(request, "surveys/edit.html", {"survey": survey, "questions": questions, "form": form,
                                                 "no_up": no_up, "no_down": no_down,
                                                 "settings_form": settings_form,
                                                 "answered": selectors.answered_question_ids(survey)},
                  status=400 if form.errors or settings_form.errors else 200)
