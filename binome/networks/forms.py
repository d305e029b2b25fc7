from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.networks import questionnaire as q
from binome.networks.models import (
    Campaign,
    ImprovementAction,
    MatrixDimension,
    ProjectCard,
    Resource,
)
from binome.people.models import Membership, Role, Structure


class QuestionnaireForm(forms.Form):
    """The maturity questionnaire, built from questionnaire.QUESTIONS."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in q.QUESTIONS:
            if question.kind == "multi":
                field = forms.MultipleChoiceField(
                    choices=question.choices, widget=forms.CheckboxSelectMultiple, required=False
                )
            elif question.kind == "single":
                field = forms.ChoiceField(
                    choices=question.choices, widget=forms.RadioSelect, required=question.required
                )
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=q.TEXT_MAX
                )
            field.label = question.label
            field.help_text = question.help
            field.section = question.section
            if question.kind == "single" and question.required:
                field.error_messages["required"] = _("Merci de répondre à cette question.")
            self.fields[question.code] = field

    def clean(self):
        data = super().clean()
        try:
            self.answers = q.clean_answers({k: v for k, v in data.items() if k in q.BY_CODE})
        except q.AnswerError as exc:
            for code, message in exc.errors.items():
                self.add_error(None if code == "__all__" else code, message)
        return data

    def sections(self):
        return [
            (label, [self[qq.code] for qq in questions])
            for _code, label, questions in q.questions_by_section()
        ]


def _https_urls(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class ResourceForm(forms.ModelForm):
    levels = forms.MultipleChoiceField(
        label=_("Niveaux concernés"),
        choices=q.LEVELS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Aucun : la ressource vaut pour tous les niveaux."),
    )
    barriers = forms.MultipleChoiceField(
        label=_("Freins concernés"),
        choices=q.BARRIERS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Resource
        fields = ["kind", "title", "summary", "url", "levels", "barriers", "order"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}
        formfield_callback = _https_urls


class DimensionForm(forms.ModelForm):
    """A dimension of the maturity matrix; its levels are one description per line, numbered 1, 2, …"""

    levels_text = forms.CharField(
        label=_("Description des niveaux, une par ligne"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ligne 1 = niveau 1, ligne 2 = niveau 2… Reprenez le texte publié par la HAS ou celui de l'équipe."
        ),
    )

    class Meta:
        model = MatrixDimension
        fields = ["axis", "title", "description", "is_active", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["levels_text"].initial = "\n".join(self.instance.levels)

    def clean_levels_text(self):
        lines = [
            line.strip() for line in self.cleaned_data["levels_text"].splitlines() if line.strip()
        ]
        if not 2 <= len(lines) <= 10:
            raise forms.ValidationError(_("Entre 2 et 10 niveaux, un par ligne."))
        return lines

    def save(self, commit=True):
        self.instance.levels = self.cleaned_data["levels_text"]
        return super().save(commit)


class MatrixSessionForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200, initial=_("Matrice de maturité"))
    meeting_date = forms.DateField(
        label=_("Date prévue de la réunion de consensus"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _level_choices(dimension):
    return [(str(i), f"{i}. {text}" if text else str(i)) for i, text in dimension.numbered_levels()]


class MatrixAnswerForm(forms.Form):
    """One level per active dimension (answered alone), with an optional comment."""

    def __init__(self, *args, dimensions, initial_levels=None, target=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        initial_levels = initial_levels or {}
        for dim in dimensions:
            first = len(self.fields)
            self.fields[f"level_{dim.code}"] = forms.TypedChoiceField(
                label=dim.title,
                choices=_level_choices(dim),
                coerce=int,
                widget=forms.RadioSelect,
                help_text=dim.description,
                initial=initial_levels.get(dim.code),
                error_messages={"required": _("Choisissez un niveau.")},
            )
            if target:
                self.fields[f"target_{dim.code}"] = forms.TypedChoiceField(
                    label=_("Niveau visé : %(d)s") % {"d": dim.title},
                    choices=[("", _("Pas d'objectif"))] + _level_choices(dim),
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
            self.fields[f"comment_{dim.code}"] = forms.CharField(
                label=_("Commentaire : %(d)s") % {"d": dim.title},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            for field in list(self.fields.values())[first:]:
                field.group = dim.get_axis_display()

    def values(self, prefix):
        return {dim.code: self.cleaned_data.get(f"{prefix}_{dim.code}") for dim in self.dimensions}


class ImprovementActionForm(forms.ModelForm):
    class Meta:
        model = ImprovementAction
        fields = ["dimension", "title", "means", "owner", "due_date"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "means": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, structure, dimensions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = dimensions
        self.fields["owner"].queryset = (
            Membership.objects.active()
            .filter(structure=structure)
            .exclude(role=Role.PATIENT)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        self.fields["owner"].label_from_instance = lambda m: f"{m.user} ({m.get_role_display()})"


class ActionReviewForm(forms.ModelForm):
    class Meta:
        model = ImprovementAction
        fields = ["status", "review_date", "review_note"]
        widgets = {
            "review_date": forms.DateInput(attrs={"type": "date"}),
            "review_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_date"].required = True


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "introduction",
            "opens_on",
            "closes_on",
            "reminder_every_days",
            "max_reminders",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "introduction": forms.Textarea(attrs={"rows": 5}),
        }

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("La clôture doit suivre l'ouverture."))
        if data.get("max_reminders") is not None and data["max_reminders"] > 5:
            self.add_error("max_reminders", _("Cinq relances au plus."))
        if data.get("reminder_every_days") is not None and data["reminder_every_days"] < 2:
            self.add_error("reminder_every_days", _("Au moins deux jours entre deux relances."))
        return data


class UnlistedStructureForm(forms.Form):
    name = forms.CharField(label=_("Nom de la structure"), max_length=200)
    email = forms.EmailField(
        label=_("Adresse e-mail de la structure"),
        required=False,
        help_text=_(
            "Adresse générique de préférence. Sans adresse, copiez le lien et envoyez-le vous-même."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Type de structure"), choices=[("", "—"), *Structure.Kind.choices], required=False
    )
    department = forms.RegexField(
        label=_("Département (numéro)"),
        regex=r"^(\d{2,3}|2A|2B)$",
        required=False,
        max_length=3,
        error_messages={"invalid": _("Numéro de département invalide (ex. 31, 2A, 974).")},
    )


class ProjectCardForm(forms.ModelForm):
    class Meta:
        model = ProjectCard
        fields = ["title", "theme", "level", "what", "with_whom", "results", "contact"]
        widgets = {
            "what": forms.Textarea(attrs={"rows": 4}),
            "with_whom": forms.Textarea(attrs={"rows": 2}),
            "results": forms.Textarea(attrs={"rows": 3}),
        }


class CatalogueFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Niveau"), required=False, choices=[("", _("Tous"))] + q.LEVELS, widget=forms.Select
    )
    theme = forms.ChoiceField(label=_("Thème"), required=False, widget=forms.Select)
    region = forms.ChoiceField(label=_("Région"), required=False, widget=forms.Select)
    q = forms.CharField(label=_("Mot-clé"), required=False, max_length=100)
    field_order = ["q", "theme", "level", "region"]

    def __init__(self, *args, **kwargs):
        from binome.networks.models import Theme
        from binome.people.models import Region

        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Tous"))] + Theme.choices
        self.fields["region"].choices = [("", _("Toutes"))] + Region.choices


class ExchangeRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Votre message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Présentez votre équipe et ce que vous aimeriez savoir."),
    )


class ExchangeAnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Votre réponse"),
        choices=[("1", _("Accepter l'échange")), ("0", _("Décliner"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
