from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit
from sesame.utils import get_query_string

from binome.accounts import services
from binome.accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    ConfirmPasswordForm,
    EmailAuthenticationForm,
    MagicLinkRequestForm,
    OtpTokenForm,
    ProfileForm,
)
from binome.accounts.middleware import second_factor_exempt
from binome.accounts.models import ApiToken
from binome.audit.services import record
from binome.core.qr import qr_svg_data_uri
from binome.people import services as people_services
from binome.people.models import Role, User


def _safe_next(request, default="web:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return reverse(default)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


login_view = login_not_required(LoginView.as_view())


def logout_view(request):
    if request.method == "POST":
        return auth_views.LogoutView.as_view()(request)
    return render(request, "accounts/logout_confirm.html")


logout_view = login_not_required(logout_view)


def _confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor(request):
    """Verify the TOTP code, or enrol a first device when there is none."""
    user = request.user
    next_url = _safe_next(request)
    if user.is_verified():
        return redirect(next_url)
    device = _confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = services.enrolment_device(user)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verify_allowed, _info = device.verify_is_allowed()
        if verify_allowed and device.verify_token(form.cleaned_data["token"]):
            services.pass_second_factor(request, device, enrolling=enrolling)
            return redirect(next_url)
        record("auth.second_factor_failed", request=request)
        if not verify_allowed:
            form.add_error(
                "token", _("Trop d'essais : patientez quelques secondes puis réessayez.")
            )
        else:
            form.add_error(
                "token",
                _("Code incorrect ou expiré. Vérifiez l'heure de votre téléphone et réessayez."),
            )
    context = {
        "form": form,
        "enrolling": enrolling,
        "next": next_url,
        "exempt": second_factor_exempt(user),
    }
    if enrolling:
        context["qr"] = qr_svg_data_uri(device.config_url)
        context["secret"] = _b32(device)
    return render(
        request, "accounts/second_factor.html", context, status=400 if form.errors else 200
    )


def _b32(device):
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    # Groups of four are easier to copy by hand; authenticator apps ignore the spaces.
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_not_required
@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def magic_link_request(request):
    """Accompanied patients sign in with a link sent by email (no password)."""
    form = MagicLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        user = User.objects.filter(
            email=email, is_active=True, memberships__role=Role.PATIENT, memberships__is_active=True
        ).first()
        if user is not None:
            url = settings.SITE_URL + reverse("accounts:magic_login") + get_query_string(user)
            body = render_to_string("accounts/email/magic_link.txt", {"user": user, "url": url})
            send_mail(_("Votre lien de connexion à Binôme"), body, None, [user.email])
            record("auth.magic_link_sent", actor=user, request=request)
        # The same answer whether or not the address is known.
        return render(request, "accounts/magic_link_sent.html")
    return render(
        request,
        "accounts/magic_link_request.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_not_required
def magic_login(request):
    from sesame.views import LoginView as SesameLoginView

    return SesameLoginView.as_view(next_page=reverse_lazy("web:home"))(request)


@login_not_required
def accept_invitation(request, token):
    invitation = people_services.find_invitation(token)
    if invitation is None or not invitation.is_pending:
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing = User.objects.filter(email=invitation.email).first()
    if existing is not None:
        if not request.user.is_authenticated:
            messages.info(
                request,
                _(
                    "Un compte existe déjà pour %(email)s : connectez-vous pour accepter l'invitation."
                )
                % {"email": invitation.email},
            )
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if request.method == "POST":
            try:
                people_services.accept_invitation(invitation, user=request.user, request=request)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("web:home")
            request.session["current_structure"] = invitation.structure.slug
            messages.success(
                request, _("Vous avez rejoint %(name)s.") % {"name": invitation.structure.name}
            )
            return redirect("web:home")
        return render(
            request, "accounts/invitation_accept.html", {"invitation": invitation, "form": None}
        )
    form = AcceptInvitationForm(
        request.POST or None,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if request.method == "POST" and form.is_valid():
        form.validate_password_for(
            User(
                email=invitation.email,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        )
        if form.is_valid():
            try:
                user = people_services.accept_invitation(
                    invitation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                login(request, user, backend="binome.accounts.backends.ModelBackend")
                request.session["current_structure"] = invitation.structure.slug
                messages.success(request, _("Bienvenue ! Votre compte est créé."))
                return redirect("web:home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )


def account(request):
    profile_form = ProfileForm(request.POST or None, instance=request.user, prefix="profile")
    if request.method == "POST" and profile_form.is_valid():
        services.save_profile(profile_form, request=request)
        messages.success(request, _("Vos informations sont enregistrées."))
        return redirect("accounts:account")
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    context = {
        "profile_form": profile_form,
        "token_form": ApiTokenForm(request.user, prefix="token"),
        "reset_form": ConfirmPasswordForm(request.user, prefix="reset"),
        "device": _confirmed_device(request.user),
        "tokens": tokens,
        "memberships": request.binome.memberships,
        "network_memberships": request.binome.network_memberships,
        "new_token": request.session.pop("new_api_token", None),
    }
    return render(
        request, "accounts/account.html", context, status=400 if profile_form.errors else 200
    )


@require_POST
def create_token(request):
    form = ApiTokenForm(request.user, request.POST, prefix="token")
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("accounts:account")
    with transaction.atomic():
        token, raw = ApiToken.issue(request.user, form.cleaned_data["name"])
        record("auth.api_token_created", target=token, request=request)
    request.session["new_api_token"] = raw
    return redirect("accounts:account")


@require_POST
def revoke_token(request, public_id):
    token = get_object_or_404(
        ApiToken, public_id=public_id, user=request.user, revoked_at__isnull=True
    )
    with transaction.atomic():
        token.revoke()
        record("auth.api_token_revoked", target=token, request=request)
    messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
    return redirect("accounts:account")


@require_POST
def reset_second_factor(request):
    form = ConfirmPasswordForm(request.user, request.POST, prefix="reset")
    if not form.is_valid():
        messages.error(request, _("Mot de passe incorrect : le second facteur n'a pas été changé."))
        return redirect("accounts:account")
    services.reset_second_factor(request)
    messages.success(
        request, _("Configurez maintenant votre nouvelle application d'authentification.")
    )
    # Keep the session but require enrolment again.
    from django_otp import DEVICE_ID_SESSION_KEY

    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    return redirect("accounts:second_factor")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)
        record("auth.password_changed", request=self.request)
        messages.success(self.request, _("Votre mot de passe est modifié."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        record("auth.password_reset_requested", request=self.request)
        return super().form_valid(form)


# Pro Santé Connect -------------------------------------------------------------------------


@login_not_required
@ratelimit(key="ip", rate="30/m", block=True)
def psc_start(request):
    """Send the professional to Pro Santé Connect (e-CPS or CPS card)."""
    from binome.accounts import psc

    if not psc.enabled():
        raise Http404
    if request.GET.get("relier") and request.user.is_authenticated:
        request.session[psc.LINK_KEY] = request.user.pk
    else:
        request.session.pop(psc.LINK_KEY, None)
    request.session["psc_next"] = _safe_next(request)
    return psc.client().authorize_redirect(
        request, settings.PSC_REDIRECT_URL, acr_values=settings.PSC_ACR
    )


@login_not_required
@ratelimit(key="ip", rate="30/m", block=True)
def psc_callback(request):
    from authlib.common.errors import AuthlibBaseError
    from joserfc.errors import JoseError

    from binome.accounts import psc

    if not psc.enabled():
        raise Http404
    error = None
    if request.GET.get("error"):
        error = _("Connexion Pro Santé Connect annulée ou refusée (%(e)s).") % {
            "e": request.GET["error"][:60]
        }
    else:
        try:
            client = psc.client()
            token = client.authorize_access_token(request)
            userinfo = client.userinfo(token=token)
            how = psc.complete(request, token.get("userinfo") or {}, userinfo)
        except psc.Refused as exc:
            with transaction.atomic():
                record("auth.psc_refused", request=request, reason=exc.reason)
            error = str(exc)
        except (AuthlibBaseError, JoseError, ValueError) as exc:
            with transaction.atomic():
                record("auth.psc_refused", request=request, reason=type(exc).__name__)
            error = psc.explain(exc)
    if error:
        linking = request.session.pop(psc.LINK_KEY, None)
        if linking and request.user.is_authenticated:
            messages.error(request, error)
            return redirect("accounts:account")
        form = EmailAuthenticationForm(request)
        return render(
            request,
            "accounts/login.html",
            {"form": form, "psc_error": error, "next": request.session.get("psc_next", "")},
            status=403,
        )
    if how == "linked":
        messages.success(
            request,
            _(
                "Votre carte e-CPS est reliée à votre compte : vous pourrez vous connecter avec Pro Santé Connect."
            ),
        )
        return redirect("accounts:account")
    return redirect(request.session.pop("psc_next", None) or reverse("web:home"))
