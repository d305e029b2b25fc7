"""Demo: the API token of each demo account (README, "Comptes de démonstration")."""

from binome.accounts.models import ApiToken
from binome.core.tokens import hash_token
from binome.people.demo_set import ACCOUNTS, FACILITATOR


def load(demo):
    accounts = [(email, raw) for email, _first, _last, _slug, _role, _profession, raw in ACCOUNTS]
    accounts.append((FACILITATOR[0], FACILITATOR[-1]))
    for email, raw in accounts:
        if not ApiToken.objects.filter(key_hash=hash_token(raw)).exists():
            ApiToken.issue(demo.user(email), "Jeton de démonstration", raw=raw)
