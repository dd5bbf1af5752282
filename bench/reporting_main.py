"""Entry point of a bench module (bench/reporting.py, bench/assistant.py) in its own process
and database: ``LANTOA_BENCH_MODULE`` names the module."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
os.environ.setdefault("LANTOA_DEBUG", "1")
os.environ["LANTOA_TESTING"] = "1"
os.environ["LANTOA_DATABASE_URL"] = os.environ["LANTOA_BENCH_DATABASE_URL"]

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

name = connection.settings_dict["NAME"]
with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
    if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        admin.execute(f'CREATE DATABASE "{name}"')
call_command("migrate", verbosity=0)

import importlib  # noqa: E402

importlib.import_module(os.environ.get("LANTOA_BENCH_MODULE", "reporting")).main()
