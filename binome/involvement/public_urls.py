from django.urls import path

from binome.involvement import views

app_name = "involvement_public"

urlpatterns = [
    path("atelier/<str:token>/", views.public_feedback, name="feedback"),
]
