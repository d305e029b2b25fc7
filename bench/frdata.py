"""French reference lists for the scale data generator: first names, surnames, communes.

Real communes with their department and region, so that structures look like the ones a
regional network supports; names are the most frequent French first names and surnames
(INSEE lists), without accents stripped.
"""

FIRST_NAMES_F = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Martine", "Christine", "Françoise",
    "Valérie", "Sandrine", "Stéphanie", "Véronique", "Sophie", "Céline", "Chantal", "Patricia",
    "Anne", "Brigitte", "Julie", "Monique", "Aurélie", "Nicole", "Laurence", "Émilie", "Annie",
    "Claire", "Hélène", "Élodie", "Karine", "Fatima", "Nadia", "Yasmine", "Léa", "Camille",
    "Manon", "Chloé", "Josiane", "Colette", "Odile", "Agnès", "Danielle", "Bernadette",
]
FIRST_NAMES_M = [
    "Jean", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe", "Pierre",
    "Christian", "Éric", "Frédéric", "Laurent", "Stéphane", "David", "Pascal", "Daniel",
    "Sébastien", "Julien", "Thierry", "Olivier", "Bernard", "Thomas", "Alexandre", "Gérard",
    "Didier", "Dominique", "Vincent", "François", "Bruno", "Karim", "Mohamed", "Antoine",
    "Lucas", "Hugo", "Jacques", "Marcel", "Paul", "Yves", "Serge", "André", "René", "Joël",
]
LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
    "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard",
    "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez",
    "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard",
    "Cazals", "Delmas", "Fabre", "Marty", "Estève", "Pujol", "Carrière", "Lacombe", "Garrigues",
    "Benali", "Haddad", "Saïdi", "Nguyen", "Da Silva", "Le Gall", "Le Goff", "Kerbrat", "Bouvier",
]

# (commune, department number, region code of binome.people.models.Region)
COMMUNES = [
    ("Figeac", "46", "OCC"), ("Saint-Orens-de-Gameville", "31", "OCC"), ("Gaillac", "81", "OCC"),
    ("Millau", "12", "OCC"), ("Lodève", "34", "OCC"), ("Castelnaudary", "11", "OCC"),
    ("Auch", "32", "OCC"), ("Mende", "48", "OCC"), ("Prades", "66", "OCC"), ("Alès", "30", "OCC"),
    ("Questembert", "56", "BRE"), ("Lannion", "22", "BRE"), ("Quimperlé", "29", "BRE"),
    ("Fougères", "35", "BRE"), ("Pontivy", "56", "BRE"), ("Landerneau", "29", "BRE"),
    ("Dieppe", "76", "NOR"), ("Bayeux", "14", "NOR"), ("Alençon", "61", "NOR"),
    ("Vire Normandie", "14", "NOR"), ("Évreux", "27", "NOR"), ("Granville", "50", "NOR"),
    ("Roubaix", "59", "HDF"), ("Saint-Quentin", "02", "HDF"), ("Abbeville", "80", "HDF"),
    ("Lens", "62", "HDF"), ("Beauvais", "60", "HDF"), ("Maubeuge", "59", "HDF"),
    ("Saint-Denis", "93", "IDF"), ("Montreuil", "93", "IDF"), ("Évry-Courcouronnes", "91", "IDF"),
    ("Meaux", "77", "IDF"), ("Mantes-la-Jolie", "78", "IDF"), ("Créteil", "94", "IDF"),
    ("Épernay", "51", "GES"), ("Saint-Dié-des-Vosges", "88", "GES"), ("Sedan", "08", "GES"),
    ("Haguenau", "67", "GES"), ("Forbach", "57", "GES"), ("Chaumont", "52", "GES"),
    ("Dole", "39", "BFC"), ("Autun", "71", "BFC"), ("Montbéliard", "25", "BFC"),
    ("Nevers", "58", "BFC"), ("Auxerre", "89", "BFC"), ("Lons-le-Saunier", "39", "BFC"),
    ("Vierzon", "18", "CVL"), ("Châteaudun", "28", "CVL"), ("Romorantin-Lanthenay", "41", "CVL"),
    ("Issoudun", "36", "CVL"), ("Montargis", "45", "CVL"), ("Chinon", "37", "CVL"),
    ("Cholet", "49", "PDL"), ("Saint-Nazaire", "44", "PDL"), ("Laval", "53", "PDL"),
    ("La Roche-sur-Yon", "85", "PDL"), ("Sablé-sur-Sarthe", "72", "PDL"), ("Château-Gontier", "53", "PDL"),
    ("Bergerac", "24", "NAQ"), ("Guéret", "23", "NAQ"), ("Mont-de-Marsan", "40", "NAQ"),
    ("Niort", "79", "NAQ"), ("Tulle", "19", "NAQ"), ("Villeneuve-sur-Lot", "47", "NAQ"),
    ("Oloron-Sainte-Marie", "64", "NAQ"), ("Cognac", "16", "NAQ"),
    ("Aurillac", "15", "ARA"), ("Le Puy-en-Velay", "43", "ARA"), ("Vienne", "38", "ARA"),
    ("Oyonnax", "01", "ARA"), ("Montluçon", "03", "ARA"), ("Privas", "07", "ARA"),
    ("Annonay", "07", "ARA"), ("Thiers", "63", "ARA"),
    ("Digne-les-Bains", "04", "PAC"), ("Gap", "05", "PAC"), ("Salon-de-Provence", "13", "PAC"),
    ("Draguignan", "83", "PAC"), ("Carpentras", "84", "PAC"), ("Grasse", "06", "PAC"),
    ("Corte", "2B", "COR"), ("Porto-Vecchio", "2A", "COR"),
    ("Saint-Pierre", "974", "REU"), ("Le Port", "974", "REU"),
    ("Pointe-à-Pitre", "971", "GUA"), ("Le Lamentin", "972", "MTQ"),
    ("Kourou", "973", "GUF"), ("Mamoudzou", "976", "MAY"),
]

