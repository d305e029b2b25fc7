from django import forms
from django.utils.translation import gettext_lazy as _

from binome.missions.models import CompensationMode, CompensationPolicy, Mission
from binome.partners.models import Partner, Training
from binome.partners.services import split_tags
from binome.people.models import Membership, Role

TAGS_HELP = _("Séparez par des virgules.")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MissionForm(forms.ModelForm):
    professionals = forms.ModelMultipleChoiceField(
        label=_("Professionnels nommés (ils valident la fiche)"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.CharField(
        label=_("Compétences recherchées"), required=False, help_text=TAGS_HELP
    )
    conditions = forms.CharField(
        label=_("Expérience vécue recherchée (pathologies, parcours)"),
        required=False,
        help_text=TAGS_HELP,
    )
    languages = forms.CharField(label=_("Langues utiles"), required=False, help_text=TAGS_HELP)
    topics = forms.CharField(
        label=_("Sujets sensibles abordés"),
        required=False,
        help_text=_(
            "Par exemple : fin de vie, annonce. Les partenaires qui ont exprimé ces limites ne seront pas proposés."
        ),
    )

    CRITERIA_FIELDS = {
        "skills": "skill",
        "conditions": "condition",
        "languages": "language",
        "topics": "topic",
    }

    class Meta:
        model = Mission
        fields = [
            "title",
            "kind",
            "level",
            "objective",
            "activities",
            "excluded_activities",
            "required_profile",
            "time_and_place",
            "slot",
            "remote_possible",
            "estimated_hours_per_month",
            "starts_on",
            "ends_on",
            "supervision",
            "required_training",
            "places",
        ]
        widgets = {
            **{
                f: forms.Textarea(attrs={"rows": 3})
                for f in (
                    "objective",
                    "activities",
                    "excluded_activities",
                    "required_profile",
                    "time_and_place",
                    "supervision",
                )
            },
            "starts_on": DATE,
            "ends_on": DATE,
        }
        error_messages = {
            "title": {"required": _("Donnez un titre à la mission.")},
            "starts_on": {"invalid": _("Date invalide (jour/mois/année).")},
            "ends_on": {"invalid": _("Date invalide (jour/mois/année).")},
        }

    def __init__(self, *args, structure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_training"] = forms.ChoiceField(
            label=_("Formation attendue"),
            choices=[("", _("Aucune")), *Training.Kind.choices],
            required=False,
        )
        self.fields["professionals"].queryset = (
            Membership.objects.active()
            .filter(structure=structure, role__in=[Role.PROFESSIONAL, Role.COORDINATOR])
            .select_related("user")
            .order_by("user__last_name")
        )
        self.fields["professionals"].label_from_instance = lambda m: (
            f"{m.user} — {m.get_profession_display() or m.get_role_display()}"
        )
        if self.instance.pk and not self.is_bound:
            self.initial["professionals"] = list(
                self.instance.named.values_list("membership_id", flat=True)
            )
            criteria = list(self.instance.criteria.all())
            for field, kind in self.CRITERIA_FIELDS.items():
                self.initial[field] = ", ".join(c.label for c in criteria if c.kind == kind)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("La fin ne peut pas précéder le début."))
        places = cleaned.get("places")
        if places is not None and not 1 <= places <= 50:
            self.add_error("places", _("Entre 1 et 50 patients partenaires."))
        hours = cleaned.get("estimated_hours_per_month")
        if hours is not None and hours > 200:
            self.add_error("estimated_hours_per_month", _("Au plus 200 heures par mois."))
        return cleaned

    def criteria(self):
        return {
            kind: split_tags(self.cleaned_data.get(field, ""))
            for field, kind in self.CRITERIA_FIELDS.items()
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Votre commentaire"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Écrivez votre commentaire.")},
    )


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Ce qui change dans cette version"), required=False, max_length=300
    )


class AssignForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Patient partenaire"),
        queryset=Partner.objects.none(),
        error_messages={"invalid_choice": _("Choisissez un patient partenaire de la liste.")},
    )

    def __init__(self, *args, structure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(
            structure=structure, status__in=[Partner.Status.ONBOARDED, Partner.Status.ACTIVE]
        ).order_by("last_name", "first_name")
        self.fields["partner"].to_field_name = "public_id"


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Bilan de la mission"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = CompensationPolicy
        fields = [
            "mode",
            "flat_fee_amount",
            "hourly_rate",
            "expenses_ceiling",
            "mileage_rate",
            "notes",
            "decided_on",
            "decision_meeting",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "vote_result",
        ]
        widgets = {"decided_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "decided_on": {"invalid": _("Date invalide (jour/mois/année).")},
            **{
                f: {"invalid": _("Saisissez un montant, par exemple 25,50.")}
                for f in ("flat_fee_amount", "hourly_rate", "expenses_ceiling", "mileage_rate")
            },
        }

    AMOUNTS = ("flat_fee_amount", "hourly_rate", "expenses_ceiling", "mileage_rate")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.AMOUNTS:
            # French users type 25,50: accept the decimal comma (and the dot).
            field = self.fields[name]
            field.localize = True
            field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            field.widget.is_localized = True

    def clean(self):
        cleaned = super().clean()
        for f in ("flat_fee_amount", "hourly_rate", "expenses_ceiling", "mileage_rate"):
            value = cleaned.get(f)
            if value is not None and value < 0:
                self.add_error(f, _("Le montant ne peut pas être négatif."))
        mode = cleaned.get("mode")
        if mode == CompensationMode.FLAT_FEE and cleaned.get("flat_fee_amount") is None:
            self.add_error("flat_fee_amount", _("Indiquez le montant du forfait."))
        if mode == CompensationMode.HOURLY and cleaned.get("hourly_rate") is None:
            self.add_error("hourly_rate", _("Indiquez le taux horaire."))
        if not cleaned.get("decided_on"):
            self.add_error(
                "decided_on",
                _("Indiquez la date de la décision : l'indemnisation se décide à l'avance."),
            )
        return cleaned


class MissionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"),
        choices=[("", _("Tous")), *Mission.Status.choices],
        required=False,
        widget=forms.Select,
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Tous")), *Mission.Kind.choices],
        required=False,
        widget=forms.Select,
    )
