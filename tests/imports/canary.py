"""Plant a spreadsheet a person brought in, for the privacy canary test."""


def plant(user, structure, canary):
    from binome.imports.models import ImportBatch

    ImportBatch.objects.create(
        structure=structure,
        created_by=user,
        kind="partenaires",
        file_name=canary("tableur.csv"),
        file_sha256="0" * 64,
        headers=["Prénom"],
        rows=[[2, {"first_name": canary("prenom")}]],
        outcome=[
            {
                "line": 2,
                "label": canary("nom"),
                "result": "error",
                "messages": [canary("message")],
                "target": "",
            }
        ],
    )
