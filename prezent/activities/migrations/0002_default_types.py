"""The default catalogues: ten types of non-formal activity and four kinds of campaign event. The county
coordinator edits, deactivates or adds to them; codes that exist are left as configured."""

from django.db import migrations

ACTIVITY_TYPES = [
    ("atelier-creativ", "Atelier creativ (desen, pictură, lucru manual)", "children"),
    ("lectura", "Club de lectură și povești", "children"),
    ("sport", "Activitate sportivă și jocuri în aer liber", "children"),
    ("educatie-sanatate", "Educație pentru sănătate și igienă", "children"),
    ("educatie-civica", "Educație civică și drepturile copilului", "children"),
    ("teatru-muzica", "Teatru, muzică și dans", "children"),
    ("excursie", "Excursie sau vizită tematică", "mixed"),
    ("orientare", "Orientare școlară și profesională", "children"),
    ("scoala-parintilor", "Întâlnire cu părinții (școala părinților)", "parents"),
    ("activitate-comuna", "Activitate comună copii–părinți–profesori", "mixed"),
]

CAMPAIGN_KINDS = [
    ("intalnire", "Întâlnire de informare"),
    ("pliante", "Distribuire de pliante"),
    ("afis", "Afișe"),
    ("media-locala", "Presă și media locală"),
]


def load(apps, schema_editor):
    ActivityType = apps.get_model("activities", "ActivityType")
    CampaignEventKind = apps.get_model("activities", "CampaignEventKind")
    for order, (code, name, audience) in enumerate(ACTIVITY_TYPES, start=1):
        ActivityType.objects.get_or_create(code=code, defaults={"name": name, "audience": audience, "order": order})
    for order, (code, name) in enumerate(CAMPAIGN_KINDS, start=1):
        CampaignEventKind.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def unload(apps, schema_editor):
    apps.get_model("activities", "ActivityType").objects.filter(
        code__in=[c for c, _n, _a in ACTIVITY_TYPES], activities__isnull=True
    ).delete()
    apps.get_model("activities", "CampaignEventKind").objects.filter(
        code__in=[c for c, _n in CAMPAIGN_KINDS], events__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
