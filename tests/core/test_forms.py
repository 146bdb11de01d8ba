"""A service's ValidationError lands on the form that sent the data: on its field, or on the whole form."""
from django import forms
from django.core.exceptions import ValidationError

from partons.core.forms import add_service_errors


class TitleForm(forms.Form):
    title = forms.CharField()


def test_errors_go_to_their_field_to_the_form_or_back_to_the_page():
    form = TitleForm({"title": "x"})
    assert form.is_valid()  # positive control: the form itself has nothing against the data
    kept = add_service_errors(form, ValidationError({"title": "Too short.", "village": "Outside the region.",
                                                     "budget": "Above the ceiling."}), elsewhere=("budget",))
    assert form.errors["title"] == ["Too short."]
    assert form.non_field_errors() == ["Outside the region."]  # no such field: said for the whole form
    assert kept == {"budget": ["Above the ceiling."]}  # shown by the page beside the form


def test_an_error_without_a_field_is_the_whole_forms():
    form = TitleForm({"title": "x"})
    form.is_valid()
    assert add_service_errors(form, ValidationError("The call is closed.")) == {}
    assert form.non_field_errors() == ["The call is closed."]
