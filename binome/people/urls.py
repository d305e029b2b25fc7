from django.urls import path

from binome.people import views

app_name = "people"

urlpatterns = [
    path("", views.structure_detail, name="structure"),
    path("membres/", views.members, name="members"),
    path("membres/inviter/", views.invite, name="invite"),
    path(
        "membres/invitations/<uuid:public_id>/annuler/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("membres/<uuid:public_id>/retirer/", views.deactivate_member, name="deactivate_member"),
]
