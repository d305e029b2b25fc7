from django import forms
from django.utils.translation import gettext_lazy as _

from binome.accompaniment.forms import DATE_INPUT, MemberChoiceField, member_label
from binome.accompaniment.models import Accompaniment
from binome.people.models import DOCTOR_PROFESSIONS, Membership, Role
from binome.tandems.models import PracticeGroupSession, Tandem, TandemReport


class DoctorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return member_label(obj)


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class TandemForm(forms.Form):
    doctor = DoctorChoiceField(label=_("Médecin"), queryset=Membership.objects.none())
    partner = PartnerChoiceField(label=_("Patient partenaire"), queryset=None)
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=Tandem.Mode.choices,
        widget=forms.RadioSelect,
        initial=Tandem.Mode.ASYNCHRONOUS,
    )
    scope = forms.CharField(
        label=_("Périmètre d'action convenu"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Ce que le patient partenaire fait et ne fait pas dans ce tandem, comment vous communiquez. Révisable."
        ),
    )

    def __init__(self, *args, structure, **kwargs):
        from binome.partners.models import Partner

        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = (
            Membership.objects.active()
            .filter(structure=structure, role=Role.PROFESSIONAL, profession__in=DOCTOR_PROFESSIONS)
            .select_related("user")
        )
        self.fields["partner"].queryset = Partner.objects.filter(structure=structure).active()


class ScopeForm(forms.Form):
    text = forms.CharField(
        label=_("Périmètre d'action convenu"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class AccompanimentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.patient.display_name


class TandemReportForm(forms.ModelForm):
    accompaniment = AccompanimentChoiceField(
        label=_("Personne accompagnée (facultatif)"),
        queryset=Accompaniment.objects.none(),
        required=False,
    )

    class Meta:
        model = TandemReport
        fields = [
            "accompaniment",
            "joint_consultation",
            "patient_expressed",
            "needs",
            "agreed_to_share",
            "next_steps",
            "detail",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 2})
            for f in ["patient_expressed", "needs", "agreed_to_share", "next_steps"]
        } | {"detail": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, tandem, **kwargs):
        super().__init__(*args, **kwargs)
        self.tandem = tandem
        self.fields["accompaniment"].queryset = (
            Accompaniment.objects.filter(structure=tandem.structure, partner=tandem.partner)
            .select_related("patient")
            .order_by("-referred_at")
        )
        if tandem.mode != Tandem.Mode.SYNCHRONOUS:
            del self.fields["joint_consultation"]

    def clean(self):
        data = super().clean()
        if data.get("joint_consultation"):
            from binome.tandems.services import joint_consultation_allowed

            error = joint_consultation_allowed(self.tandem, data.get("accompaniment"))
            if error:
                self.add_error("joint_consultation", error)
        return data


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Votre réponse (facultatif)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PracticeSessionForm(forms.ModelForm):
    participants = MemberChoiceField(
        label=_("Participants"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PracticeGroupSession
        fields = ["kind", "date", "facilitator", "participants", "anonymised_cases", "notes"]
        widgets = {
            "date": DATE_INPUT,
            "anonymised_cases": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = (
            Membership.objects.active()
            .filter(
                structure=structure, role__in=[Role.PROFESSIONAL, Role.PARTNER, Role.COORDINATOR]
            )
            .select_related("user")
            .order_by("user__last_name")
        )
