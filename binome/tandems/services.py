"""State changes of tandems and practice-analysis groups: check, write, audit, in one
transaction. The audit kinds keep the names they had in ``accompaniment``: the journal's
history reads on."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accompaniment.access import sharing_refusal
from binome.accompaniment.models import Consent, ConsentPurpose
from binome.accompaniment.services import notify, refuse, save
from binome.audit.services import record
from binome.tandems.models import Tandem, TandemReport, TandemScope


@transaction.atomic
def create_tandem(*, structure, doctor, partner, mode, scope, user, request=None) -> Tandem:
    """A doctor–partner tandem with its first agreed scope (seed 003); one per pair."""
    if Tandem.objects.filter(doctor=doctor, partner=partner).exists():
        raise ValidationError(_("Ce tandem existe déjà."))
    tandem = Tandem(structure=structure, doctor=doctor, partner=partner, mode=mode)
    save(tandem, "accompaniment.tandem_saved", request=request, structure=structure)
    save_scope(tandem, text=scope, user=user, request=request)
    return tandem


@transaction.atomic
def save_scope(tandem, *, text, user, request=None) -> TandemScope:
    last = tandem.scopes.order_by("-version").first()
    if last and last.text.strip() == text.strip():
        return last
    scope = TandemScope.objects.create(
        tandem=tandem, version=(last.version + 1 if last else 1), text=text, created_by=user
    )
    record(
        "accompaniment.tandem_saved",
        actor=user,
        structure=tandem.structure,
        target=tandem,
        request=request,
        scope_version=scope.version,
    )
    return scope


def joint_consultation_allowed(tandem, accompaniment) -> str:
    """ "" when a joint consultation may be reported, else the French reason (seed 003:
    synchronous tandems, only with the patient's consent)."""
    if tandem.mode != Tandem.Mode.SYNCHRONOUS:
        return _("Ce tandem est asynchrone : pas de consultation commune.")
    if accompaniment is None:
        return _("Indiquez la personne accompagnée : une consultation commune demande son accord.")
    if (
        not Consent.objects.filter(
            patient_id=accompaniment.patient_id, purpose=ConsentPurpose.JOINT_CONSULTATION
        )
        .active()
        .exists()
    ):
        return _("Le patient n'a pas donné son accord pour une consultation commune.")
    return ""


def add_report(tandem, *, user, data, request=None) -> TandemReport:
    """A report about a patient reaches the doctor only with the patient's consent to share
    (seed 003: nothing passed on without the patient's express agreement)."""
    refusal = sharing_refusal(data.get("accompaniment"))
    if refusal:
        refuse(
            "tandem_report_without_consent",
            structure=tandem.structure,
            target=data["accompaniment"],
            user=user,
            request=request,
            message=refusal,
        )
    return _add_report(tandem, user=user, data=data, request=request)


@transaction.atomic
def _add_report(tandem, *, user, data, request=None) -> TandemReport:
    report = TandemReport.objects.create(tandem=tandem, created_by=user, **data)
    record(
        "accompaniment.tandem_report_added",
        actor=user,
        structure=tandem.structure,
        target=report,
        request=request,
    )
    notify(
        [tandem.doctor.user],
        structure=tandem.structure,
        url=reverse("tandems:detail", kwargs={"public_id": tandem.public_id}),
        text=_("Nouveau compte rendu de votre tandem avec %(partner)s.")
        % {"partner": tandem.partner.first_name},
    )
    return report


def acknowledge_report(report, *, user, reply="", request=None) -> TandemReport:
    """Only what the doctor may read can be acknowledged (``report.shared``, see
    access.tandem_reports): a report withheld since the patient withdrew is refused."""
    if not getattr(report, "shared", True) or sharing_refusal(report.accompaniment):
        refuse(
            "tandem_report_withheld",
            structure=report.tandem.structure,
            target=report,
            user=user,
            request=request,
            forbidden=True,
            message=_(
                "Le patient a retiré son accord pour partager : ce compte rendu ne vous est plus transmis."
            ),
        )
    return _acknowledge_report(report, user=user, reply=reply, request=request)


@transaction.atomic
def _acknowledge_report(report, *, user, reply="", request=None) -> TandemReport:
    changed = []
    if report.acknowledged_at is None:
        report.acknowledged_at = timezone.now()
        report.acknowledged_by = user
        changed += ["acknowledged_at", "acknowledged_by"]
    if reply:
        report.reply = reply
        changed.append("reply")
    if changed:
        report.save(update_fields=changed)
        record(
            "accompaniment.tandem_report_acknowledged",
            actor=user,
            structure=report.tandem.structure,
            target=report,
            request=request,
            replied=bool(reply),
        )
        partner = report.tandem.partner
        if partner.membership_id:
            notify(
                [partner.membership.user],
                structure=report.tandem.structure,
                url=reverse("tandems:detail", kwargs={"public_id": report.tandem.public_id}),
                text=_("Le médecin a lu votre compte rendu.")
                if not reply
                else _("Le médecin a répondu à votre compte rendu."),
            )
    return report
