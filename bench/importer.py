"""Plan import speed: each seed and a 30-page plan, against reading and folding the same text.

Printed as ``import-<name>-s`` (read + understand), ``import-30p-s`` (the 30-page plan, read +
understand + save to the database) and ``import-30p-ratio`` against the floor: decoding the
bytes and folding every character once (``match_key``), which any importer must at least do.
"""

from __future__ import annotations

import re
import statistics
import time

from lantoa.core.documents.layout import match_key
from lantoa.plans.importer import extract_plan, read_document
from lantoa.portal.demo.plans import HERE as SEEDS


def thirty_pages() -> bytes:
    """A long plan: the ward seed's task section repeated into 30 A4 pages (~2,700 chars each)."""
    text = (SEEDS / "xuan-lap.txt").read_text(encoding="utf-8")
    start = text.index("III. NHIỆM VỤ VÀ GIẢI PHÁP")
    end = text.index("IV. KINH PHÍ")
    head, tasks, tail = text[:start], text[start:end], text[end:]
    body = tasks.split("\n", 1)[1]
    groups = re.split(r"\n(?=\d\. )", body)
    out, number = [head, "III. NHIỆM VỤ VÀ GIẢI PHÁP\n"], 1
    while sum(len(part) for part in out) < 30 * 2700 - len(tail):
        for group in groups:
            out.append(re.sub(r"^\d+\.", f"{number}.", group.strip(), count=1) + "\n\n")
            number += 1
    out.append(tail)
    return "".join(out).encode("utf-8")


def _time(fn, repeat=5) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    from django.db import transaction

    from lantoa.orgs.models import OrgUnit
    from lantoa.plans.services import plan_import

    for path in sorted(SEEDS.glob("*.txt")):
        data = path.read_bytes()
        seconds = _time(lambda data=data: extract_plan(read_document(data).text))
        print(f"import-{path.stem}-s: {seconds:.3f}")
    data = thirty_pages()
    floor = _time(lambda: match_key(data.decode("utf-8")))
    understood = extract_plan(read_document(data).text)
    unit = OrgUnit.objects.get(code="26104")

    def full_import():
        with transaction.atomic():
            source = read_document(data, filename="30p.txt")
            plan_import(
                actor=None,
                unit=unit,
                source=source,
                extracted=extract_plan(source.text),
                filename="30p.txt",
            )
            transaction.set_rollback(True)

    seconds = _time(full_import, repeat=3)
    print(f"import-30p-chars: {len(data.decode('utf-8'))}  tasks: {len(understood.tasks)}")
    print(f"import-30p-floor-s: {floor:.3f}")
    print(f"import-30p-s: {seconds:.2f}")
    print(f"import-30p-ratio: {seconds / floor:.1f}")
