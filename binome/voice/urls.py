from django.urls import path

from binome.voice import views

app_name = "voice"

urlpatterns = [
    path("", views.home, name="home"),
    path("enquetes/", views.survey_list, name="survey_list"),
    path("enquetes/nouvelle/", views.survey_create, name="survey_create"),
    path("enquetes/<uuid:public_id>/", views.survey_detail, name="survey_detail"),
    path("enquetes/<uuid:public_id>/modifier/", views.survey_edit, name="survey_edit"),
    path("enquetes/<uuid:public_id>/parties/", views.section_add, name="section_add"),
    path("enquetes/<uuid:public_id>/questions/", views.question_add, name="question_add"),
    path("questions/<uuid:public_id>/supprimer/", views.question_delete, name="question_delete"),
    path("enquetes/<uuid:public_id>/publier/", views.survey_publish, name="survey_publish"),
    path("enquetes/<uuid:public_id>/clore/", views.survey_close, name="survey_close"),
    path("enquetes/<uuid:public_id>/affiche.pdf", views.survey_poster, name="survey_poster"),
    path("enquetes/<uuid:public_id>/saisie-papier/", views.survey_paper, name="survey_paper"),
    path("enquetes/<uuid:public_id>/resultats/", views.survey_results_view, name="survey_results"),
    path("enquetes/<uuid:public_id>/themes/", views.survey_themes, name="survey_themes"),
    path("enquetes/<uuid:public_id>/analyse/", views.survey_coding, name="survey_coding"),
    path(
        "enquetes/<uuid:public_id>/analyse.xlsx",
        views.survey_coding_xlsx,
        name="survey_coding_xlsx",
    ),
    path(
        "enquetes/<uuid:public_id>/reponses.csv", views.survey_export_csv, name="survey_export_csv"
    ),
    path(
        "enquetes/<uuid:public_id>/reponses.xlsx",
        views.survey_export_xlsx,
        name="survey_export_xlsx",
    ),
    path("idees/", views.idea_list, name="idea_list"),
    path("idees/affiche.pdf", views.idea_poster, name="idea_poster"),
    path("idees/themes/", views.idea_themes, name="idea_themes"),
    path("idees/<uuid:public_id>/", views.idea_detail, name="idea_detail"),
    path("idees/<uuid:public_id>/moderer/", views.idea_moderate, name="idea_moderate"),
    path("comite/", views.committee_list, name="committee_list"),
    path("comite/<uuid:public_id>/", views.committee_detail, name="committee_detail"),
    path(
        "comite/<uuid:public_id>/membres/", views.committee_add_member, name="committee_add_member"
    ),
    path(
        "comite/<uuid:public_id>/membres/retirer/",
        views.committee_remove_member,
        name="committee_remove_member",
    ),
    path("comite/<uuid:public_id>/reunions/", views.meeting_add, name="meeting_add"),
    path("comite/<uuid:public_id>/propositions/", views.proposal_add, name="proposal_add"),
    path("reunions/<uuid:public_id>/", views.meeting_detail, name="meeting_detail"),
    path(
        "comite/<uuid:public_id>/membres/sans-compte/",
        views.committee_add_external,
        name="committee_add_external",
    ),
    path("reunions/<uuid:public_id>/convocation/", views.meeting_convene, name="meeting_convene"),
    path(
        "reunions/<uuid:public_id>/presences/", views.meeting_attendance, name="meeting_attendance"
    ),
    path(
        "reunions/<uuid:public_id>/compte-rendu/envoi/",
        views.meeting_send_minutes,
        name="meeting_send_minutes",
    ),
    path("reunions/<uuid:public_id>/papier/", views.meeting_paper, name="meeting_paper"),
    path("propositions/<uuid:public_id>/", views.proposal_detail, name="proposal_detail"),
    path("gazette/", views.gazette, name="gazette"),
    path("gazette/gazette.pdf", views.gazette_pdf, name="gazette_pdf"),
    path("gazette/texte/", views.gazette_text, name="gazette_text"),
    path("gazette/<uuid:public_id>/relecture/", views.gazette_submit, name="gazette_submit"),
    path("gazette/<uuid:public_id>/validation/", views.gazette_approve, name="gazette_approve"),
    path("gazette/<uuid:public_id>/publication/", views.gazette_publish, name="gazette_publish"),
]
