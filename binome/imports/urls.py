from django.urls import path

from binome.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.start, name="start"),
    path("modele/", views.template, name="template"),
    path("modele/enquete/<uuid:public_id>/", views.survey_template, name="survey_template"),
    path("<uuid:public_id>/", views.batch, name="batch"),
    path("<uuid:public_id>/decision/", views.decide, name="decide"),
    path("<uuid:public_id>/compte-rendu.xlsx", views.report, name="report"),
]
