from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from partons.core.translated import WRITTEN_IN
from partons.territory.models import Village

from .models import ApplicantType, Application, CostCategory


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["organisation", "applicant_type", "title", "language", "idea", "villages", "participants", "partners", "cross_border",
                  "timeline"]
        widgets = {
            "language": forms.RadioSelect,
            "idea": forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
            "participants": forms.Textarea(attrs={"rows": 4, "maxlength": 3000}),
            "partners": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            "timeline": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            "villages": forms.SelectMultiple(attrs={"size": 8, "data-search": "true",
                                                    "data-placeholder": _("Type the name of a village"),
                                                    "data-no-results": _("No village of the call's area has that name.")}),
        }
        help_texts = {
            "organisation": _("The residents' platform, village council, association… you act for, or “a group of residents”."),
            "language": _("The language you write in."),
            "villages": _("The villages where the project takes place: type a few letters of each one's name."),
            "participants": _("For example: a working group of residents, an evening in the village hall, a survey at the "
                              "school gate."),
            "partners": _("Other organisations that help, on either side of the border."),
            "timeline": _("The main steps and when."),
        }

    idea_numbers = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Ideas from the idea box this project comes from"),
        help_text=_("Type a few words of each idea's title."),
        widget=forms.SelectMultiple(attrs={"data-search": "true", "data-search-url": "/api/ideas",
                                           "data-placeholder": _("Type words of an idea's title"),
                                           "data-no-results": _("No public idea has those words.")}))
    attachments = MultipleFileField(label=_("Files (plans, quotes, letters of support)"), required=False,
                                  widget=MultipleFileInput(attrs={"multiple": True,
                                                                  "accept": ".pdf,.jpg,.jpeg,.png,.docx,.odt,.xlsx,.ods"}),
                                  help_text=_("At most 5 files of 10 MB: PDF, JPEG, PNG, DOCX, ODT, XLSX or ODS."))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        types = dict(ApplicantType.choices)
        self.fields["applicant_type"].choices = [("", "—")] + [(t, types[t]) for t in call.applicant_types if t in types]
        self.fields["villages"].queryset = (Village.objects.filter(merged_into=None, municipality__in=call.municipalities.all())
                                           .select_related("municipality__country").defer("municipality__boundary")
                                           .order_by("sort_nl"))
        self.fields["villages"].required = False
        self.fields["language"].choices = WRITTEN_IN
        # One of the two is always chosen: the page's language at first; a form sent without it keeps the draft's.
        self.fields["language"].required = False
        if not self.instance.language:
            self.initial.setdefault("language", self._page_language())
        self.fields["villages"].label_from_instance = lambda v: f"{v.name} ({v.municipality.name}, {v.municipality.country_code})"
        from partons.ideas.models import Idea

        ideas = self.fields["idea_numbers"]
        ideas.queryset = Idea.objects.visible()
        # The page holds only the ideas already chosen; the others are found by searching (the idea box may hold
        # thousands). The field still accepts any public idea.
        if self.is_bound:
            chosen = [v for v in self.data.getlist(self.add_prefix("idea_numbers")) if str(v).isdigit()]
        else:
            chosen = list(self.instance.ideas.values_list("pk", flat=True)) if self.instance.pk else []
            self.initial["idea_numbers"] = chosen
        ideas.widget.choices = [(i.pk, f"#{i.pk} {i.title}") for i in Idea.objects.visible().filter(pk__in=chosen)]
        for name in ("organisation", "applicant_type", "title", "idea", "participants", "timeline"):
            self.fields[name].required = False  # a draft may be incomplete; submitting checks everything


    @staticmethod
    def _page_language() -> str:
        language = (translation.get_language() or "")[:2]
        return language if language in ("nl", "fr") else "nl"

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language or self._page_language()


class BudgetLineForm(forms.Form):
    category = forms.ModelChoiceField(queryset=CostCategory.objects.none(), label=_("Cost category"), required=False,
                                      empty_label="—")
    description = forms.CharField(label=_("What"), max_length=300, required=False)
    amount = forms.DecimalField(label=_("Amount (€)"), min_value=Decimal("0"), max_digits=10, decimal_places=2,
                                required=False)

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        if call is not None:
            self.fields["category"].queryset = call.cost_categories.all()

    def clean(self):
        data = super().clean()
        filled = [data.get("category"), data.get("description"), data.get("amount")]
        if any(v not in (None, "") for v in filled) and not all(v not in (None, "") for v in filled):
            raise ValidationError(_("Fill in the category, what it is for and the amount — or leave the line empty."))
        return data


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, max_num=20, validate_max=True)
