"""Networks: self-assessment, HAS matrix, resources, campaigns, dashboard, catalogue.

Network objects (campaigns) are invisible (404) to anyone outside the network; the
facilitator never gets a structure's page (404: not in structure A).
"""

from tests.matrix import Entry

TEAM = {"coordinator", "doctor", "nurse", "partner", "user_rep"}
ASSESS = {"coordinator", "doctor", "nurse"}
COORD = {"coordinator"}
STAFF = {"coordinator", "doctor", "nurse"}
FACILITATOR = {"facilitator"}
NOT_FACILITATOR = {"coordinator", "doctor", "nurse", "partner", "user_rep", "patient"}
EVERYONE = TEAM | {"patient", "facilitator", "outsider"}


def _assessment(s):
    from tests.networks.factories import MaturityAssessmentFactory

    return {"public_id": MaturityAssessmentFactory(structure=s).public_id}


def _session(s):
    from tests.networks.factories import MatrixSessionFactory

    return {"public_id": MatrixSessionFactory(structure=s).public_id}


def _action(s):
    from tests.networks.factories import ImprovementActionFactory

    return {"public_id": ImprovementActionFactory(session__structure=s).public_id}


def _campaign(network):
    from tests.networks.factories import CampaignFactory

    return {"public_id": CampaignFactory(network=network).public_id}


def _other_campaign(w):
    from tests.factories import NetworkFactory

    return _campaign(NetworkFactory())


def _card(s, published=True):
    from tests.networks.factories import ProjectCardFactory

    return {"public_id": ProjectCardFactory(structure=s, is_published=published).public_id}


def _exchange(s, other):
    from tests.networks.factories import ExchangeRequestFactory

    return {"public_id": ExchangeRequestFactory(card__structure=s, from_structure=other).public_id}


def _resource(w):
    from binome.networks.models import Resource

    return {"public_id": Resource.objects.order_by("id").first().public_id}


def _dimension(w):
    from binome.networks.models import MatrixDimension

    return {"pk": MatrixDimension.objects.order_by("id").first().pk}


def _token(w):
    from binome.networks import services
    from tests.networks.factories import CampaignFactory, invitation

    return {"token": services.campaign_token(invitation(CampaignFactory(network=w.network), w.a))}


def _network_campaign(_w):
    from binome.people.models import Network

    return {"network": Network.objects.order_by("pk").first().slug, "title": "État des lieux 2027", "introduction": "Merci de répondre.",
            "opens_on": "2027-01-04", "closes_on": "2027-02-26"}  # fmt: skip


def _api_entry(path, allowed, **kw):
    return Entry(f"/api/v1/networks/{path}", api=True, method="post", allowed=allowed, **kw)


def _entry(name, obj, allowed, **kw):
    return Entry(name, allowed=allowed, own=lambda w: obj(w.a), other=lambda w: obj(w.b), **kw)


def _campaign_entry(name, **kw):
    return Entry(
        name,
        allowed=FACILITATOR,
        hidden=NOT_FACILITATOR,
        own=lambda w: _campaign(w.network),
        other=_other_campaign,
        **kw,
    )


