from django.urls import path

from binome.partners import public_views

app_name = "partners_public"

urlpatterns = [
    path("partenaires/<slug:slug>/", public_views.call, name="call"),
    path("partenaires/<slug:slug>/merci/", public_views.thanks, name="thanks"),
]
