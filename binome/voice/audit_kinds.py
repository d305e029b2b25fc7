from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    Kind("voice.answer_coded", _("Verbatim étiqueté (analyse d'une enquête)"), "change"),
    Kind("voice.labels_grouped", _("Étiquettes regroupées en catégories"), "change"),
    Kind("voice.survey_created", _("Enquête créée"), "change"),
    Kind("voice.survey_changed", _("Enquête modifiée"), "change"),
    Kind("voice.survey_published", _("Enquête publiée"), "change"),
    Kind("voice.survey_closed", _("Enquête close"), "change"),
    Kind("voice.survey_exported", _("Export des réponses d'une enquête"), "export"),
    Kind("voice.paper_response_entered", _("Questionnaire papier saisi"), "change"),
    Kind("voice.idea_moderated", _("Idée modérée"), "change"),
    Kind("voice.idea_status_changed", _("Statut d'une idée modifié"), "change"),
    Kind("voice.committee_created", _("Comité des usagers créé"), "change"),
    Kind("voice.committee_member_added", _("Membre ajouté au comité"), "change"),
    Kind("voice.committee_member_removed", _("Membre retiré du comité"), "change"),
    Kind("voice.meeting_added", _("Réunion du comité ajoutée"), "change"),
    Kind("voice.meeting_changed", _("Réunion du comité modifiée"), "change"),
    Kind("voice.meeting_convened", _("Convocation à une réunion du comité envoyée"), "change"),
    Kind("voice.meeting_attendance", _("Présences à une réunion du comité notées"), "change"),
    Kind(
        "voice.minutes_sent", _("Compte rendu d'une réunion du comité envoyé aux membres"), "change"
    ),
    Kind("voice.proposal_added", _("Proposition du comité ajoutée"), "change"),
    Kind("voice.proposal_status_changed", _("Statut d'une proposition modifié"), "change"),
    Kind("voice.gazette_edited", _("Texte de la gazette modifié"), "change"),
    Kind("voice.gazette_submitted", _("Gazette envoyée en relecture au comité"), "change"),
    Kind("voice.gazette_approved", _("Gazette validée par le comité"), "change"),
    Kind("voice.gazette_published", _("Gazette publiée"), "change"),
]
