from django.urls import path

from binome.involvement import views

app_name = "involvement"

urlpatterns = [
    path("", views.register, name="register"),
    path("actions/nouvelle/", views.action_create, name="action_create"),
    path("actions/<uuid:public_id>/", views.action_detail, name="action_detail"),
    path("actions/<uuid:public_id>/modifier/", views.action_edit, name="action_edit"),
    path("actions/<uuid:public_id>/supprimer/", views.action_delete, name="action_delete"),
    path("actions/<uuid:public_id>/pieces/", views.evidence_upload, name="evidence_upload"),
    path("pieces/<uuid:public_id>/", views.evidence_download, name="evidence_download"),
    path("pieces/<uuid:public_id>/supprimer/", views.evidence_delete, name="evidence_delete"),
    path("continuum/", views.continuum, name="continuum"),
    path("aci/", views.aci_report, name="aci_report"),
    path("aci/rapport.pdf", views.aci_report_pdf, name="aci_report_pdf"),
    path("aci/rapport.xlsx", views.aci_report_xlsx, name="aci_report_xlsx"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/nouveau/", views.programme_create, name="programme_create"),
    path("programmes/<uuid:public_id>/", views.programme_detail, name="programme_detail"),
    path("programmes/<uuid:public_id>/modifier/", views.programme_edit, name="programme_edit"),
    path("ateliers/<uuid:public_id>/", views.workshop_detail, name="workshop_detail"),
    path("ateliers/<uuid:public_id>/modifier/", views.workshop_edit, name="workshop_edit"),
    path(
        "ateliers/<uuid:public_id>/avis-papier/",
        views.workshop_paper_feedback,
        name="workshop_paper_feedback",
    ),
]
