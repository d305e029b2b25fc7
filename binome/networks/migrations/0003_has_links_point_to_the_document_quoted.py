"""The HAS advice for primary care quoted by seed 001 (note 18) linked to another HAS
document: the link goes and the summary names the document, unless a facilitator edited it."""

from django.db import migrations

OLD_URL = "https://www.has-sante.fr/jcms/p_3201812/fr/soutenir-et-encourager-l-engagement-des-usagers-dans-les-secteurs-social-medico-social-et-sanitaire"
SOURCE = "HAS, « Engagement des usagers dans les maisons, centres et territoires de santé »"
SLUGS = ("has-objet", "has-coconstruction", "has-facilitateurs", "has-formation", "has-financement",
         "has-gouvernance", "has-representations", "has-outils")


def forward(apps, schema_editor):
    Resource = apps.get_model("networks", "Resource")
    for resource in Resource.objects.filter(slug__in=SLUGS, url=OLD_URL):
        resource.url = ""
        if SOURCE not in resource.summary:
            resource.summary = f"{resource.summary} Source : {SOURCE}."
        resource.save(update_fields=["url", "summary"])


class Migration(migrations.Migration):
    dependencies = [("networks", "0002_reference_data")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
