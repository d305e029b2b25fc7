from django.urls import path

from binome.voice import public_views

app_name = "voice_public"

urlpatterns = [
    path("enquete/<str:token>/", public_views.survey, name="survey"),
    path("<slug:slug>/idees/", public_views.idea, name="idea"),
    path("<slug:slug>/nous-avons-fait/", public_views.done, name="done"),
    path("<slug:slug>/gazette/<int:year>/<int:quarter>/", public_views.gazette, name="gazette"),
]
