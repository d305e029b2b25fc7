"""Synthetic answers to the maturity questionnaire (demo data, tests, benchmark).

``answers_for(level, ...)`` builds answers that ``questionnaire.place_from_answers``
places at exactly that level.
"""

from binome.networks import questionnaire as q

YES, NO = q.YES, q.NO


def answers_for(
    level,
    *,
    priority=NO,
    wants_more=YES,
    knows_guide=NO,
    wants_support=YES,
    barriers=(),
    levers=(),
    text=None,
):
    rank = q.level_rank(level)
    answers = {
        "usager_definition": (text or {}).get("usager_definition", "Les patients et leurs proches"),
        "implication_meaning": (text or {}).get("implication_meaning", ""),
        "expected_impacts": ["quality", "needs"] if rank >= 2 else ["quality"],
        "info_supports": ["posters", "website"],
        "info_with_users": NO,
        "collect_tools": ["satisfaction", "idea_box"] if rank >= 2 else [],
        "collect_with_users": NO,
        "exchange_spaces": YES if rank >= 3 else NO,
        "exchange_with_users": YES if rank >= 3 else NO,
        "co_built_actions": YES if rank >= 4 else NO,
        "co_built_topics": ["prevention", "etp"] if rank >= 4 else [],
        "governance_place": YES if rank >= 4 else NO,
        "priority": priority,
        "priority_why": (text or {}).get("priority_why", ""),
        "wants_more": wants_more,
        "barriers": list(barriers),
        "levers": list(levers),
        "knows_guide": knows_guide,
        "wants_guide": YES if knows_guide == NO else "",
        "wants_support": wants_support,
        "comments": (text or {}).get("comments", ""),
    }
    assert q.place_from_answers(answers) == level, level
    return answers
