"""One continuum rule (binome.people.continuum) for the register, the self-assessment and the
next small step (seed 001: information → consultation → collaboration → partenariat, the
last stage being co-construction; "la méthode des petits pas")."""

import pytest

from binome.people import continuum as c


def test_the_position_is_the_lower_of_register_and_self_assessment_and_says_which():
    position = c.decide(register_level=c.PARTNERSHIP, assessment_level=c.COLLABORATION)
    assert (position.level, position.source) == (c.COLLABORATION, "self_assessment")
    assert "auto-évaluation" in position.explanation and "Partenariat" in position.explanation
    assert c.decide(c.CONSULTATION, c.CONSULTATION).source == "both"
    assert c.decide(c.CONSULTATION, "").source == "register"
    assert c.decide("", c.INFORMATION).source == "self_assessment"
    assert c.decide("", "").level == ""


@pytest.mark.parametrize("level", ["", *c.LEVEL_ORDER])
def test_the_next_step_is_always_forward(level):
    for step in c.next_steps(level, done_kinds=(), limit=10):
        assert c.level_rank(step.target) > c.level_rank(level) or level == c.PARTNERSHIP


def test_a_team_at_partnership_is_offered_to_share_and_evaluate_never_a_step_back():
    steps = c.next_steps(c.PARTNERSHIP, done_kinds=["posters", "survey"])
    assert (
        [s.kind for s in steps] == ["", ""]
        and "catalogue" in steps[0].why
        and "HAS" in steps[1].why
    )


@pytest.mark.django_db
def test_the_three_demo_teams(settings):
    from binome.people.demo_set import load_demo
    from binome.people.models import Structure

    settings.DEMO_MODE = True
    load_demo()
    for slug in ("tilleuls", "vallee"):
        structure = Structure.objects.get(slug=slug)
        position = c.position_of(structure)
        assert position.level and position.source, slug
        step = c.next_step(position.level, c.done_kinds(structure))
        assert c.level_rank(step.target) >= position.rank, slug  # never behind the team
        if position.register_level and position.assessment_level:
            assert position.rank == min(
                c.level_rank(position.register_level), c.level_rank(position.assessment_level)
            )
    # the third demo team: the network's synthetic teams answer the questionnaire only
    others = Structure.objects.exclude(slug__in=["tilleuls", "vallee"])
    if others.exists():
        position = c.position_of(others.first())
        assert position.source in ("self_assessment", "both", "register", "")


def test_a_team_whose_register_is_ahead_gets_what_its_own_stage_lacks():
    done = [
        "posters",
        "gazette",
        "survey",
        "idea_box",
        "committee",
        "user_referent",
        "health_project",
    ]
    step = c.next_step(c.COLLABORATION, done)
    assert step.kind == "working_group"  # not "share your experience", not a step back
