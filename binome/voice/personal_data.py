"""The users' voice holds little personal data by design: answers and ideas are anonymous (no
link to whoever wrote them is ever stored), and the committee's texts are collective. The
committee's members without an account are the exception (name, e-mail, mobile number)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binome.privacy.registry import not_personal
from binome.voice.models import (
    Answer,
    CodingCategory,
    CodingLabel,
    Committee,
    GazetteIssue,
    Idea,
    IdeaBox,
    Meeting,
    Proposal,
    Survey,
)

ANONYMOUS = "Réponse anonyme : aucun lien avec la personne qui l'a écrite n'est enregistré ; le formulaire demande de n'écrire ni nom ni donnée de santé."
not_personal(Answer, ["text"], reason=ANONYMOUS)
not_personal(
    GazetteIssue,
    ["headline", "committee_word"],
    reason=_(
        "Texte collectif écrit pour être publié dans la gazette, validé par le comité ; sans nom ni "
        "information de santé (le formulaire le demande)."
    ),
)
not_personal(Idea, ["text"], reason=ANONYMOUS)
not_personal(
    Idea,
    ["public_answer", "decline_reason"],
    reason=_("Réponse publique de l'équipe à une idée anonyme."),
)
not_personal(Survey, ["intro"], reason=_("Texte d'accueil d'une enquête, écrit par l'équipe."))
not_personal(
    IdeaBox,
    ["intro"],
    reason=_("Texte d'accueil de la boîte à idées, écrit par l'équipe."),
)
not_personal(
    Committee,
    ["name", "purpose"],
    reason=_("Nom et rôle d'un comité des usagers (une instance, pas une personne)."),
)
not_personal(
    Meeting,
    ["agenda", "minutes"],
    reason=_(
        "Ordre du jour et compte rendu collectifs du comité, publiés dans la gazette ; les membres sont listés à part (appartenances)."
    ),
)
not_personal(
    Proposal,
    ["text", "public_answer", "decline_reason"],
    reason=_(
        "Proposition collective du comité et réponse publique de l'équipe ; l'auteur n'est qu'un lien vers son compte, anonymisé avec lui."
    ),
)


# Free text can still carry a name or a health detail despite the form's warning: once a
# closed survey is past its retention period, its free-text answers are blanked (the
# scale and choice answers stay, so the results and the ACI evidence keep their figures).
from binome.privacy.retention import retention_hook  # noqa: E402


@retention_hook("survey_answers")
def forget_free_text_of_closed_surveys(cutoff, now) -> int:
    return (
        Answer.objects.filter(response__survey__closed_at__lt=cutoff)
        .exclude(text="")
        .update(text="")
    )


not_personal(
    CodingLabel,
    ["name", "property"],
    reason=_("Étiquette d'analyse choisie par l'équipe pour des réponses anonymes."),
)
not_personal(CodingCategory, ["name"], reason=_("Catégorie d'analyse choisie par l'équipe."))


# Users who sit on the committee without an account: found by the coordination among the
# people without an account, exported and erased like the others.
from binome.privacy.registry import Person, person_source, register  # noqa: E402
from binome.voice.models import CommitteeMember  # noqa: E402


def _seats(person):
    q = Q(pk__in=person.of(CommitteeMember))
    if person.user is not None:
        q |= Q(membership__user=person.user)
    if person.emails:
        q |= Q(membership__isnull=True, email__in=person.emails)
    return CommitteeMember.objects.filter(q)


def _forget_orphan_sms_agreements(person):
    """The SMS agreement of someone without an account goes with their last seat."""
    from binome.messaging.models import ContactPreference

    phones = CommitteeMember._base_manager.exclude(phone="").values("phone")
    ContactPreference._base_manager.filter(user__isnull=True).exclude(phone__in=phones).delete()


person_source(
    CommitteeMember,
    title=_("Membres du comité des usagers sans compte"),
    queryset=lambda structure: CommitteeMember.objects.filter(
        committee__structure=structure, membership__isnull=True
    ),
    to_person=lambda seat: Person(
        user=seat.membership.user if seat.membership_id else None, email=seat.email, records=(seat,)
    ),
)
register(
    CommitteeMember,
    fields=["first_name", "last_name", "email", "phone", "invite_by", "function", "joined_at"],
    subject=_seats,
    erase="delete",
    structure_path="committee__structure",
    after_erase=_forget_orphan_sms_agreements,
    order=200,
)
