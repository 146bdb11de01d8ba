"""Pages of the idea box. Views parse input, call one service or selector, render."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partons.core.forms import add_service_errors
from partons.core.cached import CachedCountPaginator, public_page
from partons.core.clientip import client_ip
from partons.core.files import file_response
from partons.core.maps import map_config
from partons.core.ratelimit import RateLimited
from partons.core.text import posted_id
from partons.territory import selectors as territory
from partons.territory.models import Country

from . import permissions, selectors, services
from .forms import CommentForm, FlagForm, IdeaForm, LinkForm, PaperIdeaForm, ReasonForm, StatusForm
from .models import TRANSITIONS, Comment, Idea, Source, Status, Theme

PAGE_SIZE = 20


def _filters(request) -> dict:
    g = request.GET
    f = {"theme": g.get("theme") if g.get("theme") in Theme.values else "",
         "status": g.get("status") if g.get("status") in Status.values else "",
         "language": g.get("language") if g.get("language") in ("nl", "fr") else "",
         "country": g.get("country", "").upper() if g.get("country", "").upper() in ("BE", "FR") else "",
         "q": g.get("q", "").strip()[:100], "sort": g.get("sort") if g.get("sort") in selectors.SORTS else "newest",
         "village": None, "municipality": None}
    if g.get("village"):
        f["village"] = territory.villages().filter(slug=g["village"]).first()
    if g.get("municipality"):
        try:
            f["municipality"] = territory.municipality_by_key(g["municipality"])
        except Http404:
            f["municipality"] = None
    return f


@require_GET
@public_page(selectors.data_version)
def idea_list(request):
    f = _filters(request)
    qs = selectors.public_ideas(village=f["village"], municipality=f["municipality"], theme=f["theme"] or None,
                                status=f["status"] or None, language=f["language"] or None, country=f["country"] or None,
                                q=f["q"] or None, sort=f["sort"])
    page = CachedCountPaginator(qs, PAGE_SIZE, version=selectors.data_version()).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    api_params = params.copy()
    for k in ("sort",):
        api_params.pop(k, None)
    return render(request, "ideas/list.html", {
        "page": page, "f": f, "filtered": any(v for k, v in f.items() if k != "sort"), "themes": Theme.choices, "statuses": Status.choices, "countries": Country.objects.all(),
        "querystring": params.urlencode(), "api_query": api_params.urlencode(), "map": map_config(),
        **territory.place_choices(),
    })


def _photos(request):
    return request.FILES.getlist("photos")


@login_required
@require_http_methods(["GET", "POST"])
def idea_new(request):
    lang = (request.LANGUAGE_CODE or "nl")[:2]
    initial = {"language": lang if lang in ("nl", "fr") else "nl"}
    if request.GET.get("village"):
        v = territory.villages().filter(slug=request.GET["village"]).first()
        if v:
            initial["village"] = v.pk
    form = IdeaForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.submit_idea(by=request.user, ip=client_ip(request), **form.service_data())
        except RateLimited:
            messages.error(request, _("You have sent many ideas in a short time. Please wait an hour."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you! Your idea is in the idea box. You will get an e-mail when it moves on."))
            response = redirect(idea)
            response.set_cookie("partons_idea_sent", "1", max_age=60, samesite="Lax")  # the page clears the draft
            return response
    return render(request, "ideas/form.html", {"form": form, "map": map_config(), "paper": False})


@login_required
@require_http_methods(["GET", "POST"])
def idea_paper(request):
    """Coordinators record ideas that came in on paper, so the online box holds them all."""
    if not permissions.can_record_paper_ideas(request.user):
        raise PermissionDenied
    form = PaperIdeaForm(request.POST or None, request.FILES or None, initial={"language": "nl"})
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.record_paper_idea(by=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The paper idea is recorded."))
            return redirect(idea)
    return render(request, "ideas/form.html", {"form": form, "map": map_config(), "paper": True})


def _visible_or_404(request, pk) -> Idea:
    idea = get_object_or_404(Idea.objects.select_related("village__municipality__country", "author", "merged_into",
                                                         "category", "paper_box"), pk=pk)
    if idea.hidden and not (permissions.is_team(request.user) or (request.user.is_authenticated and idea.author_id == request.user.pk)):
        raise Http404
    return idea


@require_GET
def idea_detail(request, pk):
    idea = _visible_or_404(request, pk)
    user = request.user
    supported = following = False
    if user.is_authenticated:
        supported = idea.supports.filter(user=user).exists()
        following = idea.follows.filter(user=user).exists()
    comments = selectors.visible_comments(idea, viewer=user)
    threads = [c for c in comments if c.parent_id is None]
    replies = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    access = None
    if idea.village_id and idea.category_id:
        from partons.analysis import selectors as access_selectors

        figs = access_selectors.figures_by_key(access_selectors.rows(villages=[idea.village]).filter(
            category=idea.category), with_facility=True)
        access = {mode: f for (cat, mode, _d), f in figs.items()}
    return render(request, "ideas/detail.html", {
        "idea": idea, "photos": idea.photos.all(), "history": idea.status_changes.select_related("by"),
        "threads": [(c, replies.get(c.pk, [])) for c in threads], "supported": supported, "following": following,
        "comment_form": CommentForm(), "flag_form": FlagForm(), "team": permissions.is_team(user),
        "can_take_part": permissions.can_take_part(user, idea), "can_flag": permissions.can_flag(user),
        "status_form": StatusForm(), "next_statuses": [(s.value, s.label) for s in Status if s in TRANSITIONS[Status(idea.status)]],
        "reason_form": ReasonForm(), "link_form": LinkForm(initial={
            "facilities": ",".join(str(f.pk) for f in idea.facilities.all()), "category": idea.category_id,
            "project_url": idea.project_url}),
        "facilities": idea.facilities.select_related("category", "village"), "access": access,
        "merged": idea.merged_ideas.visible(),
        "projects": idea.applications.filter(status="selected", call__results_published_at__isnull=False).select_related("call"), "map": map_config(), "is_author": user.is_authenticated and idea.author_id == user.pk,
    })


def _idea_for_post(request, pk) -> Idea:
    return _visible_or_404(request, pk)


@login_required
@require_POST
def idea_support(request, pk):
    idea = _idea_for_post(request, pk)
    try:
        if request.POST.get("withdraw"):
            services.withdraw_support(idea=idea, by=request.user)
            messages.success(request, _("Your support is withdrawn."))
        else:
            services.support(idea=idea, by=request.user)
            messages.success(request, _("You support this idea."))
    except RateLimited:
        messages.error(request, _("Too many actions in a short time. Please wait a moment."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(idea)


@login_required
@require_POST
def idea_follow(request, pk):
    idea = _idea_for_post(request, pk)
    if request.POST.get("stop"):
        services.unfollow(idea=idea, by=request.user)
        messages.success(request, _("You no longer follow this idea."))
    else:
        services.follow(idea=idea, by=request.user)
        messages.success(request, _("You follow this idea: you get an e-mail when its status changes or someone answers."))
    return redirect(idea)


@login_required
@require_POST
def idea_comment(request, pk):
    idea = _idea_for_post(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(f"{idea.get_absolute_url()}#comments")
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], idea=idea).first()
    try:
        c = services.comment(idea=idea, by=request.user, body=form.cleaned_data["body"], parent=parent)
    except RateLimited:
        messages.error(request, _("Too many comments in a short time. Please wait a moment."))
        return redirect(f"{idea.get_absolute_url()}#comments")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{idea.get_absolute_url()}#comments")
    messages.success(request, _("Your comment is published."))
    return redirect(f"{idea.get_absolute_url()}#comment-{c.pk}")


@login_required
@require_POST
def idea_flag(request, pk):
    idea = _idea_for_post(request, pk)
    if not permissions.can_flag(request.user):
        raise PermissionDenied
    form = FlagForm(request.POST)
    comment_ = None
    if request.POST.get("comment"):
        comment_ = get_object_or_404(Comment, pk=posted_id(request.POST["comment"]) or 0, idea=idea)
    if form.is_valid():
        try:
            services.flag(by=request.user, reason=form.cleaned_data["reason"], idea=None if comment_ else idea, comment_=comment_)
            messages.success(request, _("Thank you: a moderator will look at it."))
        except RateLimited:
            messages.error(request, _("Too many reports in a short time. Please wait a moment."))
    else:
        messages.error(request, _("Say what is wrong."))
    return redirect(idea)


@login_required
@require_POST
def idea_status(request, pk):
    idea = get_object_or_404(Idea, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect(idea)
    merged_into = None
    if form.cleaned_data.get("merged_into"):
        merged_into = Idea.objects.filter(pk=form.cleaned_data["merged_into"]).first()
    try:
        services.change_status(idea=idea, by=request.user, status=form.cleaned_data["status"],
                               answer=form.cleaned_data["answer"], merged_into=merged_into)
        messages.success(request, _("Status changed; the followers get an e-mail."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(idea)


@login_required
@require_POST
def moderate(request, pk):
    """Hide or restore an idea or one of its comments; dismiss flags."""
    idea = get_object_or_404(Idea, pk=pk)
    comment_ = (get_object_or_404(Comment, pk=posted_id(request.POST["comment"]) or 0, idea=idea)
                if request.POST.get("comment") else None)
    action = request.POST.get("action")
    target = {"idea": None if comment_ else idea, "comment_": comment_}
    try:
        if action == "hide":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the author a reason."))
            services.hide(by=request.user, reason=form.cleaned_data["reason"], **target)
            messages.success(request, _("Hidden. The author sees why; nothing is deleted."))
        elif action == "restore":
            services.restore(by=request.user, **target)
            messages.success(request, _("Restored."))
        elif action == "dismiss":
            services.dismiss_flags(by=request.user, **target)
            messages.success(request, _("The flags are dismissed."))
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.POST.get("next") == "queue":
        return redirect("ideas:moderation")
    return redirect(idea)


@login_required
@require_POST
def idea_link(request, pk):
    idea = get_object_or_404(Idea, pk=pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(idea)
    services.link(by=request.user, idea=idea, facilities=form.cleaned_data["facilities"],
                  category=form.cleaned_data["category"], project_url=form.cleaned_data["project_url"])
    messages.success(request, _("Links saved."))
    return redirect(idea)


@login_required
@require_GET
def moderation_queue(request):
    if not permissions.is_team(request.user):
        raise PermissionDenied
    flags = Paginator(selectors.moderation_queue(), 30).get_page(request.GET.get("page"))
    flags.object_list = list(flags.object_list)
    for fl in flags.object_list:
        fl.target = fl.idea if fl.idea_id else fl.comment.idea
    return render(request, "ideas/moderation.html", {
        "flags": flags, "reason_form": ReasonForm(),
        "to_review": Idea.objects.visible().filter(status=Status.RECEIVED).select_related("village").order_by("created_at")[:50],
        "hidden": Idea.objects.filter(hidden=True).order_by("-updated_at")[:50],
    })


@login_required
@require_GET
def my_ideas(request):
    ideas = Idea.objects.filter(author=request.user).select_related("village").order_by("-created_at")
    hidden_comments = Comment.objects.filter(author=request.user, hidden=True).select_related("idea")
    return render(request, "ideas/mine.html", {"ideas": ideas, "hidden_comments": hidden_comments})


@require_GET
def idea_stats(request):
    return render(request, "ideas/stats.html", {"stats": selectors.stats(), "themes": dict(Theme.choices),
                                                "statuses": dict(Status.choices), "sources": dict(Source.choices)})


@require_GET
def idea_photo(request, pk, photo_id):
    """A photo of an idea, served only where the idea itself may be seen."""
    idea = _visible_or_404(request, pk)
    photo = get_object_or_404(idea.photos, pk=photo_id)
    return file_response(photo.image, cache="private, max-age=3600")
