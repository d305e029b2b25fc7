from django.urls import path

from binome.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.pool, name="pool"),
    path("candidatures/", views.pipeline, name="pipeline"),
    path("nouveau/", views.create, name="create"),
    path("mon-profil/", views.my_profile, name="my_profile"),
    path("mon-profil/partage/", views.my_shares, name="my_shares"),
    path("mon-profil/partage/partager/", views.share_profile, name="share_profile"),
    path(
        "mon-profil/partage/<uuid:public_id>/retirer/",
        views.withdraw_share,
        name="withdraw_share",
    ),
    path("vivier-cpts/", views.pool_members, name="pool_members"),
    path("vivier-cpts/inviter/", views.pool_invite, name="pool_invite"),
    path("vivier-cpts/<uuid:public_id>/accepter/", views.pool_accept, name="pool_accept"),
    path("vivier-cpts/<uuid:public_id>/terminer/", views.pool_end, name="pool_end"),
    path("recrutement/", views.recruitment, name="recruitment"),
    path("recrutement/affiche.pdf", views.poster, name="poster"),
    path("recrutement/criteres/", views.add_criterion, name="add_criterion"),
    path("recrutement/etapes/", views.gates, name="gates"),
    path(
        "recrutement/criteres/<uuid:public_id>/retirer/",
        views.retire_criterion,
        name="retire_criterion",
    ),
    path("charte/", views.charter, name="charter"),
    path("charte/signer/", views.sign_charter, name="sign_charter"),
    path("charte/signature-papier/", views.record_signature, name="record_signature"),
    path("charte/nouvelle-version/", views.publish_charter, name="publish_charter"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/photo/", views.photo, name="photo"),
    path("<uuid:public_id>/equipe/", views.edit_team, name="edit_team"),
    path("<uuid:public_id>/ne-plus-recevoir/", views.pool_decline, name="pool_decline"),
    path("<uuid:public_id>/decision/", views.decide, name="decide"),
    path("<uuid:public_id>/rencontre/", views.add_meeting, name="add_meeting"),
    path("<uuid:public_id>/evaluation/", views.evaluate, name="evaluate"),
    path("<uuid:public_id>/inviter/", views.invite, name="invite"),
    path("<uuid:public_id>/formations/", views.add_training, name="add_training"),
    path(
        "<uuid:public_id>/formations/<uuid:training_id>/justificatif/",
        views.training_proof,
        name="training_proof",
    ),
]
