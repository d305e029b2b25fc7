from django.urls import path

from binome.tandems import views

# Mounted under accompagnements/ (binome/urls.py): the addresses they had before the split,
# which notifications already sent still point to.
app_name = "tandems"

urlpatterns = [
    path("tandems/", views.tandem_list, name="list"),
    path("tandems/nouveau/", views.tandem_create, name="create"),
    path("tandems/<uuid:public_id>/", views.tandem_detail, name="detail"),
    path("tandems/<uuid:public_id>/perimetre/", views.tandem_scope, name="scope"),
    path("tandems/<uuid:public_id>/compte-rendu/", views.tandem_report, name="report"),
    path(
        "comptes-rendus/<uuid:public_id>/lu/", views.acknowledge_report, name="acknowledge_report"
    ),
    path("groupes/", views.practice_sessions, name="practice"),
    path("groupes/nouvelle-seance/", views.practice_session_create, name="practice_create"),
]
