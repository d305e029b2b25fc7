"""FHIR R4 export, read-only, under /api/v1/fhir/: the same tokens, scoping and consent
rules as the pages (binome.accompaniment.access), every read audited.

Profiles aimed at (docs/fhir.md): FR Core (Interop'Santé, hl7.fr/ig/fhir/core) for
Organization, Practitioner and PractitionerRole, with the identifier systems of the ANS
« Annuaire Santé » guide; base R4 CareTeam and Consent. Resources are plain dicts here; the
tests build and validate each one with the ``fhir.resources`` library.
"""

import json
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router

from binome.accompaniment import access as acc_access
from binome.accompaniment.models import Accompaniment, Consent, ConsentPurpose
from binome.api.base import FHIR_JSON  # the type the API document gives these answers
from binome.audit.services import record
from binome.people.models import Membership, Role

router = Router(tags=["FHIR R4"])

FHIR_VERSION = "4.0.1"

# Identifier systems (FR Core 2.x and the ANS Annuaire Santé guide).
FINESS = "http://finess.sante.gouv.fr"
SIRET = "https://sirene.fr"
IDNST = "urn:oid:1.2.250.1.71.4.2.2"  # national structure id: "1" + FINESS, "3" + SIRET
IDNPS = "urn:oid:1.2.250.1.71.4.2.1"  # national professional id: "8" + RPPS
RPPS = "http://rpps.fr"
ID_TYPE = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
FR_CORE = "https://hl7.fr/ig/fhir/core/StructureDefinition/"
# TRE_G15 profession codes (ANS, Nomenclatures des objets de santé), only those we are sure of.
G15 = "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante"
G15_CODES = {
    "gp": ("10", "Médecin"),
    "doctor": ("10", "Médecin"),
    "nurse": ("60", "Infirmier"),
    "asalee": ("60", "Infirmier"),
    "physio": ("70", "Masseur-Kinésithérapeute"),
    "pharmacist": ("21", "Pharmacien"),
    "midwife": ("50", "Sage-Femme"),
}


def binome_system(name):
    """Binôme's own code systems (no national code exists for these roles and purposes)."""
    return f"{settings.SITE_URL}/fhir/CodeSystem/{name}"


def _answer(resource, status=200):
    return HttpResponse(
        json.dumps(resource, ensure_ascii=False, default=str), status=status, content_type=FHIR_JSON
    )


def outcome(status, code, message):
    """Errors as FHIR expects them: an OperationOutcome, its text in French."""
    return _answer(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": message}],
        },
        status=status,
    )


