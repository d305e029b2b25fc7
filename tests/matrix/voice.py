from tests.matrix import Entry

VIEW = {"coordinator", "doctor", "nurse", "partner", "user_rep"}
EDIT = {"coordinator", "doctor", "nurse"}
IDEAS = {"coordinator", "doctor", "nurse", "user_rep"}
COORD = {"coordinator"}


def _survey(s, **kw):
    from tests.voice.factories import QuestionFactory

    return {"public_id": QuestionFactory(survey__structure=s, **kw).survey.public_id}


def _draft(s):
    from binome.voice.models import Survey

    return _survey(s, survey__state=Survey.State.DRAFT)


def _question(s):
    from binome.voice.models import Survey
    from tests.voice.factories import QuestionFactory

    return {
        "public_id": QuestionFactory(
            survey__structure=s, survey__state=Survey.State.DRAFT
        ).public_id
    }


def _token(s):
    from tests.voice.factories import QuestionFactory

    return {"token": QuestionFactory(survey__structure=s).survey.public_token}


def _idea(s):
    from tests.voice.factories import IdeaFactory

    return {"public_id": IdeaFactory(structure=s).public_id}


def _published_idea(s):
    from binome.voice.models import Idea
    from tests.voice.factories import IdeaFactory

    return {"public_id": IdeaFactory(structure=s, moderation=Idea.Moderation.PUBLISHED).public_id}


def _box(s):
    from tests.voice.factories import IdeaBoxFactory

    IdeaBoxFactory(structure=s)
    return {"slug": s.slug}


def _committee(s):
    from tests.voice.factories import CommitteeFactory

    return {"public_id": CommitteeFactory(structure=s).public_id}


def _committee_with_a_seat(s):
    from tests.voice.factories import CommitteeFactory

    committee = CommitteeFactory(structure=s)
    committee.members.create(first_name="Aline", last_name="Roux", invite_by="paper")
    return {"public_id": committee.public_id}


def _last_seat():
    from binome.voice.models import CommitteeMember

    return CommitteeMember.objects.order_by("-pk").values_list("pk", flat=True).first()


def _seat(s):
    from tests.voice.factories import CommitteeFactory

    committee = CommitteeFactory(structure=s)
    seat = committee.members.create(first_name="Aline", last_name="Roux", invite_by="paper")
    return {"public_id": committee.public_id, "seat_id": seat.pk}


def _meeting(s):
    from tests.voice.factories import MeetingFactory

    return {"public_id": MeetingFactory(committee__structure=s).public_id}


def _proposal(s):
    from tests.voice.factories import ProposalFactory

    return {"public_id": ProposalFactory(committee__structure=s).public_id}


def _coding(s):
    """A survey with one written answer, one label on it."""
    from binome.voice.models import CodedAnswer, CodingLabel, Question
    from tests.voice.factories import AnswerFactory, QuestionFactory, ResponseFactory

    question = QuestionFactory(survey__structure=s, kind=Question.Kind.TEXT)
    answer = AnswerFactory(
        response=ResponseFactory(survey=question.survey),
        question=question,
        value=None,
        text="Trop d'attente",
    )
    label = CodingLabel.objects.create(survey=question.survey, name="Attente")
    coded = CodedAnswer.objects.create(answer=answer, label=label)
    return {
        "public_id": question.survey.public_id,
        "answer_id": answer.pk,
        "label_id": label.pk,
        "code_id": coded.pk,
    }


def _own(fn):
    return {"own": lambda w: fn(w.a), "other": lambda w: fn(w.b)}


def _seated_committee(w, structure):
    """A committee of ``structure`` on which its user representative sits."""
    from binome.voice.models import CommitteeMember
    from tests.voice.factories import CommitteeFactory

    committee = CommitteeFactory(structure=structure)
    membership = (w.memberships if structure == w.a else w.memberships_b)["user_rep"]
    CommitteeMember.objects.create(committee=committee, membership=membership)
    return committee


def _gazette(state):
    def make(w, structure):
        from binome.voice.models import GazetteIssue

        issue = GazetteIssue.objects.create(
            structure=structure,
            committee=_seated_committee(w, structure),
            year=2026,
            quarter=3,
            state=state,
        )
        return {"public_id": issue.public_id}

    return {"own": lambda w: make(w, w.a), "other": lambda w: make(w, w.b)}


