from django import forms
from django.utils.translation import gettext_lazy as _

from binome.core.public_forms import PublicFormMixin
from binome.core.validators import normalize_french_phone, validate_upload
from binome.partners.models import (
    Charter,
    CharterSignature,
    Evaluation,
    EvaluationCriterion,
    MeetingNote,
    Partner,
    PartnerTag,
    RecruitmentCall,
    Training,
)
from binome.partners.services import split_tags
from binome.people.models import Membership, Role

EMAIL_ERROR = _("Saisissez une adresse e-mail valide, par exemple prenom@exemple.fr.")
TAGS_HELP = _("Séparez par des virgules.")


class CandidacyForm(PublicFormMixin, forms.ModelForm):
    """The public form: works on a phone, no account (honeypot and submission token from
    PublicFormMixin)."""

    consent = forms.BooleanField(
        label=_(
            "J'accepte que l'équipe conserve ces informations pour me recontacter au sujet de ma candidature."
        ),
        error_messages={
            "required": _("Votre accord est nécessaire pour que l'équipe vous recontacte.")
        },
    )

    class Meta:
        model = Partner
        fields = ["first_name", "last_name", "email", "phone", "commune", "motivation", "how_heard"]
        labels = {
            "first_name": _("Prénom"),
            "last_name": _("Nom"),
            "email": _("Adresse e-mail"),
            "phone": _("Téléphone"),
        }
        error_messages = {
            "email": {"invalid": EMAIL_ERROR},
            "first_name": {"required": _("Indiquez votre prénom.")},
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "motivation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivation"].required = True
        self.fields["motivation"].error_messages["required"] = _(
            "Dites-nous en quelques mots ce qui vous donne envie."
        )
        self.fields["email"].help_text = _("Un e-mail ou un téléphone suffit.")

    def clean_phone(self):
        return normalize_french_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            raise forms.ValidationError(
                _("Indiquez au moins une adresse e-mail ou un numéro de téléphone.")
            )
        return cleaned


class TeamPartnerForm(forms.ModelForm):
    """The team's part of the record (coordinator)."""

    class Meta:
        model = Partner
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "commune",
            "max_active_accompaniments",
            "supervisor",
            "training_plan",
            "supervision_arrangement",
            "team_notes",
        ]
        error_messages = {"email": {"invalid": EMAIL_ERROR}}
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in ("training_plan", "supervision_arrangement", "team_notes")
        }

    def __init__(self, *args, structure=None, **kwargs):
        super().__init__(*args, **kwargs)
        structure = structure or self.instance.structure
        self.fields["supervisor"].queryset = (
            Membership.objects.active()
            .filter(structure=structure, role__in=[Role.COORDINATOR, Role.PROFESSIONAL])
            .select_related("user")
        )

    def clean_phone(self):
        return normalize_french_phone(self.cleaned_data["phone"])

    def clean_max_active_accompaniments(self):
        value = self.cleaned_data["max_active_accompaniments"]
        if not 0 <= value <= 20:
            raise forms.ValidationError(_("Indiquez un nombre entre 0 et 20."))
        return value


class ProfileForm(forms.ModelForm):
    """What the partner writes about themselves, and what they share with the team."""

    conditions = forms.CharField(
        label=_("Pathologies et parcours vécus"), required=False, help_text=TAGS_HELP
    )
    skills = forms.CharField(
        label=_("Autres compétences"),
        required=False,
        help_text=_(
            "Par exemple : animation, écoute, communication, gestion de projet. Séparez par des virgules."
        ),
    )
    languages = forms.CharField(label=_("Langues parlées"), required=False, help_text=TAGS_HELP)
    limits = forms.CharField(
        label=_("Situations que je ne souhaite pas affronter"),
        required=False,
        help_text=_(
            "Par exemple : fin de vie, annonce du diagnostic. Aucune mission ne vous sera proposée sur ces sujets."
        ),
    )

    class Meta:
        model = Partner
        fields = [
            "phone",
            "lived_experience",
            "association",
            "availability",
            "available_daytime",
            "available_evening",
            "available_weekend",
            "remote_ok",
            "hours_per_month",
            "limits_note",
            "preferred_status",
            "compensation_note",
            "photo",
            "share_lived_experience",
            "share_conditions",
            "share_association",
            "share_compensation",
            "share_photo",
        ]
        widgets = {
            **{
                f: forms.Textarea(attrs={"rows": 4})
                for f in ("lived_experience", "availability", "limits_note", "compensation_note")
            },
            "preferred_status": forms.Select,
        }
        labels = {"phone": _("Téléphone")}

    TAG_FIELDS = {
        "conditions": PartnerTag.Kind.CONDITION,
        "skills": PartnerTag.Kind.SKILL,
        "languages": PartnerTag.Kind.LANGUAGE,
        "limits": PartnerTag.Kind.LIMIT,
    }

    def __init__(self, *args, tags=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and tags is not None:
            for field, kind in self.TAG_FIELDS.items():
                self.initial[field] = ", ".join(t.label for t in tags if t.kind == kind)

    def clean_phone(self):
        return normalize_french_phone(self.cleaned_data["phone"])

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):
            try:
                validate_upload(photo, allowed=("image/jpeg", "image/png", "image/webp"))
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Photo refusée : déposez une image JPEG, PNG ou WebP de 5 Mo au plus.")
                ) from exc
        return photo

    def clean_hours_per_month(self):
        value = self.cleaned_data["hours_per_month"]
        if value is not None and value > 200:
            raise forms.ValidationError(_("Au plus 200 heures par mois."))
        return value

    def tag_values(self):
        return {
            kind: split_tags(self.cleaned_data.get(field, ""))
            for field, kind in self.TAG_FIELDS.items()
        }


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["kind", "title", "organisation", "completed_on", "hours", "proof"]
        widgets = {
            "kind": forms.Select,
            "completed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "title": {"required": _("Indiquez l'intitulé de la formation.")},
            "completed_on": {"invalid": _("Date invalide (jour/mois/année).")},
        }

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if proof and hasattr(proof, "content_type"):
            validate_upload(proof)
        return proof

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and not 1 <= hours <= 2000:
            raise forms.ValidationError(_("Indiquez une durée entre 1 et 2 000 heures."))
        return hours


