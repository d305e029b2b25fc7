from django import forms
from django.utils.translation import gettext_lazy as _

from binome.people.models import Membership, Role
from binome.steering import links
from binome.steering.models import (
    ActionItem,
    CheckIn,
    CommitteeMember,
    Cycle,
    Indicator,
    IndicatorValue,
    LimitingFactor,
    LogbookEntry,
    Project,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.get_full_name() or obj.user.email} — {obj.get_role_display()}"


def team_memberships(structure, roles=None):
    qs = (
        Membership.objects.active()
        .filter(structure=structure)
        .exclude(role=Role.PATIENT)
        .select_related("user")
    )
    if roles:
        qs = qs.filter(role__in=roles)
    return qs.order_by("user__last_name", "user__first_name", "role")


class DatesMixin:
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin doit suivre la date de début."))
        return cleaned


class ProjectForm(DatesMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "title",
            "objective",
            "method",
            "status",
            "start_date",
            "end_date",
            "checkin_every_days",
        ]
        widgets = {"start_date": DATE, "end_date": DATE, "objective": TEXT, "method": TEXT}

    def clean_checkin_every_days(self):
        days = self.cleaned_data["checkin_every_days"]
        if not 1 <= days <= 90:
            raise forms.ValidationError(_("Choisissez un rythme entre 1 et 90 jours."))
        return days


class CommitteeMemberForm(forms.ModelForm):
    membership = MembershipChoiceField(label=_("Personne"), queryset=Membership.objects.none())

    class Meta:
        model = CommitteeMember
        fields = ["membership", "seat", "joined_on"]
        widgets = {"joined_on": DATE}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["membership"].queryset = team_memberships(project.structure).exclude(
            pk__in=project.committee.values("membership_id")
        )
        self.fields["membership"].help_text = _(
            "Patients partenaires et professionnels de l'équipe."
        )


class CycleForm(DatesMixin, forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["number", "title", "phase", "start_date", "end_date", "objective"]
        widgets = {"start_date": DATE, "end_date": DATE, "objective": TEXT}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if not self.instance.pk:
            self.fields["number"].initial = (project.cycles.count() or 0) + 1

    def clean_number(self):
        number = self.cleaned_data["number"]
        if not 1 <= number <= 50:
            raise forms.ValidationError(_("Numéro de cycle entre 1 et 50."))
        clash = self.project.cycles.filter(number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Ce numéro de cycle existe déjà pour ce projet."))
        return number


class ActionItemForm(forms.ModelForm):
    owner = MembershipChoiceField(
        label=_("Responsable"), queryset=Membership.objects.none(), required=False
    )

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_date", "status"]
        widgets = {"due_date": DATE}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_memberships(project.structure)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("État"), choices=ActionItem.Status.choices)


class CycleChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        # The scoped default manager refuses to run at import time; the form sets the queryset.
        super().__init__(queryset=Cycle._base_manager.none(), required=False, **kwargs)


class LogbookEntryForm(forms.ModelForm):
    cycle = CycleChoiceField(label=_("Cycle"))

    class Meta:
        model = LogbookEntry
        fields = [
            "date",
            "kind",
            "cycle",
            "attendees",
            "themes",
            "questions",
            "decisions",
            "actions",
        ]
        widgets = {
            "date": DATE,
            "themes": TEXT,
            "questions": TEXT,
            "decisions": TEXT,
            "actions": TEXT,
        }
        help_texts = {"attendees": _("Rôles plutôt que noms si le compte rendu circule.")}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = project.cycles.all()


class LimitingFactorForm(forms.ModelForm):
    cycle = CycleChoiceField(label=_("Observé au cycle"))
    owner = MembershipChoiceField(
        label=_("Responsable"), queryset=Membership.objects.none(), required=False
    )

    class Meta:
        model = LimitingFactor
        fields = ["title", "cycle", "observation", "remediation", "status", "owner"]
        widgets = {"observation": TEXT, "remediation": TEXT}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = project.cycles.all()
        self.fields["owner"].queryset = team_memberships(project.structure)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "target", "lower_is_better", "description"]
        localized_fields = ["target"]
        widgets = {"description": TEXT}


class IndicatorValueForm(forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["date", "value", "comment"]
        widgets = {"date": DATE}
        localized_fields = ["value"]

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_value(self):
        value = self.cleaned_data["value"]
        if abs(value) >= 10**9:
            raise forms.ValidationError(_("Valeur hors limites."))
        return value

    def clean_date(self):
        date = self.cleaned_data["date"]
        if self.indicator.values.filter(date=date).exists():
            raise forms.ValidationError(
                _("Une valeur existe déjà à cette date pour cet indicateur.")
            )
        return date


class CheckInForm(forms.ModelForm):
    partner = MembershipChoiceField(
        label=_("Patient partenaire"), queryset=Membership.objects.none()
    )

    class Meta:
        model = CheckIn
        fields = ["partner", "date", "went_well", "difficulties", "adjustments", "next_date"]
        widgets = {
            "date": DATE,
            "next_date": DATE,
            "went_well": TEXT,
            "difficulties": TEXT,
            "adjustments": TEXT,
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = team_memberships(project.structure, roles=[Role.PARTNER])

    def clean(self):
        cleaned = super().clean()
        date, next_date = cleaned.get("date"), cleaned.get("next_date")
        if date and next_date and next_date < date:
            self.add_error("next_date", _("Le prochain point doit suivre celui-ci."))
        return cleaned


class LinkForm(forms.Form):
    target = forms.ChoiceField(label=_("Mission, programme ou action à relier"), choices=[])

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—"), *links.choices_for(project.structure)]
        if not links.available_kinds():
            self.fields["target"].help_text = _(
                "Aucune mission, programme ou action n'est encore disponible."
            )
