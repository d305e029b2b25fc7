from binome.audit.kinds import Kind

KINDS = [
    Kind("voice.answer_coded", "Verbatim étiqueté (analyse d'une enquête)", "change"),
    Kind("voice.labels_grouped", "Étiquettes regroupées en catégories", "change"),
    Kind("voice.survey_created", "Enquête créée", "change"),
    Kind("voice.survey_changed", "Enquête modifiée", "change"),
    Kind("voice.survey_published", "Enquête publiée", "change"),
    Kind("voice.survey_closed", "Enquête close", "change"),
    Kind("voice.survey_exported", "Export des réponses d'une enquête", "export"),
    Kind("voice.paper_response_entered", "Questionnaire papier saisi", "change"),
    Kind("voice.idea_moderated", "Idée modérée", "change"),
    Kind("voice.idea_status_changed", "Statut d'une idée modifié", "change"),
    Kind("voice.committee_created", "Comité des usagers créé", "change"),
    Kind("voice.committee_member_added", "Membre ajouté au comité", "change"),
    Kind("voice.committee_member_removed", "Membre retiré du comité", "change"),
    Kind("voice.meeting_added", "Réunion du comité ajoutée", "change"),
    Kind("voice.meeting_changed", "Réunion du comité modifiée", "change"),
    Kind("voice.meeting_convened", "Convocation à une réunion du comité envoyée", "change"),
    Kind("voice.meeting_attendance", "Présences à une réunion du comité notées", "change"),
    Kind("voice.minutes_sent", "Compte rendu d'une réunion du comité envoyé aux membres", "change"),
    Kind("voice.proposal_added", "Proposition du comité ajoutée", "change"),
    Kind("voice.proposal_status_changed", "Statut d'une proposition modifié", "change"),
]
