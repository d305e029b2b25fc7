from django.urls import path

from binome.missions import views

app_name = "missions"

urlpatterns = [
    path("", views.mission_list, name="list"),
    path("modeles/", views.templates, name="templates"),
    path("nouvelle/", views.create, name="create"),
    path("indemnisation/", views.compensation, name="compensation"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.edit, name="edit"),
    path("<uuid:public_id>/soumettre/", views.submit, name="submit"),
    path("<uuid:public_id>/valider/", views.validate, name="validate"),
    path("<uuid:public_id>/commenter/", views.comment, name="comment"),
    path("<uuid:public_id>/affecter/", views.assign, name="assign"),
    path(
        "<uuid:public_id>/affectations/<uuid:assignment_id>/terminer/",
        views.unassign,
        name="unassign",
    ),
    path("<uuid:public_id>/clore/", views.close, name="close"),
    path("<uuid:public_id>/versions/", views.versions, name="versions"),
    path("<uuid:public_id>/appariement/", views.matching_page, name="matching"),
    path("<uuid:public_id>/indemnisation/", views.set_mission_policy, name="set_policy"),
]
