from django.db import migrations, models


def backfill(apps, schema_editor):
    Draw = apps.get_model("inspections", "AssignmentDraw")
    for draw in Draw.objects.all():
        draw.needed = len(draw.chosen or [])
        draw.save(update_fields=["needed"])


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0002_standards_tasks_booking"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignmentdraw",
            name="needed",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="抽取人数"),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
