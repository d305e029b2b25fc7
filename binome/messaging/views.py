import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from binome.core.forms import form_status
from binome.messaging import services
from binome.messaging.forms import PreferenceForm
from binome.messaging.models import Channel


def preferences(request):
    """Everyone signed in chooses how Binôme reminds them."""
    pref = services.preference_of(request.user)
    available = services.sms_available()
    initial = {
        "channel": pref.channel,
        "phone": pref.phone or request.user.phone,
        "agree_sms": pref.sms_opt_in_at is not None and pref.sms_stopped_at is None,
    }
    form = PreferenceForm(request.POST or None, initial=initial, sms=available)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_preference(
                request.user,
                channel=form.cleaned_data["channel"],
                phone=form.cleaned_data.get("phone", ""),
                agree_sms=form.cleaned_data.get("agree_sms", False),
                request=request,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            how = str(Channel(form.cleaned_data["channel"]).label).lower()
            messages.success(
                request, _("C'est noté : vous serez prévenu·e %(how)s.") % {"how": how}
            )
            return redirect("messaging:preferences")
    return render(
        request,
        "messaging/preferences.html",
        {"form": form, "pref": pref, "sms_available": available},
        status=form_status(form),
    )


@login_not_required
@csrf_exempt
@require_POST
def reply(request, token):
    """The SMS provider forwards the answers it receives here (token in the address)."""
    expected = settings.BINOME_SMS_INBOUND_TOKEN
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Http404
    data = request.POST.dict()
    if not data and request.body:
        try:
            data = json.loads(request.body)
        except ValueError:
            data = {}
    if not isinstance(data, dict):
        data = {}
    phone = next(
        (str(data[k]) for k in ("from", "phone", "number", "msisdn", "sender") if data.get(k)), ""
    )
    text = next((str(data[k]) for k in ("text", "message", "content", "body") if data.get(k)), "")
    if phone and text:
        services.handle_reply(phone, text[:160])
    return HttpResponse(status=204)
