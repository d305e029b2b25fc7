from django.urls import path

from binome.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("export/", views.export_mine, name="export_mine"),
    path("personnes/", views.people, name="people"),
    path("personnes/<uuid:public_id>/", views.person, name="person"),
    path("personnes/<uuid:public_id>/export/", views.person_export, name="person_export"),
    path("personnes/<uuid:public_id>/effacer/", views.person_erase, name="person_erase"),
    path("fiches/<str:source>/<uuid:public_id>/", views.record_detail, name="record"),
    path("fiches/<str:source>/<uuid:public_id>/export/", views.record_export, name="record_export"),
    path("fiches/<str:source>/<uuid:public_id>/effacer/", views.record_erase, name="record_erase"),
    path("conservation/", views.retention, name="retention"),
    path("registre/", views.document, {"kind": "register"}, name="register"),
    path("registre/pdf/", views.document_pdf, {"kind": "register"}, name="register_pdf"),
    path("aipd/", views.document, {"kind": "dpia"}, name="dpia"),
    path("aipd/pdf/", views.document_pdf, {"kind": "dpia"}, name="dpia_pdf"),
]
