"""The answer page is drawn from the survey's questions (`answer_items`: one entry per question with what was sent
and its error); the service reads and checks what is posted. The results page has a small filter form."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question

SIDE_CHOICES = [("", _("Both sides of the border")), ("BE", _("Belgium")), ("FR", _("France"))]


def answer_items(questions, data, errors, villages) -> list[dict]:
    """What the answer template needs per question: its number, field name, the values sent (to show them again),
    its error, its choices or scale steps, and its condition (the earlier question's number and the choice)."""
    def values(name):
        raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        return [str(v) for v in ([raw] if isinstance(raw, str) else raw)]

    numbers = {q.pk: i for i, q in enumerate(questions, 1)}
    choices = {(c.question_id, c.pk): c for q in questions for c in q.choices.all()}  # prefetched with the questions
    items = []
    for q in questions:
        name = q.field_name
        condition = None
        choice = choices.get((q.show_if_question_id, q.show_if_choice_id))
        if choice is not None:
            condition = {"field": f"q{q.show_if_question_id}", "choice": choice.pk, "choice_text": choice.text,
                         "number": numbers[q.show_if_question_id]}
        items.append({
            "q": q, "number": numbers[q.pk], "name": name, "values": values(name), "error": " ".join(errors.get(name, [])),
            "choices": list(q.choices.all()) if q.kind in Question.CHOICE_KINDS else [],
            "steps": [str(n) for n in range(q.scale_min, q.scale_max + 1)] if q.kind == Question.Kind.SCALE else [],
            "villages": villages if q.kind in (Question.Kind.VILLAGE, Question.Kind.POINT) else [],
            "lon": (values(f"{name}_lon") or [""])[0], "lat": (values(f"{name}_lat") or [""])[0],
            "village_value": (values(f"{name}_village") or [""])[0], "condition": condition,
        })
    return items


class ResultsFilterForm(forms.Form):
    side = forms.ChoiceField(label=_("Side of the border"), required=False, choices=SIDE_CHOICES)
    village = forms.CharField(label=_("Village of the respondent"), required=False, max_length=160,
                              widget=forms.Select(choices=[]))

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.villages = list(villages)
        self.fields["village"].widget.choices = [("", _("All villages"))] + [(v.slug, v.name) for v in self.villages]

    def chosen(self):
        """(side or None, village or None); a value that is no choice is dropped, with a message naming the field."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        village = None
        slug = data.get("village") or self.data.get("village")
        if slug:
            village = next((v for v in self.villages if v.slug == slug), None)
            if village is None and "village" not in self.errors:
                self.add_error("village", _("No village goes by that name."))
        return (data.get("side") or None), village


class SurveyForm(forms.Form):
    """A new survey, on the site (project holders; coordinators may also use the admin)."""

    project = forms.TypedChoiceField(label=_("Project"), coerce=int, choices=[])
    village = forms.TypedChoiceField(label=_("Village"), coerce=int, choices=[],
                                     help_text=_("One of the villages of the project."))
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    intro_nl = forms.CharField(label=_("Introduction (Dutch)"), required=False, max_length=3000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    intro_fr = forms.CharField(label=_("Introduction (French)"), required=False, max_length=3000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = forms.DateTimeField(label=_("Opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                   input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"])
    closes_at = forms.DateTimeField(label=_("Closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"])
    access = forms.ChoiceField(label=_("Who answers"), choices=[], widget=forms.RadioSelect)
    results_public = forms.BooleanField(label=_("Everyone may read the results"), required=False)

    def __init__(self, *args, projects, **kwargs):
        from .models import Survey

        super().__init__(*args, **kwargs)
        self.projects = {p.pk: p for p in projects}
        self.fields["project"].choices = [(p.pk, p.title) for p in projects]
        self.fields["village"].choices = [(v.pk, f"{v.name} — {p.title}") for p in projects for v in p.villages.all()]
        self.fields["access"].choices = Survey.Access.choices
        self.fields["access"].initial = Survey.Access.ANONYMOUS


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of question"), choices=Question.Kind.choices)
    text_nl = forms.CharField(label=_("Question (Dutch)"), max_length=300)
    text_fr = forms.CharField(label=_("Question (French)"), max_length=300)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    choices = forms.CharField(label=_("Answers to choose from"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Single and multiple choice: one answer a line, as “Dutch | French”."))
    scale_min = forms.IntegerField(label=_("Scale from"), initial=1, min_value=-10, max_value=10, required=False)
    scale_max = forms.IntegerField(label=_("Scale to"), initial=5, min_value=-10, max_value=10, required=False)
    show_if = forms.TypedChoiceField(label=_("Show only if"), coerce=int, required=False, empty_value=None, choices=[],
                                     help_text=_("An answer to an earlier question; empty: always shown."))

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show_if"].choices = [("", "—")] + [
            (c.pk, f"{i}. {q.text} = {c.text}") for i, q in enumerate(questions, 1) if q.kind in Question.CHOICE_KINDS
            for c in q.choices.all()]

    def clean_choices(self):
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]
        pairs = []
        for line in lines:
            nl, _sep, fr = line.partition("|")
            pairs.append((nl.strip(), fr.strip()))
        return pairs


class SurveySettingsForm(SurveyForm):
    """The same fields without the project and village (they stay what they were when the survey was made)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, projects=[], **kwargs)
        del self.fields["project"]
        del self.fields["village"]
