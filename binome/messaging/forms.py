from django import forms
from django.utils.translation import gettext_lazy as _

from binome.messaging.models import Channel


class PreferenceForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Comment voulez-vous être prévenu·e ?"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Téléphone portable"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    agree_sms = forms.BooleanField(
        label=_(
            "J'accepte de recevoir des SMS de rappel de Binôme. Ils ne disent rien de ma santé ni de celle des "
            "patients ; je peux répondre STOP à tout moment."
        ),
        required=False,
    )

    def __init__(self, *args, sms=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sms:
            self.fields["channel"].choices = [(Channel.EMAIL, Channel.EMAIL.label)]
            del self.fields["phone"], self.fields["agree_sms"]
