from django.core.management.base import BaseCommand

from lantoa.orgs.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo units and one account per role per level (safe to run again)."

    def handle(self, *args, **options):
        logins = load_demo()
        width = max(len(login.username) for login in logins)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.role} · {login.unit}")
