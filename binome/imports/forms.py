from django import forms
from django.utils.translation import gettext_lazy as _

from binome.imports.kinds import KINDS
from binome.imports.reading import MAX_BYTES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Ce que contient le fichier"),
        choices=[(k, v.title) for k, v in KINDS.items()],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Fichier (.xlsx ou .csv)"),
        help_text=_("5 Mo au plus, 10 000 lignes au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Le fichier dépasse 5 Mo : coupez-le en plusieurs fichiers.")
            )
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(_("Déposez un fichier .xlsx (Excel, LibreOffice) ou .csv."))
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("import", "import"), ("nothing", "nothing")],
        error_messages={"required": _("Choisissez d'importer les lignes valides ou rien.")},
    )