def fhir_errors(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            with transaction.atomic():
                record(
                    "api.fhir_not_found",
                    request=request,
                    actor=request.user,
                    structure=None,
                    resource=view.__name__,
                    id=str(kwargs.get("resource_id", ""))[:64],
                )
            return outcome(404, "not-found", "Ressource introuvable.")
        except PermissionDenied as exc:
            return outcome(403, "forbidden", str(exc) or "Lecture non autorisée pour votre rôle.")

    return wrapper


def _instant(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _bundle(request, resources):
    base = f"{settings.SITE_URL}/api/v1/fhir"
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "link": [{"relation": "self", "url": request.build_absolute_uri()}],
        "entry": [
            {
                "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }


def _count(request):
    try:
        return max(1, min(int(request.GET.get("_count", 50)), 100))
    except ValueError:
        return 50


# --- Organization ---------------------------------------------------------------------


def organization(structure):
    identifiers = []
    if structure.finess:
        identifiers.append(
            {
                "use": "official",
                "type": {"coding": [{"system": ID_TYPE, "code": "FINEG"}]},
                "system": FINESS,
                "value": structure.finess,
            }
        )
        identifiers.append(
            {
                "use": "official",
                "type": {"coding": [{"system": ID_TYPE, "code": "IDNST"}]},
                "system": IDNST,
                "value": f"1{structure.finess}",
            }
        )
    if structure.siret:
        identifiers.append(
            {
                "use": "official",
                "type": {"coding": [{"system": ID_TYPE, "code": "SIRET"}]},
                "system": SIRET,
                "value": structure.siret,
            }
        )
    address = {"use": "work", "country": "FR"}
    if structure.commune:
        address["city"] = structure.commune
    if structure.department:
        address["district"] = structure.department
    return {
        "resourceType": "Organization",
        "id": structure.slug,
        "meta": {"profile": [f"{FR_CORE}fr-core-organization"]},
        "identifier": identifiers,
        "active": True,
        "type": [
            {
                "coding": [
                    {
                        "system": binome_system("type-structure"),
                        "code": structure.kind,
                        "display": structure.get_kind_display(),
                    }
                ]
            }
        ],
        "name": structure.name,
        "address": [address],
    }


@router.get("/Organization", summary=_("Organization : les structures de l'utilisateur (Bundle)"))
@fhir_errors
def organization_search(request):
    return _answer(_bundle(request, [organization(s) for s in request.binome.structures]))


@router.get(
    "/Organization/{resource_id}",
    summary=_("Organization : une structure (identifiants FINESS, SIRET)"),
)
@fhir_errors
def organization_read(request, resource_id: str):
    for s in request.binome.structures:
        if s.slug == resource_id:
            return _answer(organization(s))
    raise Http404


# --- Practitioner and PractitionerRole ------------------------------------------------


def _team_structures(request):
    """Structures where the caller may read the team (the members API's rule: not as a patient)."""
    return [
        s.pk
        for s in request.binome.structures
        if {m.role for m in request.binome.memberships if m.structure_id == s.pk} - {Role.PATIENT}
    ]


def _professionals(request):
    return (
        Membership.objects.active()
        .filter(structure_id__in=_team_structures(request), role=Role.PROFESSIONAL)
        .select_related("user", "structure")
        .order_by("user__last_name", "user__first_name", "id")
    )


def practitioner(user):
    identifiers = []
    if user.rpps:
        identifiers.append(
            {
                "use": "official",
                "type": {"coding": [{"system": ID_TYPE, "code": "IDNPS"}]},
                "system": IDNPS,
                "value": f"8{user.rpps}",
            }
        )
        identifiers.append(
            {
                "use": "official",
                "type": {"coding": [{"system": ID_TYPE, "code": "RPPS"}]},
                "system": RPPS,
                "value": user.rpps,
            }
        )
    name = {"use": "official", "family": user.last_name or user.email.split("@")[0]}
    if user.first_name:
        name["given"] = [user.first_name]
    # Contact details stay on the platform: the members API shows them to coordinators only.
    return {
        "resourceType": "Practitioner",
        "id": str(user.public_id),
        "meta": {"profile": [f"{FR_CORE}fr-core-practitioner"]},
        "identifier": identifiers,
        "active": user.is_active,
        "name": [name],
    }


def practitioner_role(membership):
    code = {"text": membership.get_profession_display() or membership.get_role_display()}
    if membership.profession in G15_CODES:
        g15, display = G15_CODES[membership.profession]
        code["coding"] = [{"system": G15, "code": g15, "display": display}]
    return {
        "resourceType": "PractitionerRole",
        "id": str(membership.public_id),
        "meta": {"profile": [f"{FR_CORE}fr-core-practitioner-role"]},
        "active": membership.is_active,
        "practitioner": {
            "reference": f"Practitioner/{membership.user.public_id}",
            "display": str(membership.user),
        },
        "organization": {
            "reference": f"Organization/{membership.structure.slug}",
            "display": membership.structure.name,
        },
        "code": [code],
    }


@router.get(
    "/Practitioner",
    summary=_("Practitioner : les professionnels de santé des équipes de l'utilisateur (Bundle)"),
)
@fhir_errors
def practitioner_search(request):
    people = {}
    for m in _professionals(request)[:500]:
        people.setdefault(m.user_id, m.user)
    return _answer(
        _bundle(request, [practitioner(u) for u in list(people.values())[: _count(request)]])
    )


@router.get(
    "/Practitioner/{resource_id}", summary="Practitioner : un professionnel (identifiants RPPS)"
)
@fhir_errors
def practitioner_read(request, resource_id: str):
    membership = _professionals(request).filter(user__public_id=_uuid(resource_id)).first()
    if membership is None:
        raise Http404
    return _answer(practitioner(membership.user))


@router.get(
    "/PractitionerRole",
    summary="PractitionerRole : l'exercice de chaque professionnel dans sa structure (Bundle)",
)
@fhir_errors
def practitioner_role_search(request):
    return _answer(
        _bundle(request, [practitioner_role(m) for m in _professionals(request)[: _count(request)]])
    )


@router.get(
    "/PractitionerRole/{resource_id}",
    summary=_("PractitionerRole : un professionnel dans une structure"),
)
@fhir_errors
def practitioner_role_read(request, resource_id: str):
    membership = _professionals(request).filter(public_id=_uuid(resource_id)).first()
    if membership is None:
        raise Http404
    return _answer(practitioner_role(membership))


def _uuid(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


# --- CareTeam and Consent -------------------------------------------------------------

CARETEAM_STATUS = {
    Accompaniment.Status.REFERRED: "proposed",
    Accompaniment.Status.ACTIVE: "active",
    Accompaniment.Status.TO_REASSIGN: "suspended",
    Accompaniment.Status.ENDED: "inactive",
}


def _patient_ref(acc, access):
    return {
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{acc.patient.public_id}"},
        "display": access.patient_fields()["name"],
    }


def _role(code, display):
    return [
        {
            "coding": [
                {"system": binome_system("role-accompagnement"), "code": code, "display": display}
            ],
            "text": display,
        }
    ]


def care_team(acc, access):
    period = {"start": _instant(acc.referred_at)}
    if acc.ended_at:
        period["end"] = _instant(acc.ended_at)
    participants = [
        {
            "role": _role("professionnel-orienteur", "Professionnel qui oriente"),
            "member": {
                "reference": f"PractitionerRole/{acc.referred_by.public_id}",
                "display": str(acc.referred_by.user),
            },
            "period": {"start": _instant(acc.referred_at)},
        }
    ]
    for m in acc.designated_professionals.all():
        participants.append(
            {
                "role": _role("professionnel-designe", _("Professionnel désigné pour les alertes")),
                "member": {"reference": f"PractitionerRole/{m.public_id}", "display": str(m.user)},
            }
        )
    partner = {
        "role": _role("patient-partenaire", "Patient partenaire"),
        "member": {
            "identifier": {
                "system": "urn:ietf:rfc:3986",
                "value": f"urn:uuid:{acc.partner.public_id}",
            },
            "display": acc.partner.full_name,
        },
    }
    if acc.status != Accompaniment.Status.TO_REASSIGN:
        partner["period"] = {"start": _instant(acc.referred_at)}
        participants.append(partner)
    return {
        "resourceType": "CareTeam",
        "id": str(acc.public_id),
        "status": CARETEAM_STATUS[acc.status],
        "category": [{"text": "Accompagnement par un patient partenaire (pair-aidance)"}],
        "name": "Accompagnement par un patient partenaire",
        "subject": _patient_ref(acc, access),
        "period": period,
        "participant": participants,
        "managingOrganization": [
            {"reference": f"Organization/{acc.structure.slug}", "display": acc.structure.name}
        ],
    }


def _careteam_refused(request, acc, reason):
    with transaction.atomic():
        record(
            "accompaniment.refused",
            request=request,
            actor=request.user,
            structure=acc.structure,
            target=acc,
            reason="fhir_sharing_consent",
        )
    return outcome(403, "forbidden", reason)


@router.get(
    "/CareTeam/{resource_id}",
    summary=_("CareTeam : un accompagnement (tant que le patient accepte le partage)"),
)
@fhir_errors
def care_team_read(request, resource_id: str):
    acc, access = acc_access.get_accompaniment(request, _uuid(resource_id))
    refusal = acc_access.sharing_refusal(acc)
    if refusal:
        return _careteam_refused(request, acc, refusal)
    with transaction.atomic():
        record(
            "accompaniment.viewed",
            request=request,
            structure=acc.structure,
            target=acc,
            subject=acc.patient.user,
            api=True,
            fhir="CareTeam",
        )
    return _answer(care_team(acc, access))


def _visible(request):
    qs = Accompaniment.objects.none()
    for s in request.binome.structures:
        qs = qs | Accompaniment.objects.visible_to(request.user, acc_access.roles_of(request, s), s)
    return qs


@router.get(
    "/CareTeam",
    summary=_(
        "CareTeam : les accompagnements visibles dont le patient accepte le partage (Bundle)"
    ),
)
@fhir_errors
def care_team_search(request):
    shared = acc_access.active_consent(ConsentPurpose.SHARE_SUMMARIES)
    ids = _visible(request).annotate(shared=shared).filter(shared=True).values("pk")
    accs = list(
        acc_access.base_queryset()
        .filter(pk__in=ids)
        .order_by("-referred_at", "-id")[: _count(request)]
    )
    consents = {}
    for c in Consent.objects.filter(patient_id__in=[a.patient_id for a in accs]).active():
        consents.setdefault(c.patient_id, {})[c.purpose] = c
    resources = []
    with transaction.atomic():
        for acc in accs:
            roles = acc_access.roles_of(request, acc.structure)
            resources.append(
                care_team(
                    acc,
                    acc_access.access_for(
                        request.user, roles, acc, consents=consents.get(acc.patient_id, {})
                    ),
                )
            )
            record(
                "accompaniment.viewed",
                request=request,
                structure=acc.structure,
                target=acc,
                subject=acc.patient.user,
                api=True,
                fhir="CareTeam",
            )
    return _answer(_bundle(request, resources))


def consent_resource(consent, acc, access):
    provision = {
        "type": "permit",
        "period": {"start": _instant(consent.given_at)},
        "purpose": [
            {
                "system": binome_system("objet-consentement"),
                "code": consent.purpose,
                "display": consent.get_purpose_display(),
            }
        ],
    }
    if consent.withdrawn_at:
        provision["period"]["end"] = _instant(consent.withdrawn_at)
    return {
        "resourceType": "Consent",
        "id": str(consent.public_id),
        "status": "active" if consent.withdrawn_at is None else "inactive",
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                }
            ]
        },
        "category": [
            {
                "coding": [
                    {"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}
                ]
            }
        ],
        "patient": _patient_ref(acc, access),
        "dateTime": _instant(consent.given_at),
        "organization": [{"reference": f"Organization/{acc.structure.slug}"}],
        "policyRule": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}
            ],
            "text": f"Texte d'information Binôme, version {consent.text_version} ; recueilli : {consent.get_method_display()}",
        },
        "provision": provision,
    }


