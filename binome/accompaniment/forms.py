import secrets

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from binome.accompaniment import consent_text
from binome.accompaniment.models import (
    Accompaniment,
    Consent,
    ConsentPurpose,
    Contact,
    KeyMoment,
    Pathway,
    PathwayMoment,
    PatientFeedback,
    SupervisionSession,
)
from binome.people.models import Membership, Profession, Role, choice_label

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def member_label(m):
    return f"{m.user.get_full_name() or m.user.email} — {m.get_profession_display() or m.get_role_display()}"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return member_label(obj)


class SubmissionTokenMixin(forms.Form):
    """A hidden token that makes a retried submission create nothing twice."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", secrets.token_urlsafe(24))


PATIENT_FIELDS = ("first_name", "last_name", "phone", "email", "pathway", "moments")


class ReferralForm(SubmissionTokenMixin):
    first_name = forms.CharField(label=_("Prénom du patient"), max_length=150)
    last_name = forms.CharField(label=_("Nom ou initiale"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    email = forms.EmailField(label=_("Adresse e-mail"), required=False)
    pathway = forms.ChoiceField(
        label=_("Parcours"),
        choices=Pathway.choices,
        help_text=_("Les patients partenaires proposés plus bas tiennent compte du parcours."),
        # Refresh the partner suggestions (htmx) when the pathway changes.
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("accompaniment:refer"),
                "hx-trigger": "change",
                "hx-include": "#partner-search, [name=partner]:checked, [name=moments]:checked",
                "hx-target": "#suggestions",
                "hx-swap": "outerHTML",
            }
        ),
    )
    moments = forms.MultipleChoiceField(
        label=_("Moments du parcours que l'accompagnement touchera (facultatif)"),
        required=False,
        choices=PathwayMoment.choices,
        help_text=_(
            "Les patients partenaires qui ont dit ne pas vouloir vivre ces moments ne sont pas proposés."
        ),
        widget=forms.CheckboxSelectMultiple(
            attrs={
                "hx-get": reverse_lazy("accompaniment:refer"),
                "hx-trigger": "change",
                "hx-include": "#id_pathway, #partner-search, [name=partner]:checked, [name=moments]:checked",
                "hx-target": "#suggestions",
                "hx-swap": "outerHTML",
            }
        ),
    )
    notes_for_partner = forms.CharField(
        label=_("Message pour le patient partenaire (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Ce qui l'aide à prendre contact (meilleur moment pour appeler…). Aucune information médicale."
        ),
    )
    consent_method = forms.ChoiceField(
        label=_("Comment le patient a-t-il donné son accord ?"),
        choices=[
            (Consent.Method.SIGNED_FORM, Consent.Method.SIGNED_FORM.label),
            (Consent.Method.ORAL, Consent.Method.ORAL.label),
        ],
        widget=forms.RadioSelect,
        initial=Consent.Method.SIGNED_FORM,
    )
    consent_contact_by_partner = forms.BooleanField(
        label=consent_text.TEXTS[ConsentPurpose.CONTACT_BY_PARTNER], required=False
    )
    consent_share_contact_details = forms.BooleanField(
        label=consent_text.TEXTS[ConsentPurpose.SHARE_CONTACT_DETAILS], required=False
    )
    consent_share_summaries_with_team = forms.BooleanField(
        label=consent_text.TEXTS[ConsentPurpose.SHARE_SUMMARIES], required=False
    )
    consent_joint_consultation = forms.BooleanField(
        label=consent_text.TEXTS[ConsentPurpose.JOINT_CONSULTATION], required=False
    )
    partner = forms.ChoiceField(label=_("Patient partenaire"), widget=forms.RadioSelect)
    designated = MemberChoiceField(
        label=_("Autres professionnels à prévenir en cas d'alerte urgente (vous l'êtes toujours)"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, structure, referrer, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = suggestions
        self.available = {
            str(s.partner.public_id): s.partner for s in suggestions if s.is_available
        }
        self.fields["partner"].choices = [(k, p.full_name) for k, p in self.available.items()]
        self.fields["designated"].queryset = (
            Membership.objects.active()
            .filter(structure=structure, role=Role.PROFESSIONAL)
            .exclude(pk=referrer.pk)
            .select_related("user")
            .order_by("user__last_name")
        )

    def patient_fields(self):
        """The patient's part of the form; the moments are a group of boxes with its legend."""
        return [self[name] for name in PATIENT_FIELDS]

    def consent_fields(self):
        return [self[f"consent_{p}"] for p in ConsentPurpose.values]

    def designated_checkboxes(self):
        """One checkbox per professional who can be designated, written here from light rows:
        a large CPTS has 150 professionals, and a template costs about 12 µs per variable
        (docs/performance.md), the widget's template per box far more."""
        checked = {str(v) for v in (self["designated"].value() or [])}
        rows = self.fields["designated"].queryset.values_list(
            "pk", "user__first_name", "user__last_name", "user__email", "profession", "role"
        )
        boxes = []
        for pk, first, last, email, profession, role in rows:
            name = f"{first} {last}".strip() or email
            # Labels translated once per process (choice_label), not per professional.
            label = f"{name} — {choice_label(Profession, profession) or choice_label(Role, role)}"
            boxes.append((pk, mark_safe(" checked") if str(pk) in checked else "", label))
        return format_html_join(
            "\n",
            '<div><label for="id_designated_{0}"><input type="checkbox" name="designated"'
            ' value="{0}" id="id_designated_{0}"{1}> {2}</label></div>',
            boxes,
        )

    def purposes(self):
        return [p for p in ConsentPurpose.values if self.cleaned_data.get(f"consent_{p}")]

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email"):
            self.add_error(
                "phone",
                _(
                    "Indiquez au moins un téléphone ou une adresse e-mail pour que le patient partenaire puisse le joindre."
                ),
            )
        missing = [p for p in consent_text.REQUIRED if not data.get(f"consent_{p}")]
        if missing:
            raise forms.ValidationError(
                _(
                    "Sans l'accord du patient pour être contacté et pour transmettre ses coordonnées, l'orientation n'est pas possible. "
                    "Imprimez le formulaire de consentement ou recueillez son accord oral."
                )
            )
        return data

    def clean_partner(self):
        value = self.cleaned_data["partner"]
        if value not in self.available:
            raise forms.ValidationError(_("Choisissez un patient partenaire disponible."))
        return self.available[value]


