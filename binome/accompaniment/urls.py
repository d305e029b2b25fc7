from django.urls import path

from binome.accompaniment import views

app_name = "accompaniment"

urlpatterns = [
    path("", views.accompaniment_list, name="list"),
    path("aujourdhui/", views.today, name="today"),
    path("orienter/", views.refer, name="refer"),
    path("notifications/", views.notifications, name="notifications"),
    path("formulaire-consentement.pdf", views.consent_form_blank, name="consent_pdf_blank"),
    path("mon-accompagnement/", views.my_accompaniment, name="mine"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("charge/", views.load, name="load"),
    path("supervision/", views.supervision, name="supervision"),
    path("agenda/", views.calendar, name="calendar"),
    path(
        "alertes/<uuid:public_id>/prise-en-compte/",
        views.acknowledge_alert,
        name="acknowledge_alert",
    ),
    path(
        "consentements/<uuid:public_id>/retirer/", views.withdraw_consent, name="withdraw_consent"
    ),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/echange/", views.add_contact, name="add_contact"),
    path("<uuid:public_id>/moment-cle/", views.add_key_moment, name="add_key_moment"),
    path("<uuid:public_id>/alerte/", views.raise_alert, name="raise_alert"),
    path("<uuid:public_id>/terminer/", views.end, name="end"),
    path("<uuid:public_id>/rendre/", views.hand_back, name="hand_back"),
    path("<uuid:public_id>/confier/", views.reassign, name="reassign"),
    path("<uuid:public_id>/avis/", views.feedback, name="feedback"),
    path(
        "<uuid:public_id>/formulaire-consentement.pdf", views.consent_form_pdf, name="consent_pdf"
    ),
    path("<uuid:public_id>/lien-consentement/", views.send_consent_link, name="consent_link"),
    path("<uuid:public_id>/registre-consentements/", views.consent_ledger, name="consent_ledger"),
]
