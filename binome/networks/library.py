"""Reference data: the resource library and the dimensions of the HAS maturity matrix.

Loaded by a data migration (and again, idempotently, by the demo); facilitators and
administrators edit it afterwards. Texts come from seed 001 (§V.D–F, §IV.B.7).
"""

# The HAS 2020 recommendation, whose definition of engagement seed 001 quotes (its note 10).
HAS_URL = "https://www.has-sante.fr/jcms/p_3201812/fr/soutenir-et-encourager-l-engagement-des-usagers-dans-les-secteurs-social-medico-social-et-sanitaire"
# Seed 001 quotes the HAS document for primary care by its title only (its note 18): no link
# rather than a link to another document.
HAS_PRIMARY_CARE = (
    "HAS, « Engagement des usagers dans les maisons, centres et territoires de santé »"
)
HAS_PRIMARY_CARE_SLUGS = (
    "has-objet",
    "has-coconstruction",
    "has-facilitateurs",
    "has-formation",
    "has-financement",
    "has-gouvernance",
    "has-representations",
    "has-outils",
)
COPS_GLOSSARY_URL = "https://partenariat-en-sante.org/des-mots-pour-se-comprendre/"

ALL = []
EARLY = ["information", "consultation"]
LATER = ["collaboration", "partnership"]

# (slug, kind, title, summary, url, levels, barriers, order)
RESOURCES = [
    # HAS recommendations (Engagement des usagers dans les maisons, centres et territoires de santé, 2023).
    (
        "has-objet",
        "has",
        "Identifier clairement l'objet du partenariat",
        "Avant de chercher des usagers, dire ensemble sur quoi on veut travailler avec eux et pourquoi.",
        "",
        ALL,
        ["how_to", "team_first"],
        10,
    ),
    (
        "has-coconstruction",
        "has",
        "Co-construire les modalités d'action avec les usagers concernés",
        "Décider avec les usagers de la façon de travailler ensemble : rythme, lieux, rôle de chacun.",
        "",
        LATER,
        ["users_posture", "divergence"],
        11,
    ),
    (
        "has-facilitateurs",
        "has",
        "Recourir à des facilitateurs de l'engagement en santé",
        "S'appuyer sur une structure d'accompagnement (réseau régional, COPS, Fécop) ou un médiateur en santé.",
        "",
        ALL,
        ["how_to", "young_team", "knowledge"],
        12,
    ),
    (
        "has-formation",
        "has",
        "Former ensemble professionnels et usagers",
        "Une formation conjointe change les représentations des deux côtés et crée une culture commune.",
        "",
        ALL,
        ["knowledge", "pros_posture", "users_posture"],
        13,
    ),
    (
        "has-financement",
        "has",
        "Chercher un soutien financier des approches participatives",
        "Indicateur ACI « implication des usagers », financements ARS, appels à projets.",
        "",
        ALL,
        ["money", "time"],
        14,
    ),
    (
        "has-gouvernance",
        "has",
        "Associer les usagers à la gouvernance et aux actions",
        "Les usagers à la fois dans les décisions et dans les actions, aux côtés des professionnels.",
        "",
        LATER,
        ["governance"],
        15,
    ),
    (
        "has-representations",
        "has",
        "Agir sur les attitudes et les représentations",
        "Travailler la posture des professionnels comme celle des usagers, en parallèle des actions.",
        "",
        ALL,
        ["pros_posture", "users_posture", "convince"],
        16,
    ),
    (
        "has-outils",
        "has",
        "Soutenir les pratiques par des outils",
        "La matrice de maturité de la HAS, remplie en équipe, aide à voir ce qui manque (une équipe de l'enquête y a repéré un manque de communication).",
        "",
        ALL,
        ["how_to"],
        17,
    ),
    # The guide's advice and the peers' advice (seed 001 §IV.B.7 and §V.F).
    (
        "guide-acculturation",
        "guide",
        "S'acculturer ensemble au partenariat en santé",
        "Sensibiliser toute l'équipe en s'appuyant sur des personnes qui ont fait l'expérience du partenariat ; préciser le rôle de chacun ; prendre son temps.",
        "",
        EARLY,
        ["knowledge", "convince"],
        20,
    ),
    (
        "guide-confiance",
        "guide",
        "Créer un climat de confiance",
        "« Avoir confiance dans ces patients, ne pas penser en problème mais à ce que ça peut nous apporter. » (participant n°10)",
        "",
        ALL,
        ["users_posture", "divergence"],
        21,
    ),
    (
        "guide-ensemble",
        "guide",
        "Apprendre à travailler ensemble",
        "L'équipe se connaît d'abord, choisit un sujet sur lequel elle se sent en confiance, puis y associe les usagers.",
        "",
        EARLY,
        ["team_first", "young_team"],
        22,
    ),
    (
        "guide-petits-pas",
        "guide",
        "La méthode des petits pas",
        "Un objectif à atteindre, sans vouloir tout faire en quinze jours : avancer selon les disponibilités de chacun.",
        "",
        ALL,
        ["time", "team_first", "young_team"],
        23,
    ),
    (
        "guide-posture",
        "guide",
        "Interroger sa posture",
        "Être prêt à remettre en question ses pratiques, éviter le jargon, travailler de façon horizontale, sans jugement.",
        "",
        ALL,
        ["pros_posture", "communication"],
        24,
    ),
    (
        "guide-adhesion",
        "guide",
        "Chercher l'adhésion collective",
        "« Si on veut que ça marche, il faut que toute l'équipe soit d'accord. » Une coordination qui porte le sujet aide beaucoup.",
        "",
        ALL,
        ["convince"],
        25,
    ),
    (
        "guide-charte",
        "guide",
        "Signer une charte d'engagement réciproque",
        "Signée par les professionnels et par l'usager, pour que chacun se respecte ; discuter d'abord des qualités recherchées et de ce qui serait rédhibitoire.",
        "",
        LATER,
        ["divergence", "users_posture"],
        26,
    ),
    (
        "guide-choisir",
        "guide",
        "Choisir ensemble l'usager",
        "Mélanger l'affichage en salle d'attente et la sollicitation ciblée dans la patientèle ; penser aux associations de patients.",
        "",
        ALL,
        ["few_users"],
        27,
    ),
    # Glossary.
    (
        "glossaire-usager",
        "glossary",
        "Usager",
        "Patient, personne, proche aidant, usager de la structure, représentant des usagers, citoyen, habitant : des dimensions individuelles ou collectives.",
        "",
        ALL,
        [],
        40,
    ),
    (
        "glossaire-engagement",
        "glossary",
        "Engagement des usagers (HAS, 2020)",
        "« Toute forme d'action, individuelle ou collective, au bénéfice de leur santé, leur bien-être ou leur qualité de vie, ou ceux de leurs pairs. »",
        HAS_URL,
        ALL,
        [],
        41,
    ),
    (
        "glossaire-partenariat",
        "glossary",
        "Partenariat en santé (COPS)",
        "« Agir ensemble pour le bien-être physique, mental et social de chacun, en reconnaissant la complémentarité des expériences, savoirs et compétences des usagers et des professionnels. »",
        COPS_GLOSSARY_URL,
        ALL,
        [],
        42,
    ),
    (
        "glossaire-continuum",
        "glossary",
        "Continuum du partenariat en santé",
        "Information → consultation → collaboration → partenariat : le chemin que parcourt une équipe, à son rythme.",
        "",
        ALL,
        [],
        43,
    ),
    # Easy to read.
    (
        "facile-santebd",
        "easy_read",
        "Santé BD : fiches illustrées",
        "Des fiches en images et en langage facile à lire et à comprendre, pour expliquer les soins (cité par une équipe de l'enquête).",
        "https://santebd.org",
        ALL,
        ["communication"],
        60,
    ),
    (
        "facile-falc",
        "easy_read",
        "Écrire en « facile à lire et à comprendre »",
        "Phrases courtes, un message par phrase, pas de sigles, des images : relire les supports avec des usagers.",
        "",
        EARLY,
        ["communication"],
        61,
    ),
]

