import datetime as dt

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.accompaniment.forms import SubmissionTokenMixin
from binome.compensation.models import (
    Expense,
    ExpenseRates,
    FundingSource,
    MissionBudget,
    TimeEntry,
)
from binome.core import kept_sql
from binome.core.validators import validate_upload
from binome.missions.models import Mission

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# A few taps on a phone: the usual durations.
DURATIONS = [
    (15, _("15 min")),
    (30, _("30 min")),
    (45, _("45 min")),
    (60, _("1 h")),
    (90, _("1 h 30")),
    (120, _("2 h")),
    (150, _("2 h 30")),
    (180, _("3 h")),
    (240, _("4 h")),
    (300, _("5 h")),
    (360, _("6 h")),
    (420, _("7 h")),
    (480, _("8 h")),
]


def sniff_type(uploaded) -> str:
    """The real type of a validated upload, from its first bytes (served back with it)."""
    head = uploaded.read(16)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"


class CachedChoiceIterator(forms.models.ModelChoiceIterator):
    """Choices from the field's queryset as loaded once: the page that listed the missions
    (to know whether there are any) does not query them again to render the options."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class MissionChoiceField(forms.ModelChoiceField):
    iterator = CachedChoiceIterator

    def _set_queryset(self, queryset):
        # Django's field keeps a copy of the queryset, without its rows: keep them, so that
        # the missions read once (services.missions_with_mode) are not queried again.
        super()._set_queryset(queryset)
        if queryset is not None and queryset._result_cache is not None:
            kept_sql.with_rows(self._queryset, queryset._result_cache)
            self.widget.choices = self.choices

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj):
        return obj.title


def _mission_field():
    # The scoped default manager refuses to run at import time; forms set the queryset.
    return MissionChoiceField(
        label=_("Mission"),
        queryset=Mission._base_manager.none(),
        empty_label=None,
        widget=forms.Select,
    )


class TimeEntryForm(SubmissionTokenMixin, forms.ModelForm):
    mission = _mission_field()
    duration_minutes = forms.TypedChoiceField(
        label=_("Durée"),
        choices=DURATIONS,
        coerce=int,
        initial=60,
        widget=forms.Select,
        error_messages={
            "invalid_choice": _(
                "Choisissez une durée dans la liste (entre 15 minutes et 8 heures)."
            )
        },
    )

    class Meta:
        model = TimeEntry
        fields = ["mission", "date", "duration_minutes", "activity", "note"]
        widgets = {"date": DATE, "activity": forms.RadioSelect}

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions
        if not self.instance.pk and not self.is_bound:
            # The unsaved instance gives None values: today's date and the usual activity instead.
            self.initial.update(
                {
                    "date": timezone.localdate(),
                    "duration_minutes": 60,
                    "activity": TimeEntry.Activity.ACCOMPANIMENT,
                }
            )
        self.fields["activity"].choices = [c for c in self.fields["activity"].choices if c[0]]


class ExpenseForm(SubmissionTokenMixin, forms.ModelForm):
    mission = _mission_field()
    receipt = forms.FileField(
        label=_("Justificatif (photo ou PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
        help_text=_("Prenez le ticket en photo avec votre téléphone. 5 Mo au maximum."),
    )

    class Meta:
        model = Expense
        fields = [
            "mission",
            "date",
            "kind",
            "kilometres",
            "declared_amount",
            "description",
            "receipt",
        ]
        widgets = {"date": DATE, "kind": forms.RadioSelect}
        localized_fields = ["kilometres", "declared_amount"]
        help_texts = {
            "kilometres": _("Pour les trajets en voiture : aller et retour."),
            "declared_amount": _("Pour un ticket de transport, de stationnement ou un repas."),
        }

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0]]
        if not self.instance.pk and not self.is_bound:
            self.initial.update({"date": timezone.localdate(), "kind": Expense.Kind.MILEAGE})
        for name in ("kilometres", "declared_amount"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if isinstance(receipt, UploadedFile):
            validate_upload(receipt)
        return receipt

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        km, declared = cleaned.get("kilometres"), cleaned.get("declared_amount")
        if km is not None and not (0 < km <= 2000):
            self.add_error(
                "kilometres", _("Le nombre de kilomètres doit être compris entre 0,1 et 2 000.")
            )
        if declared is not None and not (0 < declared <= 5000):
            self.add_error(
                "declared_amount", _("Le montant doit être compris entre 0,01 € et 5 000 €.")
            )
        if kind == Expense.Kind.MILEAGE:
            if km is None:
                self.add_error("kilometres", _("Indiquez le nombre de kilomètres."))
            cleaned["declared_amount"] = None
        elif kind:
            if declared is None:
                self.add_error("declared_amount", _("Indiquez le montant payé."))
            cleaned["kilometres"] = None
            has_receipt = cleaned.get("receipt") or (self.instance.pk and self.instance.receipt)
            if not has_receipt:
                self.add_error("receipt", _("Joignez le justificatif (photo du ticket ou PDF)."))
        return cleaned


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Valider")), ("return", _("Renvoyer"))])
    comment = forms.CharField(
        label=_("Commentaire pour le partenaire"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StatementForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Patient partenaire"), queryset=None, empty_label=None)
    period_start = forms.DateField(label=_("Du"), widget=DATE)
    period_end = forms.DateField(label=_("Au"), widget=DATE)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].label_from_instance = lambda p: (
            f"{p.first_name} {p.last_name}".strip()
        )
        today = timezone.localdate()
        first_of_month = today.replace(day=1)
        last_month_end = first_of_month - dt.timedelta(days=1)
        self.fields["period_start"].initial = last_month_end.replace(day=1)
        self.fields["period_end"].initial = last_month_end

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("La fin de la période doit suivre son début."))
        return cleaned


class FundingSourceForm(forms.ModelForm):
    class Meta:
        model = FundingSource
        fields = ["kind", "name", "year", "amount", "committed", "notes"]
        localized_fields = ["amount", "committed"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Année invalide."))
        return year

    def clean(self):
        cleaned = super().clean()
        for name in ("amount", "committed"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("Les montants ne peuvent pas être négatifs."))
        return cleaned


class MissionBudgetForm(forms.ModelForm):
    funding_source = forms.ModelChoiceField(
        label=_("Financement"), queryset=FundingSource._base_manager.none(), required=False
    )

    class Meta:
        model = MissionBudget
        fields = ["funding_source", "amount", "flat_fee_basis"]
        localized_fields = ["amount"]

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_source"].queryset = FundingSource.objects.filter(structure=structure)

    def clean_amount(self):
        value = self.cleaned_data.get("amount")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Le budget ne peut pas être négatif."))
        return value


class ExpenseRatesForm(forms.ModelForm):
    class Meta:
        model = ExpenseRates
        fields = ["km_rate", "meal_ceiling"]
        localized_fields = ["km_rate", "meal_ceiling"]

    def clean_km_rate(self):
        value = self.cleaned_data["km_rate"]
        if not 0 <= value <= 5:
            raise forms.ValidationError(
                _("Le taux doit être compris entre 0 et 5 € par kilomètre.")
            )
        return value

    def clean_meal_ceiling(self):
        value = self.cleaned_data["meal_ceiling"]
        if not 0 <= value <= 500:
            raise forms.ValidationError(_("Le plafond doit être compris entre 0 et 500 €."))
        return value