class MeetingNoteForm(forms.ModelForm):
    class Meta:
        model = MeetingNote
        fields = ["met_on", "participants", "notes"]
        widgets = {
            "met_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"notes": {"required": _("Écrivez les notes de la rencontre.")}}


class DecisionForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Nouvelle étape"), choices=Partner.Status.choices, widget=forms.Select
    )
    reason = forms.CharField(
        label=_("Motif de la décision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif de la décision.")},
    )

    def __init__(self, *args, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partner is not None:
            allowed = Partner.TRANSITIONS.get(partner.status, ())
            self.fields["to_status"].choices = [
                (k, v) for k, v in Partner.Status.choices if k in allowed
            ]


class EvaluationForm(forms.Form):
    """One rating field and one comment per active criterion of the team."""

    def __init__(self, *args, criteria=(), existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = existing or {}
        self.criteria = list(criteria)
        for c in self.criteria:
            prev = existing.get(c.pk)
            self.fields[f"rating_{c.pk}"] = forms.ChoiceField(
                label=f"{c.label} ({c.get_kind_display().lower()})",
                choices=Evaluation.Rating.choices,
                widget=forms.Select,
                initial=prev.rating if prev else Evaluation.Rating.UNKNOWN,
                help_text=c.help_text,
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Commentaire"),
                required=False,
                max_length=500,
                initial=prev.comment if prev else "",
            )

    def ratings(self):
        return {
            c: (self.cleaned_data[f"rating_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class CriterionForm(forms.ModelForm):
    class Meta:
        model = EvaluationCriterion
        fields = ["kind", "label", "help_text"]
        error_messages = {"label": {"required": _("Écrivez le critère.")}}


class RecruitmentCallForm(forms.ModelForm):
    class Meta:
        model = RecruitmentCall
        fields = ["title", "introduction", "what_we_offer", "contact_note", "is_open"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 5}),
            "what_we_offer": forms.Textarea(attrs={"rows": 4}),
        }


class CharterForm(forms.ModelForm):
    class Meta:
        model = Charter
        fields = ["title", "text", "change_note"]
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}


class RecordSignatureForm(forms.Form):
    """A coordinator records a signature given on paper or in a meeting."""

    member = forms.ModelChoiceField(label=_("Signataire"), queryset=Membership.objects.none())
    method = forms.ChoiceField(
        label=_("Mode de signature"), choices=CharterSignature.Method.choices
    )
    signed_on = forms.DateField(
        label=_("Date de signature"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, structure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Membership.objects.active()
            .filter(
                structure=structure, role__in=[Role.PARTNER, Role.PROFESSIONAL, Role.COORDINATOR]
            )
            .select_related("user")
            .order_by("user__last_name")
        )


class PoolFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Étape"),
        choices=[("", _("Toutes")), *Partner.Status.choices],
        required=False,
        widget=forms.Select,
    )
    q = forms.CharField(label=_("Nom ou compétence"), required=False, max_length=80)


class RecruitmentGatesForm(forms.ModelForm):
    class Meta:
        from binome.partners.models import RecruitmentGates

        model = RecruitmentGates
        fields = [
            "meeting_required",
            "evaluators_required",
            "charter_required",
            "training_required",
        ]

    def clean_evaluators_required(self):
        value = self.cleaned_data["evaluators_required"]
        if value > 10:
            raise forms.ValidationError(_("Indiquez un nombre entre 0 et 10."))
        return value
