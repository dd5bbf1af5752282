from django.core.management.base import BaseCommand

from lantoa.reports.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the report reminders due today (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"{reminders_send()} reminders sent.")
