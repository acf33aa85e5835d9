"""Triggers that refuse UPDATE and DELETE of ledger rows (see bastion/audit/immutability.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from bastion.audit.immutability import install_append_only_triggers

    install_append_only_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    from bastion.audit.immutability import drop_append_only_triggers

    drop_append_only_triggers(schema_editor.connection, functions=True)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_checkpoint"),
    ]

    operations = [
        migrations.RunPython(install, drop),
    ]
