"""A department-level map of France as inline SVG: one marker per department (its prefecture),
overseas departments in insets. No tiles, no script, no style attribute (CSP): SVG
presentation attributes only."""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

# code: (name, latitude, longitude of the prefecture)
DEPARTMENTS = {
    "01": ("Ain", 46.21, 5.23),
    "02": ("Aisne", 49.56, 3.62),
    "03": ("Allier", 46.57, 3.33),
    "04": ("Alpes-de-Haute-Provence", 44.09, 6.24),
    "05": ("Hautes-Alpes", 44.56, 6.08),
    "06": ("Alpes-Maritimes", 43.70, 7.27),
    "07": ("Ardèche", 44.74, 4.60),
    "08": ("Ardennes", 49.77, 4.72),
    "09": ("Ariège", 42.97, 1.61),
    "10": ("Aube", 48.30, 4.08),
    "11": ("Aude", 43.21, 2.35),
    "12": ("Aveyron", 44.35, 2.57),
    "13": ("Bouches-du-Rhône", 43.30, 5.37),
    "14": ("Calvados", 49.18, -0.37),
    "15": ("Cantal", 44.93, 2.44),
    "16": ("Charente", 45.65, 0.16),
    "17": ("Charente-Maritime", 46.16, -1.15),
    "18": ("Cher", 47.08, 2.40),
    "19": ("Corrèze", 45.27, 1.77),
    "2A": ("Corse-du-Sud", 41.93, 8.74),
    "2B": ("Haute-Corse", 42.70, 9.45),
    "21": ("Côte-d'Or", 47.32, 5.04),
    "22": ("Côtes-d'Armor", 48.51, -2.76),
    "23": ("Creuse", 46.17, 1.87),
    "24": ("Dordogne", 45.18, 0.72),
    "25": ("Doubs", 47.24, 6.02),
    "26": ("Drôme", 44.93, 4.89),
    "27": ("Eure", 49.02, 1.15),
    "28": ("Eure-et-Loir", 48.45, 1.49),
    "29": ("Finistère", 48.00, -4.10),
    "30": ("Gard", 43.84, 4.36),
    "31": ("Haute-Garonne", 43.60, 1.44),
    "32": ("Gers", 43.65, 0.59),
    "33": ("Gironde", 44.84, -0.58),
    "34": ("Hérault", 43.61, 3.88),
    "35": ("Ille-et-Vilaine", 48.11, -1.68),
    "36": ("Indre", 46.81, 1.69),
    "37": ("Indre-et-Loire", 47.39, 0.69),
    "38": ("Isère", 45.19, 5.72),
    "39": ("Jura", 46.67, 5.55),
    "40": ("Landes", 43.89, -0.50),
    "41": ("Loir-et-Cher", 47.59, 1.33),
    "42": ("Loire", 45.44, 4.39),
    "43": ("Haute-Loire", 45.04, 3.88),
    "44": ("Loire-Atlantique", 47.22, -1.55),
    "45": ("Loiret", 47.90, 1.91),
    "46": ("Lot", 44.45, 1.44),
    "47": ("Lot-et-Garonne", 44.20, 0.62),
    "48": ("Lozère", 44.52, 3.50),
    "49": ("Maine-et-Loire", 47.47, -0.55),
    "50": ("Manche", 49.12, -1.09),
    "51": ("Marne", 48.96, 4.36),
    "52": ("Haute-Marne", 48.11, 5.14),
    "53": ("Mayenne", 48.07, -0.77),
    "54": ("Meurthe-et-Moselle", 48.69, 6.18),
    "55": ("Meuse", 48.77, 5.16),
    "56": ("Morbihan", 47.66, -2.76),
    "57": ("Moselle", 49.12, 6.18),
    "58": ("Nièvre", 46.99, 3.16),
    "59": ("Nord", 50.63, 3.06),
    "60": ("Oise", 49.43, 2.08),
    "61": ("Orne", 48.43, 0.09),
    "62": ("Pas-de-Calais", 50.29, 2.78),
    "63": ("Puy-de-Dôme", 45.78, 3.08),
    "64": ("Pyrénées-Atlantiques", 43.30, -0.37),
    "65": ("Hautes-Pyrénées", 43.23, 0.08),
    "66": ("Pyrénées-Orientales", 42.70, 2.90),
    "67": ("Bas-Rhin", 48.57, 7.75),
    "68": ("Haut-Rhin", 48.08, 7.36),
    "69": ("Rhône", 45.76, 4.84),
    "70": ("Haute-Saône", 47.62, 6.15),
    "71": ("Saône-et-Loire", 46.31, 4.83),
    "72": ("Sarthe", 48.00, 0.20),
    "73": ("Savoie", 45.57, 5.92),
    "74": ("Haute-Savoie", 45.90, 6.13),
    "75": ("Paris", 48.86, 2.35),
    "76": ("Seine-Maritime", 49.44, 1.10),
    "77": ("Seine-et-Marne", 48.54, 2.66),
    "78": ("Yvelines", 48.80, 2.13),
    "79": ("Deux-Sèvres", 46.32, -0.46),
    "80": ("Somme", 49.89, 2.30),
    "81": ("Tarn", 43.93, 2.15),
    "82": ("Tarn-et-Garonne", 44.02, 1.35),
    "83": ("Var", 43.12, 5.93),
    "84": ("Vaucluse", 43.95, 4.81),
    "85": ("Vendée", 46.67, -1.43),
    "86": ("Vienne", 46.58, 0.34),
    "87": ("Haute-Vienne", 45.83, 1.26),
    "88": ("Vosges", 48.17, 6.45),
    "89": ("Yonne", 47.80, 3.57),
    "90": ("Territoire de Belfort", 47.64, 6.86),
    "91": ("Essonne", 48.63, 2.44),
    "92": ("Hauts-de-Seine", 48.89, 2.21),
    "93": ("Seine-Saint-Denis", 48.91, 2.44),
    "94": ("Val-de-Marne", 48.79, 2.46),
    "95": ("Val-d'Oise", 49.04, 2.08),
}
OVERSEAS = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}

