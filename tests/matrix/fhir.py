"""FHIR R4 export: the same rules as the pages (tests/test_fhir.py checks the contents)."""

from tests.matrix import Entry

EVERYONE = {
    "coordinator",
    "doctor",
    "nurse",
    "partner",
    "user_rep",
    "patient",
    "facilitator",
    "outsider",
}
MEMBERS_OF_A = {"coordinator", "doctor", "nurse", "partner", "user_rep", "patient"}
TEAM = MEMBERS_OF_A - {"patient"}
# Who opens an accompaniment: the coordinator, its referrer, its partner, its patient.
ACC = {"coordinator", "doctor", "partner", "patient"}


def _acc(w, s):
    from binome.accompaniment.models import ConsentPurpose
    from tests.accompaniment.factories import AccompanimentFactory, partner_for

    if s == w.a:
        extra = {
            "partner": partner_for(w.memberships["partner"]),
            "referred_by": w.memberships["doctor"],
            "patient__user": w.users["patient"],
        }
    else:
        extra = {"referred_by": w.memberships_b["doctor"]}
    return AccompanimentFactory(
        structure=s,
        consents=[ConsentPurpose.CONTACT_BY_PARTNER, ConsentPurpose.SHARE_SUMMARIES],
        **extra,
    )


def _care_team(w, s):
    return {"resource_id": _acc(w, s).public_id}


def _consent(w, s):
    from binome.accompaniment.models import Consent

    return {"resource_id": Consent.objects.filter(patient=_acc(w, s).patient).first().public_id}


def _doctor_role(w, s):
    return {
        "resource_id": (
            w.memberships["doctor"] if s == w.a else w.memberships_b["doctor"]
        ).public_id
    }


def _doctor(w, s):
    return {
        "resource_id": (
            w.memberships["doctor"] if s == w.a else w.memberships_b["doctor"]
        ).user.public_id
    }


def _pair(fn):
    return {"own": lambda w: fn(w, w.a), "other": lambda w: fn(w, w.b)}


ENTRIES = [
    Entry("/api/v1/fhir/metadata", api=True, public=True),
    Entry("/api/v1/fhir/Organization", api=True, allowed=EVERYONE),
    Entry(
        "/api/v1/fhir/Organization/{resource_id}",
        api=True,
        allowed=MEMBERS_OF_A,
        own=lambda w: {"resource_id": w.a.slug},
        other=lambda w: {"resource_id": w.b.slug},
    ),
    Entry("/api/v1/fhir/Practitioner", api=True, allowed=EVERYONE),
    Entry(
        "/api/v1/fhir/Practitioner/{resource_id}",
        api=True,
        allowed=TEAM,
        hidden={"patient"},
        **_pair(_doctor),
    ),
    Entry("/api/v1/fhir/PractitionerRole", api=True, allowed=EVERYONE),
    Entry(
        "/api/v1/fhir/PractitionerRole/{resource_id}",
        api=True,
        allowed=TEAM,
        hidden={"patient"},
        **_pair(_doctor_role),
    ),
    Entry("/api/v1/fhir/CareTeam", api=True, allowed=EVERYONE),
    Entry(
        "/api/v1/fhir/CareTeam/{resource_id}",
        api=True,
        allowed=ACC,
        hidden={"nurse", "user_rep"},
        **_pair(_care_team),
    ),
    Entry(
        "/api/v1/fhir/Consent?careteam={resource_id}",
        api=True,
        allowed=ACC,
        hidden={"nurse", "user_rep"},
        **_pair(_care_team),
    ),
    Entry(
        "/api/v1/fhir/Consent/{resource_id}",
        api=True,
        allowed=ACC,
        hidden={"nurse", "user_rep"},
        **_pair(_consent),
    ),
]
