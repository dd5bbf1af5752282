"""Use cases of the top layer: writes that span apps of layer 7 (reports and the assistant),
which cannot import each other. The pages of lower apps are given these by ``lantoa/urls.py``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.assistant import services as assistant_services
from lantoa.orgs.audit import audited, record
from lantoa.orgs.models import User
from lantoa.plans import services as plan_services
from lantoa.plans.models import Plan
from lantoa.reports import services as report_services


@transaction.atomic
@audited
def plan_withdraw(*, actor: User, plan: Plan, reason: str) -> Plan:
    """Withdraw a plan imported by mistake, in one transaction: the plan and what it holds
    leave force (:func:`lantoa.plans.services.plan_withdraw`, which checks the permission and
    records who and why), its open reporting periods close
    (:func:`lantoa.reports.services.periods_close`) and its passages leave the assistant
    (:func:`lantoa.assistant.services.plan_corpus_withdraw`).

    It lives here, in the portal (layer 8), because it spans three apps: plans (3), reports
    (7) and the assistant (7); reports and the assistant share a layer and may not import each
    other, so the lowest layer above all three is this one (docs/architecture.md)."""
    plan = plan_services.plan_withdraw(actor=actor, plan=plan, reason=reason)
    reason = " ".join((reason or "").split())[:500]
    closed = report_services.periods_close(actor=actor, plan=plan, reason=reason)
    documents = assistant_services.plan_corpus_withdraw(plan)
    record(
        plan,
        actor=actor,
        summary=_(
            "Withdrawal done: %(periods)d reporting periods closed, %(documents)d documents "
            "taken out of the assistant."
        )
        % {"periods": closed, "documents": documents},
    )
    return plan
