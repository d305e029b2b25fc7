from django.urls import path

from binome.steering import views

app_name = "steering"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("nouveau/", views.project_create, name="create"),
    path("<uuid:public_id>/", views.project_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.project_edit, name="edit"),
    path("<uuid:public_id>/comite/ajouter/", views.add_member, name="add_member"),
    path("comite/<uuid:public_id>/retirer/", views.remove_member, name="remove_member"),
    path("<uuid:public_id>/cycles/nouveau/", views.add_cycle, name="add_cycle"),
    path("cycles/<uuid:public_id>/modifier/", views.edit_cycle, name="edit_cycle"),
    path("cycles/<uuid:public_id>/actions/nouvelle/", views.add_action, name="add_action"),
    path("actions/<uuid:public_id>/etat/", views.action_status, name="action_status"),
    path("<uuid:public_id>/journal/", views.logbook, name="logbook"),
    path("<uuid:public_id>/journal/nouveau/", views.add_logbook, name="add_logbook"),
    path("<uuid:public_id>/facteurs/", views.factors, name="factors"),
    path("<uuid:public_id>/facteurs/nouveau/", views.add_factor, name="add_factor"),
    path("facteurs/<uuid:public_id>/modifier/", views.edit_factor, name="edit_factor"),
    path("<uuid:public_id>/indicateurs/nouveau/", views.add_indicator, name="add_indicator"),
    path("indicateurs/<uuid:public_id>/valeur/", views.add_value, name="add_value"),
    path("<uuid:public_id>/points/nouveau/", views.add_checkin, name="add_checkin"),
    path("<uuid:public_id>/liens/nouveau/", views.add_link, name="add_link"),
]