class ContactForm(SubmissionTokenMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "occurred_at",
            "channel",
            "place",
            "duration_minutes",
            "private_notes",
            "summary_to_share",
        ]
        widgets = {
            "occurred_at": DATETIME_INPUT,
            "channel": forms.RadioSelect,
            "place": forms.RadioSelect,
            "duration_minutes": forms.NumberInput(
                attrs={"min": 1, "max": 600, "inputmode": "numeric"}
            ),
            "private_notes": forms.Textarea(attrs={"rows": 4}),
            "summary_to_share": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, can_share, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["duration_minutes"].min_value = 1
        if can_share:
            self.fields["summary_to_share"].help_text = _(
                "Seulement ce que le patient accepte que l'équipe sache."
            )
        else:
            del self.fields["summary_to_share"]

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("Cet échange ne peut pas être dans le futur."))
        return value

    def clean_duration_minutes(self):
        value = self.cleaned_data["duration_minutes"]
        if not value or value > 600:
            raise forms.ValidationError(_("Indiquez une durée entre 1 et 600 minutes."))
        return value


class KeyMomentForm(forms.ModelForm):
    class Meta:
        model = KeyMoment
        fields = ["kind", "label", "date", "time", "wants_support"]
        widgets = {"date": DATE_INPUT, "time": TIME_INPUT}


class AlertForm(forms.Form):
    message = forms.CharField(
        label=_("Ce qui vous inquiète"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Les professionnels désignés sont prévenus tout de suite. En cas de danger immédiat, appelez le 15."
        ),
    )


class AcknowledgeForm(forms.Form):
    response = forms.CharField(
        label=_("Réponse au patient partenaire (facultatif)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EndForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Raison"), choices=Accompaniment.EndReason.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Précision (facultatif, sans information médicale)"), max_length=500, required=False
    )

    def __init__(self, *args, patient=False, **kwargs):
        super().__init__(*args, **kwargs)
        if patient:
            self.fields["reason"].choices = [
                (Accompaniment.EndReason.PATIENT_WISH, _("Je ne souhaite plus être accompagné·e")),
                (Accompaniment.EndReason.GOAL_REACHED, _("Je n'en ai plus besoin")),
                (Accompaniment.EndReason.OTHER, _("Autre raison")),
            ]
            self.fields["comment"].label = _("Un mot (facultatif)")


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = PatientFeedback
        fields = ["usefulness", "felt_listened_to", "would_recommend", "comment"]
        widgets = {"usefulness": forms.RadioSelect, "comment": forms.Textarea(attrs={"rows": 3})}


class OnlineConsentForm(forms.Form):
    def __init__(self, *args, already=(), **kwargs):
        super().__init__(*args, **kwargs)
        for purpose in ConsentPurpose.values:
            self.fields[purpose] = forms.BooleanField(
                label=consent_text.TEXTS[purpose],
                required=False,
                initial=purpose in already,
                disabled=purpose in already,
            )

    def purposes(self):
        return [
            p
            for p in ConsentPurpose.values
            if self.cleaned_data.get(p) and not self.fields[p].disabled
        ]

    def clean(self):
        data = super().clean()
        if not any(data.get(p) and not self.fields[p].disabled for p in ConsentPurpose.values):
            raise forms.ValidationError(
                _("Cochez au moins un accord, ou fermez simplement cette page.")
            )
        return data


class SupervisionForm(forms.ModelForm):
    class Meta:
        model = SupervisionSession
        fields = ["date", "supervisor_name", "duration_minutes", "private_notes"]
        widgets = {"date": DATE_INPUT, "private_notes": forms.Textarea(attrs={"rows": 4})}

    def clean_duration_minutes(self):
        value = self.cleaned_data["duration_minutes"]
        if not value or value > 600:
            raise forms.ValidationError(_("Indiquez une durée entre 1 et 600 minutes."))
        return value


class HandBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi ? (seule la coordination le lira)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Par exemple : pas disponible en ce moment, parcours trop proche du mien, autre raison. "
            "Sans information médicale."
        ),
    )


class ReassignForm(forms.Form):
    """The partner to confide the patient to, among the suggestions (load, limits)."""

    partner = forms.ChoiceField(label=_("Patient partenaire"), widget=forms.RadioSelect)

    def __init__(self, *args, suggestions, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_id = {str(s.partner.public_id): s for s in suggestions if s.partner.pk != exclude}
        self.fields["partner"].choices = [
            (
                pid,
                f"{s.partner.full_name} — {s.load}/{s.ceiling}"
                + (f" ({s.excluded_reason})" if s.excluded_reason else ""),
            )
            for pid, s in self.by_id.items()
        ]
