#!/bin/sh
# Score the assistant on a question set with the shared scorer, over a fresh SQLite database
# holding only the given documents:
#   tests/assistant_qa/score.sh QUESTIONS.jsonl [ask options] -- DOCUMENT...
# e.g. tests/assistant_qa/score.sh tests/assistant_qa/dev.jsonl -- tests/assistant_qa/docs/*
# ``--baseline`` among the ask options scores plain BM25 over the same passages instead.
set -e
here=$(cd "$(dirname "$0")/../.." && pwd)
qa=$1; shift
opts=""
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do opts="$opts $1"; shift; done
[ "$1" = "--" ] && shift
py=${PYTHON:-$here/.venv/bin/python}
data=$(mktemp -d)
export LANTOA_DATA_DIR="$data" PYTHONPATH="$here/src" LANTOA_DEBUG=1
unset LANTOA_DATABASE_URL
"$py" -m lantoa migrate -v0
"$py" -m lantoa assistant_index "$@" >/dev/null
python3 "$here/../shared/tools/score_assistant.py" --qa "$qa" --cmd "$py -m lantoa ask --json$opts" ${VERBOSE:+--verbose}
rm -rf "$data"
