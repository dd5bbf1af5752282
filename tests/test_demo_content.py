"""The demo's NQ57 sections: written, reviewed and published through the real services."""

import pytest

from lantoa.activities.choices import ActivityOrigin
from lantoa.activities.models import Activity
from lantoa.content.choices import ContentKind, ContentStatus
from lantoa.content.models import ContentItem
from lantoa.media.models import AssetUsage


@pytest.mark.django_db
def test_each_demo_commune_has_its_section_published_through_the_services(client):
    from lantoa.portal.demo.content import load_demo_content
    from lantoa.portal.demo.plans import load_demo_plans
    from lantoa.portal.demo.units import load_demo

    load_demo()
    load_demo_plans()
    assert load_demo_content() == 10
    assert load_demo_content() == 0  # run again: nothing changes
    for code in ("25405", "26104"):
        items = ContentItem.objects.filter(unit__code=code)
        published = items.filter(status=ContentStatus.PUBLISHED)
        assert published.count() == 5
        assert items.filter(status=ContentStatus.SCHEDULED, go_live_at__isnull=False).count() == 1
        assert items.filter(status=ContentStatus.IN_REVIEW).count() == 1
        # Reviewed by someone other than the author, evidence recorded once per item.
        for item in published:
            review = item.reviews.get()
            assert review.reviewer_id != item.created_by_id
            assert (
                Activity.objects.filter(
                    origin=ActivityOrigin.CONTENT, origin_ref=f"content:{item.pk}"
                ).count()
                == 1
            )
        directive = published.get(kind=ContentKind.DIRECTIVE)
        assert directive.document_number == "05/CT-UBND" and directive.document_date
        assert published.filter(cover__isnull=False).count() >= 2
        # The pictures come from the library and are public with the items using them.
        assert AssetUsage.objects.filter(
            asset__unit__code=code, owner_id__in=[i.pk for i in published], public=True
        ).exists()
        page = client.get(f"/u/{code}/").content.decode()
        assert all(item.live_revision.title in page for item in published[:3])
        assert "Hội nghị quán triệt" not in page  # in review: not public
