"""The library's usages recorded before they carried a unit get their item's unit, so a file
whose renditions are made later rebuilds the pages of the section that publishes it."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

OWNERS = ("content.item", "content.item.draft")  # content.services' USAGE_OWNER, DRAFT_...


def fill(apps, schema_editor):
    AssetUsage = apps.get_model("media", "AssetUsage")
    ContentItem = apps.get_model("content", "ContentItem")
    AssetUsage.objects.filter(owner__in=OWNERS, unit__isnull=True).update(
        unit_id=Subquery(ContentItem.objects.filter(pk=OuterRef("owner_id")).values("unit_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0004_alter_contentitem_kind"),
        ("media", "0003_assetusage_unit"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
