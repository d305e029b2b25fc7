"""Pro Santé Connect sign-in (ANS, « Pro Santé Connect — guide d'intégration du fournisseur de
service »): OpenID Connect authorization code flow with PKCE (S256), state and nonce,
``acr_values=eidas1`` for the e-CPS / CPS level, then the userinfo for the RPPS.

The protocol is Authlib's (state, PKCE, code exchange, ID token signature, issuer, audience,
expiry and nonce checks); this module only decides who the professional is in Binôme:

- a verified RPPS already on an account signs that account in;
- a pending invitation carrying that RPPS is accepted (the role comes from the invitation,
  never from Pro Santé Connect);
- a signed-in user who asked to link their e-CPS gets the verified RPPS on their account;
- anyone else is refused with a French message. Nothing creates a role by itself.

PSC identifies a professional by the national identifier « 8 » + RPPS (claims
``SubjectNameID`` and ``preferred_username``); the profession is in ``SubjectRefPro``.
"""

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.people import identifiers
from binome.people.models import Invitation, Membership, Profession, Role, User

SESSION_KEY = "psc_acr"  # the assurance level reached, read by the second-factor middleware
LINK_KEY = "psc_link_user"
_clients = {}


def enabled() -> bool:
    return bool(settings.PSC_ISSUER and settings.PSC_CLIENT_ID)


def client():
    """The Authlib client for the configured provider (one per configuration)."""
    from authlib.integrations.django_client import OAuth

    key = (
        settings.PSC_ISSUER,
        settings.PSC_CLIENT_ID,
        settings.PSC_CLIENT_SECRET,
        settings.PSC_SCOPE,
    )
    if key not in _clients:
        oauth = OAuth()
        oauth.register(
            "psc",
            client_id=settings.PSC_CLIENT_ID,
            client_secret=settings.PSC_CLIENT_SECRET,
            server_metadata_url=f"{settings.PSC_ISSUER}/.well-known/openid-configuration",
            client_kwargs={
                "scope": settings.PSC_SCOPE,
                "code_challenge_method": "S256",
                "timeout": 10,
            },
        )
        _clients[key] = oauth.psc
    return _clients[key]


class Refused(Exception):
    """A sign-in refused, with the French message shown to the professional and a reason
    code for the audit log (recorded by the view, outside the rolled-back transaction)."""

    def __init__(self, message, reason="refused"):
        super().__init__(message)
        self.reason = reason


def rpps_from(claims) -> str:
    """The RPPS from PSC's national identifier (« 8 » + RPPS); ADELI numbers are refused."""
    national = str(claims.get("SubjectNameID") or claims.get("preferred_username") or "")
    if not (len(national) == 12 and national.startswith("8")):
        raise Refused(
            _(
                "Pro Santé Connect n'a pas transmis de numéro RPPS : la connexion est réservée aux professionnels inscrits au RPPS."
            ),
            reason="no_rpps",
        )
    try:
        return identifiers.clean_rpps(national[1:])
    except ValidationError:
        raise Refused(
            _("Le numéro RPPS transmis par Pro Santé Connect est invalide."), reason="bad_rpps"
        ) from None


# RPPS profession codes (ANS nomenclature TRE_G15 « Profession de santé ») that have a
# Binôme profession; a doctor is a GP when the savoir-faire is SM54 (médecine générale).
PROFESSIONS = {
    "21": Profession.PHARMACIST,
    "50": Profession.MIDWIFE,
    "60": Profession.NURSE,
    "70": Profession.PHYSIO,
}


def profession_from(claims) -> str:
    """The Binôme profession read from PSC's ``SubjectRefPro`` (first practice), or ""."""
    practices = (claims.get("SubjectRefPro") or {}).get("exercices") or []
    if not practices or not isinstance(practices[0], dict):
        return ""
    code = str(practices[0].get("codeProfession") or "")
    if code == "10":
        return Profession.GP if practices[0].get("codeSavoirFaire") == "SM54" else Profession.DOCTOR
    return PROFESSIONS.get(code, "")