def _consents_of(request, acc, access):
    consents = list(Consent.objects.filter(patient=acc.patient).order_by("purpose", "-given_at"))
    with transaction.atomic():
        record(
            "accompaniment.viewed",
            request=request,
            structure=acc.structure,
            target=acc,
            subject=acc.patient.user,
            api=True,
            fhir="Consent",
        )
    return [consent_resource(c, acc, access) for c in consents]


@router.get(
    "/Consent",
    summary=_("Consent : les consentements du patient d'un accompagnement (?careteam=<id>)"),
)
@fhir_errors
def consent_search(request, careteam: str):
    acc, access = acc_access.get_accompaniment(request, _uuid(careteam))
    return _answer(_bundle(request, _consents_of(request, acc, access)))


@router.get("/Consent/{resource_id}", summary="Consent : un consentement")
@fhir_errors
def consent_read(request, resource_id: str):
    consent = Consent.objects.filter(public_id=_uuid(resource_id)).select_related("patient").first()
    acc = (
        consent
        and _visible(request).filter(patient=consent.patient).order_by("-referred_at").first()
    )
    if acc is None:
        raise Http404
    acc, access = acc_access.get_accompaniment(request, acc.public_id)
    with transaction.atomic():
        record(
            "accompaniment.viewed",
            request=request,
            structure=acc.structure,
            target=acc,
            subject=acc.patient.user,
            api=True,
            fhir="Consent",
        )
    return _answer(consent_resource(consent, acc, access))


