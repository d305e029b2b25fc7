from django import forms
from django.utils.translation import gettext_lazy as _

from binome.core.public_forms import PublicFormMixin
from binome.core.validators import validate_upload
from binome.involvement.models import (
    AciLevel,
    ActionKind,
    EvidenceKind,
    InvolvementAction,
    Level,
    Programme,
    Workshop,
    WorkshopFeedback,
)
from binome.involvement.services import defaults_for
from binome.people.models import Membership, Profession, Role


class ActionForm(forms.ModelForm):
    level = forms.ChoiceField(
        label=_("Niveau sur le continuum"),
        choices=[("", _("Selon le type d'action"))] + list(Level.choices),
        required=False,
    )
    aci_level = forms.TypedChoiceField(
        label=_("Niveau ACI"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Selon le type d'action"))] + list(AciLevel.choices),
        help_text=_(
            "Niveau 1 : informer, consulter. Niveau 2 : co-construire, comité, usager référent, médiateur."
        ),
    )
    professions = forms.MultipleChoiceField(
        label=_("Professions impliquées"),
        choices=Profession.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = InvolvementAction
        fields = [
            "kind",
            "title",
            "level",
            "aci_level",
            "start_date",
            "end_date",
            "professions",
            "users_count",
            "description",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind:
            level, aci = defaults_for(kind)
            data["level"] = data.get("level") or level
            data["aci_level"] = data.get("aci_level") or aci
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin doit suivre la date de début."))
        return data

    def _post_clean(self):
        # The structure is set by the view; model validation happens in the service.
        opts = self._meta
        self.instance = forms.models.construct_instance(
            self, self.instance, opts.fields, opts.exclude
        )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Ce que montre la pièce"),
        choices=EvidenceKind.choices,
        initial=EvidenceKind.SUPPORT,
    )
    file = forms.FileField(
        label=_("Pièce justificative (PDF ou photo, 5 Mo au maximum)"), validators=[validate_upload]
    )


class ReportYearForm(forms.Form):
    year = forms.IntegerField(min_value=2015, max_value=2100, label=_("Année"))


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["kind", "title", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = [
            "title",
            "starts_at",
            "place",
            "professional",
            "partner",
            "etp_training_override",
            "planned_count",
            "attendance_count",
            "notes",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "etp_training_override": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, structure, can_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["etp_training_override"]
        members = (
            Membership.objects.active()
            .filter(structure=structure)
            .select_related("user")
            .order_by("user__last_name")
        )
        self.fields["professional"].queryset = members.filter(role=Role.PROFESSIONAL)
        self.fields["partner"].queryset = members.filter(role=Role.PARTNER)
        self.fields["professional"].label_from_instance = lambda m: (
            f"{m.user} — {m.get_profession_display()}"
        )
        self.fields["partner"].label_from_instance = lambda m: str(m.user)

    def clean(self):
        data = super().clean()
        attended, planned = data.get("attendance_count"), data.get("planned_count")
        if attended is not None and planned and attended > planned * 3:
            self.add_error(
                "attendance_count",
                _("Le nombre de présents semble trop élevé par rapport aux inscrits."),
            )
        return data


class FeedbackForm(PublicFormMixin, forms.ModelForm):
    class Meta:
        model = WorkshopFeedback
        fields = ["useful", "understood", "freer", "comment"]
        widgets = {
            "useful": forms.RadioSelect,
            "understood": forms.RadioSelect,
            "freer": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        }
        help_texts = {"useful": _("1 = pas du tout d'accord, 5 = tout à fait d'accord")}


def kind_help():
    return {k: defaults_for(k) for k, _label in ActionKind.choices}
