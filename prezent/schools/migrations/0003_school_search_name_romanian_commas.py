"""Schools get `search_name` (name and short name folded), which the school list searches so that case and
diacritics do not matter; and the names the Ministry's files wrote with ş ţ Ş Ţ (cedilla) are written with
ș ț Ș Ț (comma below), as the imports now write them."""

from django.db import migrations, models

from prezent.core.text import fold, romanian_commas

BATCH_SIZE = 1000
SEARCH_NAME_LENGTH = 430
SCHOOL_TEXT = ("name", "short_name", "unit_type", "street")


def commas_and_search_names(apps, schema_editor):
    """Rewrite cedilla letters in locality and school names (and a school's type and street, as the import
    does) and fill every school's `search_name`. Only changed rows are written, in bulk."""
    locality_model = apps.get_model("schools", "Locality")
    changed = []
    for locality in locality_model.objects.only("pk", "name").order_by("pk").iterator(chunk_size=BATCH_SIZE):
        name = romanian_commas(locality.name)
        if name != locality.name:
            locality.name = name
            changed.append(locality)
    locality_model.objects.bulk_update(changed, ["name"], batch_size=BATCH_SIZE)

    school_model = apps.get_model("schools", "School")
    changed = []
    for school in school_model.objects.only("pk", "search_name", *SCHOOL_TEXT).order_by("pk").iterator(
        chunk_size=BATCH_SIZE
    ):
        before = [getattr(school, field) for field in (*SCHOOL_TEXT, "search_name")]
        for field in SCHOOL_TEXT:
            setattr(school, field, romanian_commas(getattr(school, field)))
        # As `school_search_name` (prezent/schools/models.py) computes it today.
        school.search_name = fold(f"{school.name} {school.short_name}")[:SEARCH_NAME_LENGTH]
        if [getattr(school, field) for field in (*SCHOOL_TEXT, "search_name")] != before:
            changed.append(school)
    school_model.objects.bulk_update(changed, [*SCHOOL_TEXT, "search_name"], batch_size=BATCH_SIZE)


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_school_year_assumptions"),
    ]

    operations = [
        migrations.AddField(
            model_name="school",
            name="search_name",
            field=models.CharField(blank=True, db_default="", editable=False, max_length=SEARCH_NAME_LENGTH),
        ),
        migrations.RunPython(commas_and_search_names, migrations.RunPython.noop),
    ]
