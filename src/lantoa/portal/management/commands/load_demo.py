from django.core.management.base import BaseCommand

from lantoa.assistant.services import plan_corpus_update
from lantoa.portal.demo.awards import load_demo_awards
from lantoa.portal.demo.content import load_demo_content
from lantoa.portal.demo.evaluation import load_demo_evaluation
from lantoa.portal.demo.plans import load_demo_plans
from lantoa.portal.demo.programme_sttasks import load_demo_sttasks
from lantoa.portal.demo.programme_trainings import load_demo_programme_trainings
from lantoa.portal.demo.reporting import load_demo_reporting
from lantoa.portal.demo.units import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo units and one account per role per level (safe to run again)."

    def handle(self, *args, **options):
        logins = load_demo()
        plans = load_demo_plans()
        for plan in plans:
            plan_corpus_update(plan)
        load_demo_reporting()
        published = load_demo_content()
        load_demo_programme_trainings()
        load_demo_awards()
        load_demo_evaluation()
        load_demo_sttasks()
        if plans:
            self.stdout.write(f"Demo plans: {', '.join(str(p) for p in plans)}")
        self.stdout.write(
            "Q&A assistant / Trợ lý hỏi đáp: http://127.0.0.1:8000/assistant/25405/ (Xã Bom Bo), "
            "/assistant/26104/ (Phường Xuân Lập); the plans are indexed by the background worker."
        )
        self.stdout.write(
            f"NQ57 sections / Chuyên mục NQ57: http://127.0.0.1:8000/u/25405/ (Xã Bom Bo), "
            f"/u/26104/ (Phường Xuân Lập); {published} items published now, one scheduled and "
            "one in review in each (desk: /desk/, logins editor.bombo / approver.bombo)."
        )
        self.stdout.write(
            "Evaluation / Đánh giá: http://127.0.0.1:8000/evaluation/ (login dongnai focal point)"
        )
        width = max(len(login.username) for login in logins)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.role} · {login.unit}")