GAZETTE_WRITERS = {"coordinator", "user_rep"}


def _published_gazette(w):
    from binome.voice.models import GazetteIssue

    GazetteIssue.objects.create(
        structure=w.a,
        committee=_seated_committee(w, w.a),
        year=2026,
        quarter=3,
        state=GazetteIssue.State.PUBLISHED,
    )
    return {"slug": w.a.slug, "year": 2026, "quarter": 3}


ENTRIES = [
    Entry("voice:home", allowed=VIEW),
    Entry("voice:survey_list", allowed=VIEW),
    Entry("voice:survey_create", allowed=EDIT),
    Entry("voice:survey_detail", allowed=VIEW, **_own(_survey)),
    Entry("voice:survey_edit", allowed=EDIT, **_own(_draft)),
    Entry("voice:section_add", method="post", allowed=EDIT, ok_status=422, **_own(_draft)),
    Entry("voice:question_add", method="post", allowed=EDIT, ok_status=422, **_own(_draft)),
    Entry("voice:question_delete", method="post", allowed=EDIT, ok_status=302, **_own(_question)),
    Entry("voice:survey_publish", method="post", allowed=EDIT, ok_status=302, **_own(_draft)),
    Entry("voice:survey_close", method="post", allowed=EDIT, ok_status=302, **_own(_survey)),
    Entry("voice:survey_poster", allowed=EDIT, **_own(_survey)),
    Entry("voice:survey_paper", allowed=EDIT, **_own(_survey)),
    Entry("voice:survey_results", allowed=VIEW, **_own(_survey)),
    Entry("voice:survey_themes", allowed=VIEW, **_own(_survey)),
    Entry("voice:survey_coding", allowed=EDIT, **_own(_survey)),
    Entry("voice:survey_coding_xlsx", allowed=EDIT, **_own(_survey)),
    Entry("voice:survey_export_csv", allowed=EDIT, **_own(_survey)),
    Entry("voice:survey_export_xlsx", allowed=EDIT, **_own(_survey)),
    Entry("voice:idea_list", allowed=IDEAS),
    Entry("voice:idea_poster", allowed=EDIT),
    Entry("voice:idea_themes", allowed=IDEAS),
    Entry("voice:idea_detail", allowed=IDEAS, **_own(_published_idea)),
    Entry("voice:idea_moderate", method="post", allowed=COORD, ok_status=302, **_own(_idea)),
    Entry("voice:committee_list", allowed=VIEW),
    Entry("voice:committee_detail", allowed=VIEW, **_own(_committee)),
    Entry(
        "voice:committee_add_member",
        method="post",
        allowed=COORD,
        ok_status=422,
        **_own(_committee),
    ),
    Entry(
        "voice:committee_remove_member",
        method="post",
        allowed=COORD,
        ok_status=302,
        data=lambda _w: {"seat": _last_seat()},
        **_own(_committee_with_a_seat),
    ),
    Entry("voice:meeting_add", method="post", allowed=COORD, ok_status=422, **_own(_committee)),
    Entry("voice:proposal_add", method="post", allowed=COORD, ok_status=422, **_own(_committee)),
    Entry("voice:meeting_detail", allowed=VIEW, **_own(_meeting)),
    Entry(
        "voice:committee_add_external",
        method="post",
        allowed=COORD,
        ok_status=422,
        **_own(_committee),
    ),
    Entry("voice:meeting_convene", method="post", allowed=COORD, ok_status=302, **_own(_meeting)),
    Entry(
        "voice:meeting_attendance", method="post", allowed=COORD, ok_status=302, **_own(_meeting)
    ),
    Entry(
        "voice:meeting_send_minutes", method="post", allowed=COORD, ok_status=302, **_own(_meeting)
    ),
    Entry("voice:meeting_paper", allowed=COORD, **_own(_meeting)),
    Entry(
        "/api/v1/voice/committees/{public_id}/members-without-account",
        api=True,
        method="post",
        allowed=COORD,
        hidden={"patient"},
        data={"first_name": "Odette", "invite_by": "paper"},
        **_own(_committee),
    ),
    Entry(
        "/api/v1/voice/meetings/{public_id}/convocation",
        api=True,
        method="post",
        allowed=COORD,
        hidden={"patient"},
        **_own(_meeting),
    ),
    Entry(
        "/api/v1/voice/meetings/{public_id}/attendance",
        api=True,
        method="post",
        allowed=COORD,
        hidden={"patient"},
        data={"present": []},
        **_own(_meeting),
    ),
    Entry(
        "/api/v1/voice/meetings/{public_id}/minutes/send",
        api=True,
        method="post",
        allowed=COORD,
        hidden={"patient"},
        **_own(_meeting),
    ),
    Entry("voice:proposal_detail", allowed=VIEW, **_own(_proposal)),
    Entry("voice:gazette", allowed=IDEAS),
    Entry("voice:gazette_pdf", allowed=IDEAS),
    # The pages' twins for surveys and the committee (issue 16).
    *[
        Entry(
            f"/api/v1/voice/{path}",
            api=True,
            method=method,
            allowed=allowed,
            hidden=hidden,
            data=data,
            ok_status=ok,
            **kw,
        )
        for path, method, allowed, hidden, data, ok, kw in [
            (
                "surveys/",
                "post",
                EDIT,
                {"facilitator", "outsider"},
                {"structure": "structure-a", "title": "Votre avis sur l'accueil"},
                201,
                {},
            ),
            (
                "surveys/{public_id}",
                "patch",
                EDIT,
                {"patient"},
                {"title": "Nouveau titre"},
                200,
                _own(_draft),
            ),
            (
                "surveys/{public_id}/sections",
                "post",
                EDIT,
                {"patient"},
                {"title": "Accueil"},
                201,
                _own(_draft),
            ),
            (
                "surveys/{public_id}/questions",
                "post",
                EDIT,
                {"patient"},
                {"kind": "text", "label": "Qu'aimeriez-vous changer ?"},
                201,
                _own(_draft),
            ),
            ("questions/{public_id}", "delete", EDIT, {"patient"}, None, 204, _own(_question)),
            ("surveys/{public_id}/publish", "post", EDIT, {"patient"}, None, 200, _own(_draft)),
            ("surveys/{public_id}/close", "post", EDIT, {"patient"}, None, 200, _own(_survey)),
            (
                "committees/",
                "post",
                COORD,
                {"facilitator", "outsider"},
                {"structure": "structure-a", "name": "Comité des usagers"},
                201,
                {},
            ),
            (
                "committees/{public_id}/members",
                "post",
                COORD,
                {"patient"},
                {},
                201,
                _own(_committee),
            ),
            (
                "committees/{public_id}/members/{seat_id}",
                "delete",
                COORD,
                {"patient"},
                None,
                204,
                _own(_seat),
            ),
            (
                "committees/{public_id}/meetings",
                "post",
                COORD,
                {"patient"},
                {"date": "2026-11-02"},
                201,
                _own(_committee),
            ),
            (
                "meetings/{public_id}",
                "patch",
                COORD,
                {"patient"},
                {"minutes": "Compte rendu."},
                200,
                _own(_meeting),
            ),
            (
                "committees/{public_id}/proposals",
                "post",
                COORD,
                {"patient"},
                {"title": "Un panneau d'accueil"},
                201,
                _own(_committee),
            ),
        ]
    ],
    Entry(
        "/api/v1/voice/surveys/{public_id}/paper-responses",
        api=True,
        method="post",
        allowed=EDIT,
        hidden={"patient"},
        ok_status=422,
        data={"submission_token": "papier-0001-enquete", "answers": []},
        **_own(_survey),
    ),
    Entry(
        "/api/v1/voice/ideas/{public_id}/moderation",
        api=True,
        method="post",
        allowed=COORD,
        hidden={"partner", "patient"},
        data={"decision": "published"},
        **_own(_idea),
    ),
    Entry("voice_public:survey", public=True, own=lambda w: _token(w.a)),
    Entry("voice_public:idea", public=True, own=lambda w: _box(w.a)),
    Entry("voice_public:done", public=True, own=lambda w: {"slug": w.a.slug}),
    # API
    Entry(
        "/api/v1/voice/surveys/", api=True, allowed=VIEW | {"patient", "facilitator", "outsider"}
    ),
    Entry(
        "/api/v1/voice/surveys/{public_id}",
        api=True,
        allowed=VIEW,
        hidden={"patient"},
        **_own(_survey),
    ),
    Entry(
        "/api/v1/voice/surveys/{public_id}/results",
        api=True,
        allowed=VIEW,
        hidden={"patient"},
        **_own(_survey),
    ),
    # The coding workspace's API twin: readers of the survey who may not code get 403.
    Entry(
        "/api/v1/voice/surveys/{public_id}/coding/answers",
        api=True,
        allowed=EDIT,
        hidden={"patient"},
        **_own(_coding),
    ),
    Entry(
        "/api/v1/voice/surveys/{public_id}/coding/labels",
        api=True,
        allowed=EDIT,
        hidden={"patient"},
        **_own(_coding),
    ),
    Entry(
        "/api/v1/voice/surveys/{public_id}/coding/summary",
        api=True,
        allowed=EDIT,
        hidden={"patient"},
        **_own(_coding),
    ),
    Entry(
        "/api/v1/voice/surveys/{public_id}/coding.xlsx",
        api=True,
        allowed=EDIT,
        hidden={"patient"},
        **_own(_coding),
    ),
    Entry(
        "/api/v1/voice/surveys/{public_id}/coding/answers/{answer_id}/codes",
        api=True,
        method="post",
        allowed=EDIT,
        hidden={"patient"},
        data={"name": "Accueil"},
        **_own(_coding),
    ),
    Entry(
        "/api/v1/voice/surveys/{public_id}/coding/codes/{code_id}/remove",
        api=True,
        method="post",
        allowed=EDIT,
        hidden={"patient"},
        **_own(_coding),
    ),
    Entry(
        "/api/v1/voice/surveys/{public_id}/coding/labels/{label_id}/category",
        api=True,
        method="post",
        allowed=EDIT,
        hidden={"patient"},
        data={"category": "Accès"},
        **_own(_coding),
    ),
    Entry(
        "/api/v1/voice/ideas/",
        api=True,
        allowed=IDEAS | {"partner", "patient", "facilitator", "outsider"},
    ),
    Entry(
        "/api/v1/voice/proposals/", api=True, allowed=VIEW | {"patient", "facilitator", "outsider"}
    ),
    Entry("/api/v1/voice/public/surveys/{token}", api=True, public=True, own=lambda w: _token(w.a)),
    Entry(
        "/api/v1/voice/public/{slug}/done", api=True, public=True, own=lambda w: {"slug": w.a.slug}
    ),
    # The gazette written with the committee (issue 15).
    Entry(
        "voice:gazette_text",
        method="post",
        allowed=GAZETTE_WRITERS,
        data={"year": 2026, "quarter": 3, "headline": "À la une"},
        ok_status=302,
        setup=lambda w: _seated_committee(w, w.a),
    ),
    Entry(
        "voice:gazette_submit",
        method="post",
        allowed=GAZETTE_WRITERS,
        ok_status=302,
        **_gazette("draft"),
    ),
    # The coordination alone names the meeting: refused with a message, nothing written.
    Entry(
        "voice:gazette_approve",
        method="post",
        allowed=GAZETTE_WRITERS,
        ok_status=302,
        **_gazette("in_review"),
    ),
    Entry(
        "voice:gazette_publish", method="post", allowed=COORD, ok_status=302, **_gazette("approved")
    ),
    Entry(
        "/api/v1/voice/gazette",
        api=True,
        method="post",
        allowed=GAZETTE_WRITERS,
        hidden={"facilitator", "outsider"},
        data={"structure": "structure-a", "year": 2026, "quarter": 3, "headline": "À la une"},
        setup=lambda w: _seated_committee(w, w.a),
    ),
    Entry(
        "/api/v1/voice/gazette/{public_id}",
        api=True,
        allowed=IDEAS,
        hidden={"patient"},
        **_gazette("draft"),
    ),
    Entry(
        "/api/v1/voice/gazette/{public_id}/submit",
        api=True,
        method="post",
        allowed=GAZETTE_WRITERS,
        hidden={"patient"},
        **_gazette("draft"),
    ),
    Entry(
        "/api/v1/voice/gazette/{public_id}/approve",
        api=True,
        method="post",
        allowed=GAZETTE_WRITERS,
        hidden={"patient"},
        data={},
        **_gazette("in_review"),
    ),
    Entry(
        "/api/v1/voice/gazette/{public_id}/publish",
        api=True,
        method="post",
        allowed=COORD,
        hidden={"patient"},
        **_gazette("approved"),
    ),
    Entry("voice_public:gazette", public=True, own=_published_gazette),
]
