"""Themes of French free-text answers: accents folded, stop-words dropped, key words shown in
their accented spelling, example answers, seconds for 10,000 answers."""

import random

from binome.voice.themes import extract_themes, fold, stop_words

ANSWERS = {
    "delay": [
        "Le délai pour avoir un rendez-vous est trop long",
        "Trois semaines de DÉLAI pour un rendez-vous",
        "Les delais de rendez-vous sont longs",
        "Rendez-vous difficile à obtenir, délai énorme",
    ],
    "parking": [
        "Le parking est trop petit",
        "Pas assez de places au parking",
        "Parking plein le matin",
        "Se garer au parking est impossible",
    ],
    "phone": [
        "Le téléphone sonne dans le vide",
        "Impossible de joindre le secrétariat au téléphone",
        "Le telephone est toujours occupé",
        "Personne ne répond au téléphone le lundi",
    ],
}


def _texts(n):
    rng = random.Random(3)
    pool = [t for texts in ANSWERS.values() for t in texts]
    return [
        f"{rng.choice(pool)} {rng.choice(['', 'vraiment', 'hélas', 'souvent'])}".strip()
        for _ in range(n)
    ]


def test_fold_and_stop_words():
    assert fold("Délai, ŒUVRE, très") == "delai, oeuvre, tres"
    assert {"les", "est", "pour", "tres", "merci"} <= stop_words()


def test_three_themes_with_accented_keywords_and_examples():
    themes = extract_themes(_texts(120), n_themes=3)
    assert len(themes) == 3 and sum(t.count for t in themes) == 120
    keywords = {k for t in themes for k in t.keywords}
    assert {"délai", "parking", "téléphone"} <= keywords  # accented spelling, delai/DÉLAI merged
    assert not keywords & {"les", "est", "pour", "trop"}
    for theme in themes:
        assert len(theme.examples) == 3 and all(e in _texts(120) for e in theme.examples)
        assert 0 < theme.share <= 100


def test_too_few_answers_give_no_theme():
    assert extract_themes(["Très bien", "Merci"]) == []
    assert extract_themes(["", "  ", "les", "des", "est", "pour"]) == []


def test_ten_thousand_answers_each_counted_once():
    # Its speed is measured by scripts/bench_survey.py, not asserted here (no wall-clock test).
    themes = extract_themes(_texts(10_000))
    assert themes and sum(t.count for t in themes) == 10_000


def test_answers_that_fit_no_theme_go_to_autres_and_shares_add_up():
    from binome.voice.themes import extract_themes

    texts = (
        ["Attente trop longue au secrétariat, attente au téléphone"] * 4
        + ["Parking difficile, pas de place de parking le matin"] * 4
        + [
            "Merci au docteur",
            "La plante verte de l'entrée",
            "Rien à signaler du tout",
            "Vivement l'été",
        ]
    )
    themes = extract_themes(texts, n_themes=2)
    other = [t for t in themes if t.is_other]
    assert other and other[0].label == "autres" and other[0].count >= 3
    assert "La plante verte de l'entrée" in other[0].examples or other[0].count > 3
    # each answer counted once: the counts cover every answer, no more
    assert sum(t.count for t in themes) == len(texts)
    for theme in themes:
        assert theme.share == round(100 * theme.count / len(texts))
        if not theme.is_other:  # every member of a theme really uses one of its key words
            assert theme.examples and any(
                k.lower()[:5] in theme.examples[0].lower() for k in theme.keywords
            )
