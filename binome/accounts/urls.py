from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy
from django_ratelimit.decorators import ratelimit

from binome.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("connexion/psc/", views.psc_start, name="psc_start"),
    path("connexion/psc/retour/", views.psc_callback, name="psc_callback"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("compte/", views.account, name="account"),
    path("compte/second-facteur/", views.second_factor, name="second_factor"),
    path(
        "compte/second-facteur/reinitialiser/",
        views.reset_second_factor,
        name="reset_second_factor",
    ),
    path("compte/jetons/", views.create_token, name="create_token"),
    path("compte/jetons/<uuid:public_id>/revoquer/", views.revoke_token, name="revoke_token"),
    path("compte/mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe-oublie/",
        login_not_required(
            ratelimit(key="ip", rate="10/h", method="POST", block=True)(
                views.PasswordResetView.as_view()
            )
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        login_not_required(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        login_not_required(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe-oublie/termine/",
        login_not_required(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("connexion/patient/", views.magic_link_request, name="magic_link_request"),
    path("connexion/lien/", views.magic_login, name="magic_login"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
