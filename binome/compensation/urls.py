from django.urls import path

from binome.compensation import views

app_name = "compensation"

urlpatterns = [
    path("", views.entries, name="entries"),
    path("temps/nouveau/", views.log_time, name="log_time"),
    path("frais/nouveau/", views.log_expense, name="log_expense"),
    path("temps/<uuid:public_id>/", views.edit_time, name="edit_time"),
    path("frais/<uuid:public_id>/", views.edit_expense, name="edit_expense"),
    path("frais/<uuid:public_id>/justificatif/", views.receipt, name="receipt"),
    path("a-valider/", views.queue, name="queue"),
    path("temps/<uuid:public_id>/examen/", views.review_time, name="review_time"),
    path("frais/<uuid:public_id>/examen/", views.review_expense, name="review_expense"),
    path("releves/", views.statements, name="statements"),
    path("releves/<uuid:public_id>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("releves/<uuid:public_id>/tableur/", views.statement_xlsx, name="statement_xlsx"),
    path(
        "partenaires/<uuid:public_id>/bilan/<int:year>/",
        views.yearly_summary,
        name="yearly_summary",
    ),
    path("partenaires/<uuid:public_id>/attestation/", views.certificate, name="certificate"),
    path("budget/", views.budget, name="budget"),
    path("budget/financements/nouveau/", views.funding_create, name="funding_create"),
    path("budget/financements/<uuid:public_id>/", views.funding_edit, name="funding_edit"),
    path("budget/missions/<uuid:public_id>/", views.mission_budget, name="mission_budget"),
    path("budget/bareme/", views.rates, name="rates"),
]
