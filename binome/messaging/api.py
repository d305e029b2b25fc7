"""The reminders page's API twin: one's own way of being reminded."""

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema

from binome.api.base import ApiError
from binome.messaging import services

router = Router(tags=["Rappels"])


class PreferenceOut(Schema):
    channel: str
    phone: str
    sms_agreed_at: dt.datetime | None
    sms_stopped_at: dt.datetime | None
    sms_available: bool

    @staticmethod
    def resolve_sms_agreed_at(obj):
        return obj.sms_opt_in_at

    @staticmethod
    def resolve_sms_available(obj):
        return services.sms_available()


class PreferenceIn(Schema):
    channel: Literal["email", "sms", "both"]
    phone: str = ""
    agree_sms: bool = False


@router.get(
    "/preferences", response=PreferenceOut, summary=_("Comment je suis prévenu·e (e-mail, SMS)")
)
def my_preferences(request):
    return services.preference_of(request.user)


@router.post(
    "/preferences",
    response={200: PreferenceOut, 422: ApiError},
    summary=_("Choisir e-mail, SMS ou les deux ; les SMS demandent un portable et l'accord"),
)
def set_preferences(request, payload: PreferenceIn):
    return services.save_preference(
        request.user,
        channel=payload.channel,
        phone=payload.phone[:30],
        agree_sms=payload.agree_sms,
        request=request,
    )
