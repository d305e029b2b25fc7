"""Plant the involvement data of a person (an evidence file they uploaded) for the privacy canary test."""

import datetime as dt


def plant(user, structure, canary):
    from django.core.files.base import ContentFile

    from binome.involvement.models import Evidence, InvolvementAction

    action = InvolvementAction.objects.create(
        structure=structure,
        kind="posters",
        title="Affiches",
        level="information",
        aci_level=1,
        start_date=dt.date.today(),
    )
    evidence = Evidence(
        action=action,
        original_name=canary("original_name"),
        content_type="application/pdf",
        size=9,
        uploaded_by=user,
    )
    evidence.file.save("preuve.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
