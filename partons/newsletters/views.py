"""Pages of the newsletter: subscribing (and the archive of past issues), confirming, a subscriber's own page (choices,
their data, unsubscribing) reached by the link in every message without logging in, and an issue's web version."""
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from partons.core.clientip import client_ip
from partons.core.files import file_response
from partons.core.forms import add_service_errors
from partons.core.ratelimit import RateLimited
from partons.core.translated import page_language

from . import permissions, selectors, services
from .forms import ChoicesForm, SubscribeForm
from .models import Issue, IssueImage, Language, Subscription

ARCHIVE_SIZE = 50


def _language():
    lang = page_language()
    return lang if lang in Language.values else Language.NL


@require_http_methods(["GET", "POST"])
def subscribe(request):
    user = request.user if request.user.is_authenticated else None
    mine = Subscription.objects.filter(user=user).first() if user else None
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            try:
                sub = services.subscribe(email=form.cleaned_data["email"], user=user, client=client_ip(request),
                                         **form.choices())
            except RateLimited:
                form.add_error(None, _("Many subscriptions were sent from here in a short time. Please wait an hour."))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if sub.status == Subscription.Status.CONFIRMED and sub.user_id and user and sub.user_id == user.pk:
                    messages.success(request, _("You are subscribed to the newsletter with the address of your account."))
                    return redirect(sub.get_manage_url())
                return redirect("newsletters:check_inbox")
    else:
        initial = {"language": _language()}
        if user:
            initial["email"] = user.email
        form = SubscribeForm(initial=initial)
    return render(request, "newsletters/subscribe.html", {
        "form": form, "mine": mine, "issues": selectors.archive(_language())[:ARCHIVE_SIZE],
    })


@require_GET
def check_inbox(request):
    return render(request, "newsletters/check_inbox.html")


def _subscription(token):
    try:
        return services.subscription_for(token), None
    except ValidationError as exc:
        return None, " ".join(exc.messages)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link of the confirmation e-mail shows a button: a mail program that opens links to check them must not
    subscribe anyone (the person confirms, not a robot)."""
    sub, error = _subscription(token)
    if sub is None:
        return render(request, "newsletters/invalid.html", {"error": error}, status=404)
    if request.method == "POST" or sub.status == Subscription.Status.CONFIRMED:
        if request.method == "POST":
            services.confirm(token)
            messages.success(request, _("Thank you: your subscription is confirmed."))
        return redirect(sub.get_manage_url())
    return render(request, "newsletters/confirm.html", {"sub": sub})


@require_http_methods(["GET", "POST"])
def manage(request, token):
    sub, error = _subscription(token)
    if sub is None:
        return render(request, "newsletters/invalid.html", {"error": error}, status=404)
    if request.method == "POST":
        form = ChoicesForm(request.POST)
        if form.is_valid():
            services.update_choices(sub, **form.choices())
            messages.success(request, _("Your choices are saved."))
            return redirect(sub.get_manage_url())
    else:
        form = ChoicesForm(initial={"language": sub.language, "themes": sub.themes,
                                    "villages": list(sub.villages.values_list("pk", flat=True)),
                                    "municipalities": list(sub.municipalities.values_list("pk", flat=True))})
    return render(request, "newsletters/manage.html", {"sub": sub, "form": form})


@require_GET
def my_data(request, token):
    sub, error = _subscription(token)
    if sub is None:
        return render(request, "newsletters/invalid.html", {"error": error}, status=404)
    response = HttpResponse(json.dumps(services.export(sub), ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partons-newsletter-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # the link's secret token is the proof; mail programs' one-click unsubscribe (RFC 8058) posts no form token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    sub, error = _subscription(token)
    if sub is None:
        return render(request, "newsletters/invalid.html", {"error": error}, status=404)
    if request.method == "POST":
        services.unsubscribe(token)
        return render(request, "newsletters/unsubscribed.html")
    return render(request, "newsletters/unsubscribe.html", {"sub": sub})


def _visible_issue(request, pk) -> Issue:
    issue = get_object_or_404(Issue, pk=pk)
    if issue.status != Issue.Status.SENT and not permissions.can_manage_newsletters(request.user):
        raise Http404
    return issue


@require_GET
def issue(request, pk):
    """An issue as its readers got it, in the page's language when it was written in it (a coordinator sees drafts:
    the preview)."""
    item = _visible_issue(request, pk)
    lang = _language()
    if lang not in item.language_codes():
        lang = item.language_codes()[0]
    problems = None
    if item.status != Issue.Status.SENT:
        try:
            services.check_ready(item)
        except ValidationError as exc:
            problems = exc.messages
    rendered = services.render(item, lang)
    return render(request, "newsletters/issue.html", {
        "issue": item, "rendered": rendered, "problems": problems,
        "other_languages": [(code, _issue_url_in(item, code)) for code in item.language_codes() if code != lang],
        "is_preview": item.status != Issue.Status.SENT,
    })


def _issue_url_in(item: Issue, language: str) -> str:
    with translation.override(language):
        return reverse("newsletters:issue", kwargs={"pk": item.pk})


@require_GET
def image(request, pk):
    img = get_object_or_404(IssueImage.objects.select_related("issue"), pk=pk)
    if img.issue.status == Issue.Status.DRAFT and not permissions.can_manage_newsletters(request.user):
        raise Http404
    return file_response(img.image, cache="public, max-age=86400")