def explain(exc) -> str:
    """A French message for what the OpenID library refused."""
    name = type(exc).__name__
    text = str(exc).lower()
    if "nonce" in text:
        return _(
            "La connexion n'a pas pu être vérifiée (jeton rejoué ou d'une autre session). Recommencez depuis la page de connexion."
        )
    if "expired" in name.lower() or "expired" in text or '"exp"' in text:
        return _("Le jeton de Pro Santé Connect a expiré. Recommencez la connexion.")
    if "signature" in name.lower() or "signature" in text:
        return _("La signature du jeton de Pro Santé Connect est invalide : connexion refusée.")
    if "state" in name.lower() or "state" in text:
        return _(
            "La demande de connexion a expiré ou vient d'une autre fenêtre. Recommencez depuis la page de connexion."
        )
    return _("Pro Santé Connect n'a pas pu confirmer votre identité. Recommencez la connexion.")


def complete(request, id_claims, userinfo) -> str:
    """Decide the Binôme account for a verified PSC identity and sign it in (or link it);
    returns how: "linked", "rpps" or "invitation". Raises Refused."""
    if settings.PSC_ACR and id_claims.get("acr") != settings.PSC_ACR:
        raise Refused(
            _("Le niveau d'authentification exigé (carte CPS ou e-CPS) n'a pas été atteint."),
            reason="acr",
        )
    claims = {**dict(id_claims), **dict(userinfo or {})}
    rpps = rpps_from(claims)
    now = timezone.now()
    with transaction.atomic():
        linking = request.session.get(LINK_KEY)
        if linking and request.user.is_authenticated and request.user.pk == linking:
            user = User.objects.select_for_update().get(pk=request.user.pk)
            holder = User.objects.filter(rpps=rpps).exclude(pk=user.pk).first()
            if holder is not None or (user.rpps and user.rpps != rpps and user.rpps_verified_at):
                raise Refused(
                    _(
                        "Ce numéro RPPS est déjà relié à un autre compte : contactez la coordination."
                    ),
                    reason="rpps_taken",
                )
            user.rpps, user.rpps_verified_at = rpps, now
            user.save(update_fields=["rpps", "rpps_verified_at"])
            record("auth.psc_linked", actor=user, request=request, target=user)
            request.session.pop(LINK_KEY, None)
            return "linked"
        user = User.objects.filter(
            rpps=rpps, rpps_verified_at__isnull=False, is_active=True
        ).first()
        how = "rpps"
        if user is None:
            user = _accept_invitation(request, rpps, claims)
            how = "invitation"
        if user is None:
            raise Refused(
                _(
                    "Votre numéro RPPS n'est relié à aucun compte Binôme. Demandez une invitation à la coordination de votre "
                    "structure, ou connectez-vous avec votre adresse e-mail puis reliez votre e-CPS depuis « Mon compte »."
                ),
                reason="unknown_rpps",
            )
        login(request, user, backend="binome.accounts.backends.ModelBackend")
        request.session[SESSION_KEY] = id_claims.get("acr") or "psc"
        record("auth.psc_signed_in", actor=user, request=request, target=user, via=how)
    return how


def _accept_invitation(request, rpps, claims):
    from binome.people import services as people_services

    invitation = (
        Invitation.objects.pending()
        .filter(rpps=rpps)
        .select_related("structure")
        .order_by("-created_at")
        .first()
    )
    if invitation is None:
        return None
    existing = User.objects.filter(email=invitation.email).first()
    if existing is not None and existing.rpps and existing.rpps != rpps:
        return None
    user = people_services.accept_invitation(
        invitation,
        user=existing,
        first_name=claims.get("given_name", "") or invitation.first_name,
        last_name=claims.get("family_name", "") or invitation.last_name,
        password=None,
        request=request,
    )
    User.objects.filter(pk=user.pk).update(rpps=rpps, rpps_verified_at=timezone.now())
    # The invitation's profession wins; PSC's fills it only when the coordinator left it blank.
    profession = profession_from(claims)
    if profession:
        Membership.objects.filter(
            user=user, structure=invitation.structure, role=Role.PROFESSIONAL, profession=""
        ).update(profession=profession)
    user.refresh_from_db()
    return user
