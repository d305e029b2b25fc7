"""Group French free-text answers into a few themes (TF-IDF + NMF, scikit-learn, CPU).

A coordinator reads 200 answers in two minutes: each theme shows its key words (in their
usual accented spelling) and a few example answers. Accents are folded with unicodedata
so that "délai", "delai" and "DÉLAIS" meet; stop-words come from the `stop-words` package
plus a short list of words that say nothing in a satisfaction survey.
"""

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

MIN_ANSWERS = 6  # below this, a list of the answers is clearer than themes
MAX_FEATURES = 4000

_TOKEN = re.compile(r"(?u)\b[^\W\d_]{3,}\b")

# Words frequent in any answer to a health team's survey, that name no theme.
_DOMAIN_STOP = """
tres trop bien bon bonne tout tous toute toutes merci rien chose choses fait faire faut etre avoir
plus moins peu beaucoup aussi encore toujours jamais parfois souvent quand comme donc alors car
maison sante msp centre cabinet equipe personnel etc avis trouve pense suis sommes serait pourrait
vraiment assez cela ceci celle celui ceux quelque quelques chaque autre autres meme memes deja
""".split()


def fold(text: str) -> str:
    """Lower case without accents (é → e, œ → oe)."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def stop_words() -> frozenset:
    from stop_words import get_stop_words

    words = {fold(w) for w in get_stop_words("french")}
    words |= set(_DOMAIN_STOP)
    return frozenset(words)


@dataclass
class Theme:
    keywords: list[str]
    count: int
    examples: list[str] = field(default_factory=list)
    share: int = 0  # percent of all the answers, each answer counted once
    is_other: bool = False  # the answers that fit no theme

    @property
    def label(self) -> str:
        if self.is_other:
            return "autres"
        return ", ".join(self.keywords[:3])


def _display_forms(texts) -> dict[str, str]:
    """Folded token → its most frequent original spelling."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for token in _TOKEN.findall(text.lower()):
            forms[fold(token)][token] += 1
    return {k: c.most_common(1)[0][0] for k, c in forms.items()}


def extract_themes(
    texts, n_themes: int | None = None, n_keywords: int = 5, n_examples: int = 3, seed: int = 0
) -> list[Theme]:
    """The main themes of the answers, largest first. Deterministic for a given input."""
    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [t.strip() for t in texts if t and t.strip()]
    if len(texts) < MIN_ANSWERS:
        return []
    if n_themes is None:
        n_themes = max(2, min(6, round(len(texts) ** 0.5 / 2)))
    vectorizer = TfidfVectorizer(
        preprocessor=fold,
        token_pattern=r"(?u)\b[^\W\d_]{3,}\b",
        stop_words=sorted(stop_words()),
        max_features=MAX_FEATURES,
        min_df=2 if len(texts) >= 20 else 1,
        max_df=0.6,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # only stop-words
        return []
    vocabulary = vectorizer.get_feature_names_out()
    n_themes = min(n_themes, matrix.shape[1], matrix.shape[0])
    if n_themes < 1:
        return []
    model = NMF(n_components=n_themes, init="nndsvda", random_state=seed, max_iter=150, tol=1e-3)
    with np.errstate(invalid="ignore"):  # float32 rounding in the loss (sqrt of -1e-9); harmless
        weights = model.fit_transform(matrix)
    display = _display_forms(texts)
    assigned = weights.argmax(axis=1)
    strength = weights.max(axis=1)
    # An answer belongs to its nearest theme only if it uses one of that theme's key words;
    # otherwise it goes to "autres" rather than being forced where it does not fit.
    folded = [set(_TOKEN.findall(fold(t))) for t in texts]
    themes, placed = [], set()
    for k in range(n_themes):
        top_terms = model.components_[k].argsort()[::-1][:n_keywords]
        terms = [vocabulary[i] for i in top_terms if model.components_[k][i] > 0]
        members = [
            i for i in np.where((assigned == k) & (strength > 0))[0] if folded[i] & set(terms)
        ]
        if not members:
            continue
        placed.update(members)
        best = sorted(members, key=lambda i: -weights[i, k])[:n_examples]
        themes.append(
            Theme(
                keywords=[display.get(t, t) for t in terms],
                count=len(members),
                examples=[texts[i] for i in best],
            )
        )
    themes.sort(key=lambda t: -t.count)
    others = [i for i in range(len(texts)) if i not in placed]
    if others:
        themes.append(
            Theme(
                keywords=[],
                count=len(others),
                examples=[texts[i] for i in others[:n_examples]],
                is_other=True,
            )
        )
    total = len(texts)
    for theme in themes:
        theme.share = round(100 * theme.count / total)
    return themes
