from django.urls import path

from binome.messaging import views

app_name = "messaging"

urlpatterns = [path("", views.preferences, name="preferences")]
