from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.accounts.forms import ConfirmPasswordForm

FORMATS = [
    ("pdf", _("PDF lisible (à imprimer ou garder)")),
    ("json", _("JSON (fichier pour un logiciel)")),
]
# People who sign in by magic link have no password: a recent sign-in stands for it.
RECENT_LOGIN = timedelta(minutes=15)


class ReauthenticationForm(ConfirmPasswordForm):
    """Password again before an export or an erasure; for magic-link accounts, a fresh sign-in."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if not user.has_usable_password():
            del self.fields["password"]

    def clean(self):
        cleaned = super().clean()
        if not self.user.has_usable_password():
            last = self.user.last_login
            if last is None or timezone.now() - last > RECENT_LOGIN:
                raise forms.ValidationError(
                    _(
                        "Par sécurité, reconnectez-vous avec un nouveau lien de connexion, puis recommencez."
                    )
                )
        return cleaned


class ExportForm(ReauthenticationForm):
    format = forms.ChoiceField(
        label=_("Format"), choices=FORMATS, initial="pdf", widget=forms.RadioSelect
    )
    field_order = ["format", "password"]


CONFIRMATION_WORD = "EFFACER"


class EraseForm(ReauthenticationForm):
    confirmation = forms.CharField(
        label=_("Pour confirmer, écrivez EFFACER"),
        max_length=20,
        help_text=_("L'effacement est définitif : il ne peut pas être annulé."),
    )
    field_order = ["confirmation", "password"]

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"].strip().upper()
        if value != CONFIRMATION_WORD:
            raise forms.ValidationError(_("Écrivez EFFACER (en capitales) pour confirmer."))
        return value