# Neutral numbered levels: the descriptions are Binôme's wording, to be replaced by the
# team's or the HAS text; no level name is given.
GENERIC_LEVELS = [
    "Rien n'est organisé sur ce point.",
    "Des initiatives ponctuelles, qui dépendent de quelques personnes.",
    "Une pratique régulière, partagée par une partie de l'équipe.",
    "Une démarche organisée, connue de toute l'équipe et suivie.",
    "Une démarche évaluée et améliorée régulièrement, avec les personnes concernées.",
]
PATIENT_LEVELS = [
    "Les patients sont informés de façon ponctuelle, sans démarche d'équipe.",
    "L'équipe informe les patients de façon organisée (affichage, site, supports).",
    "L'équipe recueille régulièrement l'avis et les attentes des patients et y répond.",
    "Des patients ou usagers travaillent avec l'équipe sur des supports, des outils ou des actions.",
    "Des usagers co-construisent les actions et participent aux décisions de l'équipe.",
]

# The HAS matrix has 4 axes and 16 dimensions (HAS, « Documents pour les accompagnateurs »,
# has-sante.fr/jcms/c_1770301). The HAS reference text of each dimension could not be read
# from where this was written, so titles and descriptions below are Binôme's working wording
# under the HAS axes, four per axis; networks and teams edit them (page « Dimensions ») to the
# HAS wording. Codes never change: answers, consensus and actions point to them.
# (code, axis, title, description, levels, order)
DIMENSIONS = [
    (
        "projet-sante-elaboration",
        "projet-sante",
        "Projet de santé",
        "Le projet de santé est écrit par l'équipe, fondé sur les besoins du territoire, suivi et actualisé.",
        GENERIC_LEVELS,
        110,
    ),
    (
        "projet-sante-acces",
        "projet-sante",
        "Accès aux soins",
        "Accueil, horaires, délais de rendez-vous, accessibilité physique et financière.",
        GENERIC_LEVELS,
        120,
    ),
    (
        "projet-sante-continuite",
        "projet-sante",
        "Continuité des soins et soins non programmés",
        "Réponse aux demandes du jour, absences et congés couverts, lien avec la permanence des soins.",
        GENERIC_LEVELS,
        130,
    ),
    (
        "projet-sante-prevention",
        "projet-sante",
        "Prévention et santé publique",
        "Actions de prévention et de dépistage organisées par l'équipe pour sa patientèle et son territoire.",
        GENERIC_LEVELS,
        140,
    ),
    (
        "implication-information",
        "implication-patients",
        "Information des patients",
        "Information sur l'équipe, son fonctionnement et le partage des données, dans une langue facile à comprendre.",
        GENERIC_LEVELS,
        210,
    ),
    (
        "implication-avis",
        "implication-patients",
        "Recueil de l'avis et de l'expérience des patients",
        "Questionnaires, boîte à idées, comité d'usagers : l'équipe écoute et dit ce qu'elle en fait.",
        GENERIC_LEVELS,
        220,
    ),
    (
        "implication-autonomie",
        "implication-patients",
        "Éducation thérapeutique et autonomie",
        "ETP, pair-accompagnement, décision partagée : le patient acteur de ses soins.",
        GENERIC_LEVELS,
        230,
    ),
    (
        "implication-participation",
        "implication-patients",
        "Participation des usagers aux projets de l'équipe",
        "Comment l'équipe associe les patients et les usagers à ses actions et à ses décisions (continuum du partenariat).",
        PATIENT_LEVELS,
        240,
    ),
    (
        "equipe-organisation",
        "travail-equipe",
        "Organisation et gouvernance de l'équipe",
        "Rôles, coordination, règles de décision et temps dédié au fonctionnement collectif.",
        GENERIC_LEVELS,
        310,
    ),
    (
        "equipe-concertation",
        "travail-equipe",
        "Concertation pluriprofessionnelle",
        "Réunions sur les cas complexes, préparées, tracées et suivies.",
        GENERIC_LEVELS,
        320,
    ),
    (
        "equipe-protocoles",
        "travail-equipe",
        "Protocoles pluriprofessionnels",
        "Protocoles écrits ensemble, connus, appliqués et évalués.",
        GENERIC_LEVELS,
        330,
    ),
    (
        "equipe-qualite",
        "travail-equipe",
        "Démarche qualité et formation",
        "Analyse des pratiques, événements indésirables, formation commune, accueil des étudiants.",
        GENERIC_LEVELS,
        340,
    ),
    (
        "si-dossier",
        "systeme-information",
        "Dossier patient partagé",
        "Un dossier commun, structuré et tenu à jour par les professionnels qui suivent le patient.",
        GENERIC_LEVELS,
        410,
    ),
    (
        "si-echanges",
        "systeme-information",
        "Échanges sécurisés",
        "Messagerie sécurisée de santé et échanges avec l'hôpital et les autres intervenants.",
        GENERIC_LEVELS,
        420,
    ),
    (
        "si-donnees",
        "systeme-information",
        "Données et indicateurs",
        "Des données extraites du système d'information pour suivre les actions et la patientèle.",
        GENERIC_LEVELS,
        430,
    ),
    (
        "si-patients",
        "systeme-information",
        "Outils numériques pour les patients",
        "Prise de rendez-vous, messagerie et documents accessibles aux patients et à leurs partenaires.",
        GENERIC_LEVELS,
        440,
    ),
]

