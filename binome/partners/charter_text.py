"""The default charter of reciprocal engagement, in French (seed 002's "charte morale")."""

DEFAULT_TITLE = "Charte d'engagement réciproque"

DEFAULT_TEXT = """\
Cette charte réunit les patients partenaires et les professionnels de l'équipe autour de
valeurs communes. Chacun la signe : elle engage les deux parties, à égalité.

1. Confidentialité
Les informations échangées lors des rencontres, des ateliers et des accompagnements restent
confidentielles. Le patient partenaire ne fait pas partie de l'équipe de soins : il ne reçoit
que ce que sa mission demande, avec l'accord de la personne concernée.

2. Partenariat
Le patient partenaire et l'équipe travaillent ensemble, en partenaires. Les missions sont
construites à deux, à partir des compétences et des souhaits de chacun, et validées par tous.

3. Complémentarité des savoirs
Les savoirs issus de l'expérience de la maladie et les savoirs professionnels se complètent.
Aucun ne remplace l'autre ; chacun enrichit l'autre.

4. Respect des points de vue
Les points de vue peuvent différer. Ils sont écoutés et respectés, et les désaccords se
discutent en équipe, sans jugement.

5. Écoute des besoins des patients
Ce que nous faisons ensemble sert d'abord les besoins exprimés par les patients, pour
améliorer la qualité de leur prise en soins.

6. Respect de la temporalité du patient partenaire
Le patient partenaire s'engage à son rythme. Il peut faire une pause ou arrêter à tout
moment, sans avoir à se justifier. Ses limites (situations ou moments de parcours qu'il ne
souhaite pas affronter) sont respectées.

7. Soutien et supervision
L'équipe offre au patient partenaire un temps de supervision et un référent joignable. Les
modalités d'indemnisation sont décidées à l'avance et connues de tous.
"""
