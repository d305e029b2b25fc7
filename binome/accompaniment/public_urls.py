from django.urls import path

from binome.accompaniment import public_views

app_name = "accompaniment_public"

urlpatterns = [
    path("consentement/<str:token>/", public_views.consent, name="consent"),
    path("agenda/<str:token>.ics", public_views.calendar, name="calendar"),
]