STRUCTURE_NAMES = {
    "msp": ["MSP de {c}", "Maison de santé pluriprofessionnelle de {c}", "Pôle de santé de {c}"],
    "cpts": ["CPTS du pays de {c}", "CPTS de {c} et environs"],
    "centre": ["Centre de santé de {c}", "Centre municipal de santé de {c}"],
    "esp": ["Équipe de soins primaires de {c}"],
    "service": ["Service d'oncologie du centre hospitalier de {c}"],
}

CONDITIONS = [
    ("Cancer du sein", "cancer"), ("Diabète de type 2", "diabetes"), ("Insuffisance cardiaque", "cardio"),
    ("BPCO", "respiratory"), ("Asthme", "respiratory"), ("Fibromyalgie", "chronic_pain"),
    ("Lombalgie chronique", "chronic_pain"), ("Dépression", "mental_health"),
    ("Trouble bipolaire", "mental_health"), ("Grossesse difficile", "perinatal"),
    ("Cancer colorectal", "cancer"), ("Polyarthrite rhumatoïde", "other"),
]
SKILLS = ["Écoute", "Animation de groupe", "Prise de parole", "Gestion de projet", "Rédaction", "Informatique"]
LANGUAGES = ["Arabe", "Anglais", "Espagnol", "Portugais", "Turc", "Occitan", "Breton", "Wolof"]
ASSOCIATIONS = [
    "France Assos Santé", "Ligue contre le cancer", "Fédération française des diabétiques",
    "Alliance du Cœur", "UNAFAM", "Association François Aupetit", "", "", "",
]

MOTIVATIONS = [
    "J'ai traversé la maladie et je voudrais que d'autres se sentent moins seuls au moment de l'annonce.",
    "Après mon programme d'ETP, j'ai envie de rendre ce qu'on m'a donné.",
    "Je connais bien le parcours et les démarches, je peux aider à s'y retrouver.",
    "Mon médecin m'a proposé de rejoindre l'équipe ; je suis à la retraite et j'ai du temps.",
]
LIVED = [
    "Diagnostiquée il y a huit ans, opérée puis six mois de chimiothérapie ; la fatigue a été le plus dur.",
    "Diabétique depuis quinze ans, j'ai appris à vivre avec l'insuline et les contrôles.",
    "Deux hospitalisations pour décompensation cardiaque ; aujourd'hui je marche tous les jours.",
    "Des années de douleurs avant qu'on mette un nom dessus ; le groupe de parole m'a beaucoup aidé.",
]
CONTACT_NOTES = [
    "Appel d'une vingtaine de minutes, la personne est inquiète avant le rendez-vous de jeudi.",
    "Nous avons parlé de la fatigue et de l'organisation à la maison.",
    "Rencontre au café près de la maison de santé ; elle a posé beaucoup de questions sur la suite.",
    "SMS pour confirmer le rendez-vous, tout va bien.",
    "Il a repris la marche, il se sent mieux depuis la semaine dernière.",
    "Échange sur les démarches auprès de la CPAM et de la MDPH.",
]
SUMMARIES = [
    "Patient rassuré, souhaite en parler à son médecin traitant.",
    "Questions sur les effets secondaires : à revoir avec l'infirmière.",
    "Moral en hausse, pas de besoin particulier.",
    "",
]
IDEAS = [
    "Mettre des chaises plus hautes dans la salle d'attente pour les personnes âgées.",
    "Afficher les horaires des ateliers à l'entrée.",
    "Proposer une permanence le samedi matin.",
    "Créer un atelier cuisine pour les personnes diabétiques.",
    "Envoyer un SMS de rappel la veille des rendez-vous.",
    "Un coin pour les enfants pendant les consultations.",
    "Une rampe d'accès plus douce pour les fauteuils.",
    "Organiser une marche santé mensuelle avec les kinés.",
]
SURVEY_COMMENTS = [
    "Très bon accueil, merci à toute l'équipe.",
    "Délais de rendez-vous trop longs pour les kinés.",
    "Le secrétariat est difficile à joindre le matin.",
    "Les ateliers d'éducation thérapeutique m'ont beaucoup aidé.",
    "Parking trop petit.",
]
ACTION_TITLES = {
    "posters": "Affiches sur les ateliers dans la salle d'attente",
    "website": "Page des ateliers sur le site de la maison de santé",
    "gazette": "Gazette trimestrielle des usagers",
    "survey": "Enquête de satisfaction annuelle",
    "idea_box": "Boîte à idées à l'accueil",
    "open_day": "Journée portes ouvertes",
    "committee": "Comité des usagers",
    "working_group": "Groupe de travail sur l'accueil",
    "user_referent": "Patient partenaire co-animateur du programme d'ETP diabète",
    "health_project": "Relecture du projet de santé avec les usagers",
    "drop_in": "Permanence des usagers le jeudi",
}
