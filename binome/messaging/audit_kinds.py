from binome.audit.kinds import Kind

KINDS = [
    Kind("messaging.preference_changed", "Choix du moyen de rappel (e-mail, SMS) et accord pour les SMS", "change"),
    Kind("messaging.sms_stopped", "Réponse STOP : plus aucun SMS vers ce numéro", "change"),
    Kind("messaging.sms_failed", "SMS non remis après plusieurs essais", "change"),
]
