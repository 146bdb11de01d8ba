import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import gdpr
from .forms import EraseAccountForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    profile_form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and profile_form.is_valid():
        profile_form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("core:my_data")
    return render(request, "core/my_data.html", {"profile_form": profile_form, "erase_form": EraseAccountForm()})


@login_required
@require_GET
def export_my_data(request):
    data = gdpr.export_personal_data(request.user)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partons-my-data-{timezone.now():%Y-%m-%d}.json"'
    return response


@login_required
@require_POST
def erase_my_account(request):
    form = EraseAccountForm(request.POST)
    if form.is_valid():
        try:
            gdpr.erase_account(request.user, password=form.cleaned_data["password"])
        except PermissionDenied:
            form.add_error("password", _("This is not your password."))
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data have been deleted."))
            return redirect("web:home")
    return render(request, "core/my_data.html", {"profile_form": ProfileForm(instance=request.user), "erase_form": form},
                  status=400)
