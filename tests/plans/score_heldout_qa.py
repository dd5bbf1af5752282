#!/usr/bin/env python3
"""Score the assistant on the held-out questions, off-topic ones included.

    score_heldout_qa.py --qa tests/plans/heldout/qa.jsonl --cmd 'lantoa ask --json'

The held-out plans must be indexed first (`lantoa assistant_index tests/plans/heldout`).
On-topic rows (a "source" file) are scored exactly as ../shared/tools/score_assistant.py does
(hit@1, hit@5, answer, source@1). Rows with "source": "none" and no answers are questions the
plans do not answer: one counts as refused when the short answer is empty or says "không biết"
(folded: "khong biet"), whatever passages are cited. Prints both parts; the last line is
"refused: X.XXX". Standard library only.
"""

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "tools"
sys.path.insert(0, str(SHARED))
from score_assistant import holds  # noqa: E402
from vnfold import fold  # noqa: E402


def refused(answer) -> bool:
    text = fold(str(answer or ""))
    return not text or "khong biet" in text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--qa", required=True, type=Path)
    ap.add_argument("--cmd", required=True)
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    rows = [json.loads(x) for x in args.qa.read_text(encoding="utf-8").splitlines() if x.strip()]
    stdin = "".join(r["q"].replace("\n", " ") + "\n" for r in rows)
    run = subprocess.run(  # noqa: S603
        shlex.split(args.cmd), input=stdin, capture_output=True, text=True, timeout=args.timeout
    )
    outs = []
    for line in run.stdout.splitlines():
        try:
            outs.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    if run.returncode or len(outs) != len(rows):
        print(f"exit {run.returncode}, {len(outs)} answers for {len(rows)} questions")
    on = {"n": 0, "hit1": 0, "hit5": 0, "answer": 0, "source1": 0}
    off = {"n": 0, "refused": 0}
    for i, row in enumerate(rows):
        out = outs[i] if i < len(outs) and isinstance(outs[i], dict) else {}
        cits = [c for c in out.get("citations") or [] if isinstance(c, dict)]
        if row["source"] == "none":
            off["n"] += 1
            off["refused"] += refused(out.get("answer"))
            continue
        got = [holds(str(c.get("text", "")), row["answers"]) for c in cits[:5]]
        on["n"] += 1
        on["hit1"] += bool(got and got[0])
        on["hit5"] += any(got)
        on["answer"] += holds(str(out.get("answer") or ""), row["answers"])
        on["source1"] += bool(cits) and row["source"] in str(cits[0].get("document", ""))
    n = max(1, on["n"])
    print(
        f"on-topic: {on['n']}  hit@1: {on['hit1'] / n:.3f}  hit@5: {on['hit5'] / n:.3f}  "
        f"answer: {on['answer'] / n:.3f}  source@1: {on['source1'] / n:.3f}"
    )
    print(f"off-topic: {off['n']}")
    print(f"refused: {off['refused'] / max(1, off['n']):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
