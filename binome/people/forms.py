from django import forms
from django.utils.translation import gettext_lazy as _

from binome.people import identifiers
from binome.people.models import Invitation, Profession, Role, Structure


class StructureForm(forms.ModelForm):
    # Wider than the stored value: people type "732 829 320 00074"; clean_* compacts it.
    finess = forms.CharField(label=_("Numéro FINESS"), max_length=20, required=False)
    siret = forms.CharField(label=_("Numéro SIRET"), max_length=30, required=False)

    class Meta:
        model = Structure
        fields = [
            "name",
            "kind",
            "finess",
            "siret",
            "region",
            "department",
            "commune",
            "aci_signatory",
            "signed_agreement",
            "health_project_year",
            "patient_count",
            "first_contact_deadline_hours",
        ]

    def clean_siret(self):
        return identifiers.clean_siret(self.cleaned_data["siret"])

    def clean_finess(self):
        return identifiers.clean_finess(self.cleaned_data["finess"])

    def clean_health_project_year(self):
        year = self.cleaned_data["health_project_year"]
        if year is not None and not 1990 <= year <= 2100:
            raise forms.ValidationError(_("Année invalide."))
        return year

    def clean_first_contact_deadline_hours(self):
        hours = self.cleaned_data["first_contact_deadline_hours"]
        if not 1 <= hours <= 24 * 14:
            raise forms.ValidationError(_("Le délai doit être compris entre 1 heure et 14 jours."))
        return hours


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "first_name", "last_name", "role", "profession", "rpps"]
        labels = {
            "email": _("Adresse e-mail"),
            "first_name": _("Prénom"),
            "last_name": _("Nom"),
            "rpps": _("Numéro RPPS (facultatif)"),
        }
        widgets = {"role": forms.Select, "profession": forms.Select}
        error_messages = {
            "email": {
                "invalid": _("Saisissez une adresse e-mail valide, par exemple prenom@exemple.fr.")
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profession"].help_text = _("Pour les professionnels de santé seulement.")
        # People type it with spaces; the model keeps the 11 digits.
        self.fields["rpps"].max_length = 20
        self.fields["rpps"].widget.attrs.update(
            {"maxlength": 20, "inputmode": "numeric", "autocomplete": "off"}
        )
        self.fields["rpps"].validators = []

    def clean_rpps(self):
        return identifiers.clean_rpps(self.cleaned_data.get("rpps"))

    def clean(self):
        cleaned = super().clean()
        role, profession = cleaned.get("role"), cleaned.get("profession")
        if role == Role.PROFESSIONAL and not profession:
            self.add_error("profession", _("Indiquez la profession de ce professionnel de santé."))
        if role != Role.PROFESSIONAL and profession:
            cleaned["profession"] = ""
        if role != Role.PROFESSIONAL:
            cleaned["rpps"] = ""
        return cleaned


class MemberFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=[("", _("Tous les rôles")), *Role.choices],
        required=False,
        widget=forms.Select,
    )
    profession = forms.ChoiceField(
        label=_("Profession"),
        choices=[("", _("Toutes")), *Profession.choices],
        required=False,
        widget=forms.Select,
    )