# The four rows the first version of Binôme held (one per axis); kept, inactive, for
# sessions already answered on them.
LEGACY_AXIS_CODES = [
    "implication-patients",
    "travail-equipe",
    "projet-sante",
    "systeme-information",
]


def sync_resources(resource_model):
    """Create the missing library rows (never overwrites what facilitators edited)."""
    for slug, kind, title, summary, url, levels, barriers, order in RESOURCES:
        if slug in HAS_PRIMARY_CARE_SLUGS:
            summary = f"{summary} Source : {HAS_PRIMARY_CARE}."
        resource_model.objects.get_or_create(
            slug=slug,
            defaults=dict(
                kind=kind,
                title=title,
                summary=summary,
                url=url,
                levels=levels,
                barriers=barriers,
                order=order,
            ),
        )


def sync_dimensions(dimension_model):
    """Create the missing dimensions; retire the one-per-axis rows of the first version."""
    for code, axis, title, description, levels, order in DIMENSIONS:
        dimension_model.objects.get_or_create(
            code=code,
            defaults=dict(
                axis=axis,
                title=title,
                description=description,
                levels=levels,
                order=order,
            ),
        )
    for code in LEGACY_AXIS_CODES:
        dimension_model.objects.filter(code=code).update(axis=code, is_active=False)


def sync(resource_model, dimension_model):
    sync_resources(resource_model)
    sync_dimensions(dimension_model)
