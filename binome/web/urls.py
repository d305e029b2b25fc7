from django.urls import path

from binome.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("contexte/", views.switch_context, name="switch_context"),
    path("healthz", views.healthz, name="healthz"),
]
