"""Starting templates of mission sheets for the common kinds (seeds 002 and 004).

A template fills a new draft; the team and the partner then rewrite it together.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MissionTemplate:
    kind: str
    title: str
    level: str
    objective: str
    activities: str
    excluded_activities: str
    required_profile: str
    time_and_place: str
    supervision: str
    slot: str = "daytime"
    remote_possible: bool = False
    estimated_hours_per_month: int | None = None
    required_training: str = ""
    skills: tuple = field(default_factory=tuple)
    topics: tuple = field(default_factory=tuple)


TEMPLATES = [
    MissionTemplate(
        kind="peer_accompaniment",
        title=_("Pair-accompagnement de patients"),
        level="partnership",
        objective=_(
            "Offrir à des patients qui le souhaitent l'écoute et le soutien d'une personne qui a vécu un parcours proche, aux moments clés du parcours."
        ),
        activities=_(
            "Premier contact dans les 48 heures après l'orientation ; échanges par téléphone, visio ou rencontre dans un lieu choisi ; partage d'expérience ; orientation vers les ressources (associations, soins de support) ; retour à l'équipe de ce que le patient accepte de partager."
        ),
        excluded_activities=_(
            "Ne donne aucun avis médical, ne commente pas les traitements, n'accède pas au dossier médical, ne remplace pas un professionnel. En cas d'urgence, alerte l'équipe sans délai."
        ),
        required_profile=_(
            "Expérience vécue d'un parcours proche, recul sur sa propre maladie, qualités d'écoute, formation à la pair-aidance ou à l'ETP souhaitée."
        ),
        time_and_place=_("Environ 2 heures par semaine, à distance ou à la maison de santé."),
        supervision=_(
            "Un temps de supervision mensuel avec le référent de l'équipe ; un professionnel joignable à tout moment."
        ),
        remote_possible=True,
        estimated_hours_per_month=8,
        required_training="peer_support",
        skills=("écoute",),
    ),
    MissionTemplate(
        kind="etp_coanimation",
        title=_("Co-animation d'un atelier d'éducation thérapeutique"),
        level="collaboration",
        objective=_(
            "Co-animer avec un professionnel un atelier du programme d'ETP, pour que les savoirs d'expérience complètent les savoirs professionnels."
        ),
        activities=_(
            "Préparation de la séance avec le professionnel ; co-animation en binôme ; témoignage choisi ; débriefing après la séance."
        ),
        excluded_activities=_(
            "N'anime pas seul, ne répond pas aux questions médicales (il les renvoie au professionnel), ne conserve aucune information personnelle des participants."
        ),
        required_profile=_("Formation ETP de 40 heures, aisance à l'oral en groupe."),
        time_and_place=_(
            "Une séance de 2 heures par mois, à la maison de santé, plus 1 heure de préparation."
        ),
        supervision=_("Débriefing après chaque séance avec le professionnel co-animateur."),
        estimated_hours_per_month=3,
        required_training="etp_40h",
        skills=("animation", "prise de parole"),
    ),
    MissionTemplate(
        kind="working_group",
        title=_("Participation à un groupe de travail"),
        level="collaboration",
        objective=_(
            "Apporter le point de vue des patients dans un groupe de travail de l'équipe (parcours, accueil, outils)."
        ),
        activities=_("Participation aux réunions ; relecture des documents ; propositions."),
        excluded_activities=_(
            "Ne représente pas à lui seul tous les patients ; n'a pas accès aux données des patients."
        ),
        required_profile=_("Envie de contribuer, expérience du parcours concerné."),
        time_and_place=_(
            "Une réunion de 2 heures tous les deux mois, en soirée, sur place ou en visio."
        ),
        supervision=_(
            "Un référent du groupe de travail présente le contexte avant la première réunion."
        ),
        slot="evening",
        remote_possible=True,
        estimated_hours_per_month=1,
    ),
    MissionTemplate(
        kind="users_committee",
        title=_("Membre du comité des usagers"),
        level="consultation",
        objective=_(
            "Faire remonter les attentes et retours des usagers, et suivre les suites données par l'équipe."
        ),
        activities=_(
            "Participation aux réunions du comité ; recueil des propositions ; lecture des résultats d'enquêtes."
        ),
        excluded_activities=_("N'a accès à aucune donnée individuelle de patient."),
        required_profile=_("Usager de la structure, intérêt pour la vie de la maison de santé."),
        time_and_place=_("Trois à quatre réunions par an, en soirée, à la maison de santé."),
        supervision=_("La coordination prépare et anime le comité."),
        slot="evening",
        estimated_hours_per_month=1,
    ),
    MissionTemplate(
        kind="health_project_review",
        title=_("Relecture du projet de santé"),
        level="consultation",
        objective=_(
            "Relire le projet de santé de la structure avec un regard d'usager et proposer des améliorations."
        ),
        activities=_(
            "Lecture du projet ; annotations ; une réunion d'échange avec la coordination."
        ),
        excluded_activities=_(
            "Ne valide pas seul le projet ; ses remarques sont discutées en équipe."
        ),
        required_profile=_("Aisance à l'écrit, connaissance de la structure."),
        time_and_place=_("Quelques heures sur un mois, à distance, puis une réunion."),
        supervision=_("La coordinatrice ou le coordinateur accompagne la relecture."),
        slot="flexible",
        remote_possible=True,
        estimated_hours_per_month=4,
        skills=("rédaction",),
    ),
    MissionTemplate(
        kind="communication",
        title=_("Communication vers les patients"),
        level="collaboration",
        objective=_(
            "Rendre les informations de la structure compréhensibles par tous (affiches, site, livret d'accueil)."
        ),
        activities=_("Relecture et co-écriture de supports ; tests auprès d'autres usagers."),
        excluded_activities=_(
            "Ne diffuse rien sans validation de l'équipe ; ne publie aucune information personnelle."
        ),
        required_profile=_(
            "Goût pour l'écrit ou le graphisme ; langues parlées par la patientèle bienvenues."
        ),
        time_and_place=_("Quelques heures par mois, à distance."),
        supervision=_("Un référent communication dans l'équipe."),
        slot="flexible",
        remote_possible=True,
        estimated_hours_per_month=3,
        skills=("communication",),
    ),
    MissionTemplate(
        kind="student_training",
        title=_("Intervention dans la formation des étudiants"),
        level="partnership",
        objective=_(
            "Partager avec les internes et étudiants accueillis l'expérience du parcours de soins vu par le patient."
        ),
        activities=_(
            "Préparation avec le maître de stage ; intervention devant les étudiants ; échange."
        ),
        excluded_activities=_(
            "Ne commente pas la pratique d'un professionnel nommément ; ne parle que de ce qu'il choisit de partager."
        ),
        required_profile=_(
            "Recul sur son parcours, aisance à l'oral ; formation de patient formateur bienvenue."
        ),
        time_and_place=_("Une intervention de 2 heures par semestre, en journée."),
        supervision=_("Le maître de stage prépare et débriefe l'intervention."),
        estimated_hours_per_month=1,
        skills=("prise de parole",),
    ),
]

BY_KIND = {t.kind: t for t in TEMPLATES}
