from django.urls import path

from binome.networks import views

app_name = "networks"

urlpatterns = [
    path("auto-evaluation/", views.assessments, name="assessments"),
    path("auto-evaluation/nouvelle/", views.assessment_new, name="assessment_new"),
    path("auto-evaluation/<uuid:public_id>/", views.assessment_detail, name="assessment_detail"),
    path("ressources/", views.resources, name="resources"),
    path("ressources/nouvelle/", views.resource_new, name="resource_new"),
    path("ressources/<uuid:public_id>/modifier/", views.resource_edit, name="resource_edit"),
    path("matrice/", views.matrix_list, name="matrix_list"),
    path("matrice/dimensions/", views.dimensions, name="dimensions"),
    path("matrice/dimensions/<int:pk>/modifier/", views.dimension_edit, name="dimension_edit"),
    path("matrice/nouvelle/", views.matrix_new, name="matrix_new"),
    path("matrice/<uuid:public_id>/", views.matrix_detail, name="matrix_detail"),
    path("matrice/<uuid:public_id>/mes-reponses/", views.matrix_answer, name="matrix_answer"),
    path("matrice/<uuid:public_id>/consensus/", views.matrix_consensus, name="matrix_consensus"),
    path(
        "matrice/<uuid:public_id>/actions/nouvelle/",
        views.matrix_action_new,
        name="matrix_action_new",
    ),
    path(
        "matrice/actions/<uuid:public_id>/revue/",
        views.matrix_action_review,
        name="matrix_action_review",
    ),
    path("campagnes/", views.campaigns, name="campaigns"),
    path("campagnes/nouvelle/", views.campaign_new, name="campaign_new"),
    path("campagnes/<uuid:public_id>/", views.campaign_detail, name="campaign_detail"),
    path(
        "campagnes/<uuid:public_id>/inviter-adherents/",
        views.campaign_invite,
        name="campaign_invite",
    ),
    path(
        "campagnes/<uuid:public_id>/inviter/",
        views.campaign_add_structure,
        name="campaign_add_structure",
    ),
    path("campagnes/<uuid:public_id>/envoyer/", views.campaign_send, name="campaign_send"),
    path("campagnes/<uuid:public_id>/rapport/", views.campaign_report_view, name="campaign_report"),
    path(
        "campagnes/<uuid:public_id>/rapport.pdf",
        views.campaign_report_pdf,
        name="campaign_report_pdf",
    ),
    path(
        "campagnes/<uuid:public_id>/rapport.xlsx",
        views.campaign_report_xlsx,
        name="campaign_report_xlsx",
    ),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<uuid:public_id>/", views.card_detail, name="card_detail"),
    path("catalogue/<uuid:public_id>/echange/", views.exchange_new, name="exchange_new"),
    path("fiches/", views.my_cards, name="my_cards"),
    path("fiches/nouvelle/", views.card_new, name="card_new"),
    path("fiches/<uuid:public_id>/modifier/", views.card_edit, name="card_edit"),
    path("fiches/<uuid:public_id>/publication/", views.card_publish, name="card_publish"),
    path("echanges/", views.exchanges, name="exchanges"),
    path("echanges/<uuid:public_id>/reponse/", views.exchange_answer, name="exchange_answer"),
]