# --- CapabilityStatement ---------------------------------------------------------------

PROFILES = {
    "Organization": "fr-core-organization",
    "Practitioner": "fr-core-practitioner",
    "PractitionerRole": "fr-core-practitioner-role",
}
SEARCHES = {
    "Organization": [],
    "Practitioner": [],
    "PractitionerRole": [],
    "CareTeam": [],
    "Consent": [
        {
            "name": "careteam",
            "type": "token",
            "documentation": gettext_lazy(
                "L'accompagnement (CareTeam.id) dont on veut les consentements du patient."
            ),
        }
    ],
}


@router.get(
    "/metadata", auth=None, summary="CapabilityStatement : ce que ce serveur FHIR sait faire"
)
def metadata(request):
    from importlib.metadata import version

    resources = []
    for name, params in SEARCHES.items():
        entry = {"type": name, "interaction": [{"code": "read"}, {"code": "search-type"}]}
        if name in PROFILES:
            entry["supportedProfile"] = [FR_CORE + PROFILES[name]]
        if params:
            entry["searchParam"] = params
        resources.append(entry)
    return _answer(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-12-03",
            "kind": "instance",
            "publisher": "Binôme",
            "software": {"name": "Binôme", "version": version("binome")},
            "implementation": {
                "description": _("Binôme — export FHIR en lecture seule"),
                "url": f"{settings.SITE_URL}/api/v1/fhir",
            },
            "fhirVersion": FHIR_VERSION,
            "format": ["json"],
            "rest": [
                {
                    "mode": "server",
                    "security": {
                        "description": _(
                            "Jeton personnel : en-tête Authorization: Bearer <jeton>. "
                            "Mêmes droits et consentements que les pages."
                        )
                    },
                    "resource": resources,
                }
            ],
        }
    )
