from django import forms
from django.utils.translation import gettext_lazy as _

from binome.core.public_forms import PublicFormMixin
from binome.people.models import Membership, Role
from binome.voice.models import (
    Committee,
    CommitteeMember,
    Meeting,
    Proposal,
    Question,
    Section,
    Status,
    Survey,
)

SCALE_LABELS = {1: _("1 — pas du tout satisfait"), 5: _("5 — très satisfait")}


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "anonymous"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title"]


class QuestionForm(forms.Form):
    section = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Partie"), empty_label=_("Sans partie")
    )
    kind = forms.ChoiceField(choices=Question.Kind.choices, label=_("Type de question"))
    label = forms.CharField(max_length=300, label=_("Question"))
    help_text = forms.CharField(max_length=300, required=False, label=_("Aide (facultatif)"))
    required = forms.BooleanField(required=False, label=_("Réponse obligatoire"))
    choices = forms.CharField(
        required=False,
        label=_("Choix proposés (un par ligne)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pour les questions à choix unique ou multiples."),
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(survey=survey)

    def clean_choices(self):
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]
        if len(lines) > 20:
            raise forms.ValidationError(_("20 choix au maximum."))
        return lines


class ResponseForm(PublicFormMixin):
    """The survey as a form; a paper answer uses the same form without the anti-bot parts."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.sections = []
        current = object()
        for q in questions:
            name = f"q{q.pk}"
            self.fields[name] = self._field_for(q)
            if q.section_id != current:
                current = q.section_id
                self.sections.append({"title": q.section.title if q.section else "", "fields": []})
            self.sections[-1]["fields"].append(name)

    def _field_for(self, q):
        common = {"label": q.label, "required": q.required, "help_text": q.help_text}
        if q.kind == Question.Kind.SCALE:
            return forms.TypedChoiceField(
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(i, SCALE_LABELS.get(i, str(i))) for i in range(1, 6)],
                **common,
            )
        if q.kind == Question.Kind.SINGLE:
            return forms.TypedChoiceField(
                coerce=int, widget=forms.RadioSelect, choices=q.options, **common
            )
        if q.kind == Question.Kind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                coerce=int, widget=forms.CheckboxSelectMultiple, choices=q.options, **common
            )
        return forms.CharField(
            max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}), **common
        )

    def answers(self) -> dict:
        return {q: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def grouped(self):
        return [
            {"title": s["title"], "fields": [self[name] for name in s["fields"]]}
            for s in self.sections
        ]


class IdeaForm(PublicFormMixin):
    text = forms.CharField(
        label=_("Votre idée ou votre remarque"),
        max_length=2000,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        help_text=_("Anonyme : n'écrivez ni votre nom ni d'information sur votre santé."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, label=_("Statut"))
    public_answer = forms.CharField(
        required=False,
        max_length=3000,
        label=_("Réponse publique de l'équipe"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Publiée sur la page « Vous avez dit, nous avons fait »."),
    )
    decline_reason = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Raison (si non retenue)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.DECLINED and not (data.get("decline_reason") or "").strip():
            self.add_error(
                "decline_reason",
                _("Dites pourquoi l'idée n'est pas retenue : la raison est publiée."),
            )
        return data


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = ["name", "purpose"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class MemberForm(forms.Form):
    membership = forms.ModelChoiceField(queryset=Membership.objects.none(), label=_("Personne"))
    function = forms.CharField(
        max_length=100, required=False, label=_("Fonction au comité (facultatif)")
    )

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.active()
            .filter(structure=structure)
            .filter(role__in=[Role.USER_REP, Role.PROFESSIONAL, Role.COORDINATOR, Role.PARTNER])
            .select_related("user")
            .order_by("user__last_name")
        )
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.user} — {m.get_role_display()}"
        )


class ExternalMemberForm(forms.Form):
    """A user who sits on the committee without an account."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    invite_by = forms.ChoiceField(
        label=_("Comment la convoquer"),
        choices=CommitteeMember.InviteBy.choices,
        initial=CommitteeMember.InviteBy.EMAIL,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(label=_("Adresse e-mail"), required=False)
    phone = forms.CharField(
        label=_("Téléphone portable"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    sms_agreement = forms.ChoiceField(
        label=_("Accord pour les SMS"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("paper", _("donné sur papier")), ("oral", _("donné à l'oral"))],
        help_text=_(
            "Pour le SMS seulement : la personne a accepté de recevoir des SMS (sans donnée de santé)."
        ),
    )
    function = forms.CharField(
        max_length=100, required=False, label=_("Fonction au comité (facultatif)")
    )

    def clean(self):
        data = super().clean()
        if data.get("invite_by") == CommitteeMember.InviteBy.SMS and not data.get("sms_agreement"):
            self.add_error(
                "sms_agreement",
                _(
                    "Notez comment la personne a accepté les SMS, ou choisissez l'e-mail ou le papier."
                ),
            )
        return data


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Présent·es"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(m.pk), m.display_name) for m in members]


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "place", "agenda", "minutes", "attendees_count"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }


class ProposalForm(forms.ModelForm):
    meeting = forms.ModelChoiceField(queryset=None, required=False, label=_("Réunion (facultatif)"))

    class Meta:
        model = Proposal
        fields = ["title", "text", "meeting"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(committee=committee)


class GazetteForm(forms.Form):
    year = forms.IntegerField(min_value=2015, max_value=2100, label=_("Année"))
    quarter = forms.TypedChoiceField(
        coerce=int, choices=[(1, "T1"), (2, "T2"), (3, "T3"), (4, "T4")], label=_("Trimestre")
    )


class GazetteTextForm(forms.Form):
    year = forms.IntegerField(min_value=2015, max_value=2100, widget=forms.HiddenInput)
    quarter = forms.IntegerField(min_value=1, max_value=4, widget=forms.HiddenInput)
    headline = forms.CharField(
        label=_("À la une"),
        max_length=200,
        required=False,
        help_text=_("Une phrase : ce que les usagers doivent retenir de ce trimestre."),
    )
    committee_word = forms.CharField(
        label=_("Le mot du comité"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 3000}),
        help_text=_("Écrit avec le comité des usagers ; ni nom ni information de santé."),
    )


class GazetteApprovalForm(forms.Form):
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label=_("Validée lors de la réunion du"),
        empty_label=_("(je valide en tant que membre du comité)"),
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(committee=committee).order_by(
            "-date"
        )
