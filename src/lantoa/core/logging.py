"""Logging filters: no phone or ID number in a log line.

Questions are asked by POST, so the assistant's text never sits in an address; this filter is
the second lock, for any address that still carries a number (a link a citizen pasted, an old
widget). It masks runs of 9 or more digits (phone numbers, CCCD/CMND numbers) in the request
lines of the development server's log (``django.server``). Production's gunicorn and nginx keep
their own access logs: see docs/operations.md."""

from __future__ import annotations

import logging
import re

_NUMBER = re.compile(r"(?<!\d)\+?\d(?:[\s.+%-]?\d){8,}(?!\d)")


def mask(text: str) -> str:
    return _NUMBER.sub("***", text)


class MaskNumbersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(mask(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = mask(record.msg)
        return True
