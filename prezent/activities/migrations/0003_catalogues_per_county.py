"""Each county gets its own activity types and campaign event kinds (decision 45): the rows that exist are copied
into every county of the database, and each school's activities and events point to their county's copy."""

from django.db import migrations, models


def _split(apps, model, refs):
    """Give each catalogue row a county: the first county keeps the row, every other county gets a copy, and the
    records of a county (found through `refs`: model, field, path to the county code) point to its own copy. A
    database without schools has nothing that uses the rows: they go, and each county loads the defaults."""
    counties = sorted(set(apps.get_model("schools", "School").objects.values_list("county_code", flat=True)))
    for row in list(model.objects.filter(county_code="")):
        if not counties:
            row.delete()
            continue
        first, *others = counties
        for county in others:
            copy = model.objects.get(pk=row.pk)
            copy.pk = None
            copy.county_code = county
            copy.save()
            for ref, field, path in refs:
                ref.objects.filter(**{field: row, path: county}).update(**{field: copy})
        row.county_code = first
        row.save(update_fields=["county_code"])


def per_county(apps, schema_editor):
    activity = apps.get_model("activities", "Activity")
    event = apps.get_model("activities", "CampaignEvent")
    _split(apps, apps.get_model("activities", "ActivityType"), [(activity, "type", "school__county_code")])
    _split(apps, apps.get_model("activities", "CampaignEventKind"), [(event, "kind", "school__county_code")])


class Migration(migrations.Migration):
    # Not one transaction: on PostgreSQL the data step's writes leave deferred foreign-key checks pending, and a
    # table with pending trigger events cannot be altered in the same transaction ("cannot ALTER TABLE … because
    # it has pending trigger events"). The data step runs in its own transaction (atomic=True below), committed
    # before the constraints are added.
    atomic = False


    dependencies = [
        ('activities', '0002_default_types'),
    ]

    operations = [
        migrations.AddField(
            model_name='activitytype',
            name='county_code',
            field=models.CharField(db_index=True, default='', max_length=2, verbose_name='județ'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='campaigneventkind',
            name='county_code',
            field=models.CharField(db_index=True, default='', max_length=2, verbose_name='județ'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='activitytype',
            name='code',
            field=models.SlugField(max_length=40, verbose_name='cod'),
        ),
        migrations.AlterField(
            model_name='campaigneventkind',
            name='code',
            field=models.SlugField(max_length=40, verbose_name='cod'),
        ),
        migrations.RunPython(per_county, migrations.RunPython.noop, atomic=True),
        migrations.AddConstraint(
            model_name='activitytype',
            constraint=models.UniqueConstraint(fields=('county_code', 'code'), name='activity_type_code_per_county'),
        ),
        migrations.AddConstraint(
            model_name='campaigneventkind',
            constraint=models.UniqueConstraint(fields=('county_code', 'code'), name='campaign_kind_code_per_county'),
        ),
    ]
