from django.urls import path

from binome.networks import views

app_name = "networks_public"

urlpatterns = [
    path("campagne/<str:token>/", views.public_answer, name="answer"),
]
