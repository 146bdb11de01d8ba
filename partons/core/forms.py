from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language"]


class EraseAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label=_("I understand that my account is deleted for good."))


def add_service_errors(form, exc, *, elsewhere: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Put a service's ValidationError on the form that sent the data: each message on its field, a message about
    something the form has no field for as an error of the whole form. Messages about the names in `elsewhere` (a
    part of the page outside the form, such as an application's budget lines) are returned instead."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    kept: dict[str, list[str]] = {}
    for field, messages in errors.items():
        if field in elsewhere:
            kept.setdefault(field, []).extend(messages)
        else:
            form.add_error(field if field in form.fields else None, messages)
    return kept
