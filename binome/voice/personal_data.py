"""The users' voice holds no personal data by design: answers and ideas are anonymous (no
link to whoever wrote them is ever stored), and the committee's texts are collective."""

from binome.privacy.registry import not_personal
from binome.voice.models import (
    Answer,
    CodingCategory,
    CodingLabel,
    Committee,
    Idea,
    IdeaBox,
    Meeting,
    Proposal,
    Survey,
)

ANONYMOUS = "Réponse anonyme : aucun lien avec la personne qui l'a écrite n'est enregistré ; le formulaire demande de n'écrire ni nom ni donnée de santé."
not_personal(Answer, ["text"], reason=ANONYMOUS)
not_personal(Idea, ["text"], reason=ANONYMOUS)
not_personal(Idea, ["public_answer", "decline_reason"], reason="Réponse publique de l'équipe à une idée anonyme.")
not_personal(Survey, ["intro"], reason="Texte d'accueil d'une enquête, écrit par l'équipe.")
not_personal(IdeaBox, ["intro"], reason="Texte d'accueil de la boîte à idées, écrit par l'équipe.")
not_personal(Committee, ["name", "purpose"], reason="Nom et rôle d'un comité des usagers (une instance, pas une personne).")
not_personal(Meeting, ["agenda", "minutes"], reason="Ordre du jour et compte rendu collectifs du comité, publiés dans la gazette ; les membres sont listés à part (appartenances).")
not_personal(Proposal, ["text", "public_answer", "decline_reason"], reason="Proposition collective du comité et réponse publique de l'équipe ; l'auteur n'est qu'un lien vers son compte, anonymisé avec lui.")


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
not_personal(CodingLabel, ["name", "property"], reason="Étiquette d'analyse choisie par l'équipe pour des réponses anonymes.")
not_personal(CodingCategory, ["name"], reason="Catégorie d'analyse choisie par l'équipe.")