# A coarse outline of mainland France (lat, lon), for orientation only.
OUTLINE = [
    (51.09, 2.55),
    (50.13, 1.45),
    (49.70, 0.20),
    (49.45, 0.10),
    (49.35, -0.50),
    (49.70, -1.30),
    (49.65, -1.95),
    (48.65, -1.55),
    (48.70, -3.00),
    (48.45, -4.75),
    (47.80, -4.35),
    (47.30, -2.50),
    (46.40, -1.80),
    (45.70, -1.25),
    (44.60, -1.25),
    (43.40, -1.70),
    (43.00, -0.30),
    (42.70, 1.50),
    (42.45, 3.15),
    (43.25, 3.35),
    (43.55, 4.20),
    (43.10, 6.00),
    (43.75, 7.50),
    (44.15, 7.65),
    (45.10, 6.70),
    (45.90, 7.05),
    (46.40, 6.15),
    (47.45, 7.00),
    (47.60, 7.55),
    (48.95, 8.20),
    (49.45, 6.40),
    (49.55, 5.80),
    (50.10, 4.85),
    (50.35, 4.15),
    (50.80, 2.65),
]

SCALE = 58.0
LON0, LAT0 = -5.3, 51.3
COS = math.cos(math.radians(46.5))
WIDTH, HEIGHT = 620, 640


def project(lat, lon):
    return round((lon - LON0) * SCALE * COS + 10, 1), round((LAT0 - lat) * SCALE + 10, 1)


def outline_points():
    return " ".join("{},{}".format(*project(lat, lon)) for lat, lon in OUTLINE)


def markers(counts: dict):
    """Markers for every department; departments with projects are bigger and labelled."""
    result = []
    for code, (name, lat, lon) in DEPARTMENTS.items():
        x, y = project(lat, lon)
        result.append(_marker(code, name, x, y, counts.get(code, 0)))
    for i, (code, name) in enumerate(OVERSEAS.items()):
        x, y = 30 + i * 46, HEIGHT - 30
        result.append(_marker(code, name, x, y, counts.get(code, 0), overseas=True))
    return {
        "markers": result,
        "outline": outline_points(),
        "width": WIDTH,
        "height": HEIGHT,
        "total": sum(counts.values()),
    }


def _marker(code, name, x, y, n, overseas=False):
    return {
        "code": code,
        "name": name,
        "x": x,
        "y": y,
        "count": n,
        "overseas": overseas,
        "r": (6 + min(n, 10) * 1.2) if n else 3,
    }


def markers_svg(markers, query, department):
    """The markers as SVG markup, built here rather than in a template loop over the ~100
    departments (about 5 ms of template rendering per request)."""
    prefix = f"?{escape(query)}&amp;" if query else "?"
    parts = []
    for m in markers:
        x, y, r, code, name = m["x"], m["y"], m["r"], escape(m["code"]), escape(m["name"])
        if m["count"]:
            fill = "#b3261e" if m["code"] == department else "#3b4cc0"
            parts.append(
                f'<a href="{prefix}departement={code}">'
                f'<circle cx="{x}" cy="{y}" r="{r}" fill="{fill}" stroke="#fff"><title>{name} ({code}) : {m["count"]}</title></circle>'
                f'<text x="{x}" y="{y}" dy="3" text-anchor="middle" font-size="9" fill="#fff">{m["count"]}</text></a>'
            )
        else:
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="{r}" fill="#c5c8dc" aria-hidden="true"><title>{name} ({code})</title></circle>'
            )
        if m["overseas"]:
            parts.append(
                f'<text x="{x}" y="{y}" dy="18" text-anchor="middle" font-size="9" fill="#333">{code}</text>'
            )
    return mark_safe("\n".join(parts))  # noqa: S308 - every variable part is escaped above
