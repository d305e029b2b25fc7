from django.urls import path

from binome.messaging import views

app_name = "messaging_public"

urlpatterns = [path("sms/reponse/<str:token>/", views.reply, name="reply")]