ENTRIES = [
    Entry("networks:assessments", allowed=TEAM),
    Entry("networks:assessment_new", allowed=ASSESS),
    _entry("networks:assessment_detail", _assessment, TEAM),
    Entry("networks:resources", allowed=TEAM | FACILITATOR),
    Entry("networks:resource_new", allowed=FACILITATOR),
    Entry("networks:resource_edit", allowed=FACILITATOR, hidden=NOT_FACILITATOR, own=_resource),
    Entry("networks:matrix_list", allowed=TEAM),
    Entry("networks:dimensions", allowed=TEAM | FACILITATOR),
    Entry("networks:dimension_edit", allowed=FACILITATOR, hidden=NOT_FACILITATOR, own=_dimension),
    Entry("networks:matrix_new", allowed=COORD),
    _entry("networks:matrix_detail", _session, TEAM),
    _entry("networks:matrix_answer", _session, TEAM),
    _entry("networks:matrix_consensus", _session, COORD),
    _entry("networks:matrix_action_new", _session, COORD),
    _entry("networks:matrix_action_review", _action, COORD),
    Entry("networks:campaigns", allowed=FACILITATOR),
    Entry("networks:campaign_new", allowed=FACILITATOR),
    _campaign_entry("networks:campaign_detail"),
    _campaign_entry("networks:campaign_invite", method="post", ok_status=302),
    _campaign_entry("networks:campaign_add_structure"),
    _campaign_entry("networks:campaign_send", method="post", ok_status=302),
    _campaign_entry("networks:campaign_report"),
    _campaign_entry("networks:campaign_report_pdf"),
    _campaign_entry("networks:campaign_report_xlsx"),
    Entry("networks:dashboard", allowed=FACILITATOR),
    Entry("networks:catalogue", allowed=TEAM | FACILITATOR),
    Entry(
        "networks:card_detail",
        allowed=TEAM | FACILITATOR,
        own=lambda w: _card(w.a),
        other=lambda w: _card(w.b, published=False),
    ),
    # A team asks another team: "own" is a published card of B, "other" an unpublished one.
    Entry(
        "networks:exchange_new",
        allowed=STAFF,
        own=lambda w: _card(w.b),
        other=lambda w: _card(w.b, published=False),
    ),
    Entry("networks:my_cards", allowed=COORD),
    Entry("networks:card_new", allowed=COORD),
    _entry("networks:card_edit", lambda s: _card(s, published=False), COORD),
    _entry(
        "networks:card_publish",
        lambda s: _card(s, published=False),
        COORD,
        method="post",
        data={"publish": "1"},
        ok_status=302,
    ),
    Entry("networks:exchanges", allowed=STAFF),
    Entry(
        "networks:exchange_answer",
        method="post",
        allowed=COORD,
        ok_status=302,
        data={"accept": "1"},
        own=lambda w: _exchange(w.a, w.b),
        other=lambda w: _exchange(w.b, w.a),
    ),
    Entry("networks_public:answer", public=True, own=_token),
    Entry(
        "/api/v1/networks/public/campaigns/{token}/answers",
        api=True,
        public=True,
        method="post",
        ok_status=422,
        data={"answers": {}},
        own=_token,
    ),
    Entry("/api/v1/networks/assessments/", api=True, allowed=EVERYONE),
    Entry(
        "/api/v1/networks/assessments/",
        api=True,
        method="post",
        allowed=ASSESS,
        own=lambda w: {},
        data={"structure": "structure-a", "answers": {}},
    ),
    Entry(
        "/api/v1/networks/assessments/{public_id}",
        api=True,
        allowed=TEAM,
        own=lambda w: _assessment(w.a),
        other=lambda w: _assessment(w.b),
    ),
    Entry("/api/v1/networks/campaigns/", api=True, allowed=EVERYONE),
    Entry(
        "/api/v1/networks/campaigns/{public_id}/report",
        api=True,
        allowed=FACILITATOR,
        hidden=NOT_FACILITATOR,
        own=lambda w: _campaign(w.network),
        other=_other_campaign,
    ),
    Entry("/api/v1/networks/catalogue/", api=True, allowed=TEAM | FACILITATOR),
    Entry("/api/v1/networks/dashboard", api=True, allowed=FACILITATOR),
    # The pages' twins (issue 16).
    _api_entry(
        "campaigns/",
        FACILITATOR,
        hidden=NOT_FACILITATOR | {"outsider"},
        ok_status=201,
        data=_network_campaign,
    ),
    *[
        _api_entry(
            f"campaigns/{{public_id}}/{path}",
            FACILITATOR,
            hidden=NOT_FACILITATOR,
            ok_status=ok,
            data=data,
            own=lambda w: _campaign(w.network),
            other=_other_campaign,
            # Nothing new to invite or send in the matrix's campaign: an answer of 0, no change.
            unaudited=ok == 200,
        )
        for path, ok, data in [
            ("invitations/affiliated", 200, None),
            ("invitations/unlisted", 201, {"name": "MSP du Causse", "email": "msp@causse.example"}),
            ("send", 200, None),
        ]
    ],
    _api_entry(
        "cards/{public_id}/publication",
        COORD,
        ok_status=200,
        data={"publish": False},
        own=lambda w: _card(w.a),
        other=lambda w: _card(w.b),
    ),
    _api_entry(
        "cards/{public_id}/exchanges",
        ASSESS,
        ok_status=201,
        data={"structure": "structure-a", "message": "Bonjour, nous débutons."},
        own=lambda w: _card(w.b),
        other=lambda w: _card(w.b, published=False),
    ),
    _api_entry(
        "exchanges/{public_id}/answer",
        COORD,
        ok_status=200,
        data={"accept": True},
        own=lambda w: _exchange(w.a, w.b),
        other=lambda w: _exchange(w.b, w.a),
    ),
    _api_entry(
        "matrices/",
        COORD,
        hidden={"facilitator", "outsider"},
        ok_status=201,
        data={"structure": "structure-a", "title": "Matrice 2026"},
    ),
    _api_entry(
        "matrices/{public_id}/actions",
        COORD,
        ok_status=422,
        own=lambda w: _session(w.a),
        other=lambda w: _session(w.b),
    ),
    _api_entry(
        "matrix-actions/{public_id}/review",
        COORD,
        data={"status": "doing", "review_date": "2026-11-30"},
        own=lambda w: _action(w.a),
        other=lambda w: _action(w.b),
    ),
    _api_entry(
        "matrices/{public_id}/my-answers",
        TEAM,
        ok_status=422,
        own=lambda w: _session(w.a),
        other=lambda w: _session(w.b),
    ),
    _api_entry(
        "matrices/{public_id}/consensus",
        COORD,
        ok_status=422,
        own=lambda w: _session(w.a),
        other=lambda w: _session(w.b),
    ),
]
