"""Create one group per role (the group name is the role code) with its model permissions."""

from django.db import migrations

ROLES = ("applicant", "agent", "clerk", "reviewer", "dispatcher", "inspector", "expert",
         "approver", "certifier", "archivist", "supervisor", "regulator")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
