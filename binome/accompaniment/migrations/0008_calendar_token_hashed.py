import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    # Existing subscriptions keep working: the same address, now kept only as its hash.
    CalendarFeed = apps.get_model("accompaniment", "CalendarFeed")
    for feed in CalendarFeed.objects.all().only("pk", "token"):
        CalendarFeed.objects.filter(pk=feed.pk).update(token_hash=hashlib.sha256(feed.token.encode()).hexdigest())


class Migration(migrations.Migration):
    dependencies = [("accompaniment", "0007_pathway_moments")]

    operations = [
        migrations.AddField(model_name="calendarfeed", name="token_hash", field=models.CharField(max_length=64, null=True)),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.AlterField(model_name="calendarfeed", name="token_hash", field=models.CharField(max_length=64, unique=True)),
        migrations.AddField(
            model_name="calendarfeed", name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="désactivé le"),
        ),
    ]
