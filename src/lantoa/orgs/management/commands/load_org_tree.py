from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lantoa.orgs.national import load_national_tree


class Command(BaseCommand):
    help = (
        "Load or refresh the national tree (34 provinces, 3,321 communes) from vietnam-provinces."
    )

    def handle(self, *args, **options):
        result = load_national_tree()
        self.stdout.write(
            _(
                "Org tree: %(created)d units added, %(renamed)d renamed, %(total)d administrative units in all."
            )
            % {"created": result.created, "renamed": result.renamed, "total": result.total}
        )
