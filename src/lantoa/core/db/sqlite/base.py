"""Django's SQLite backend, making the data directory on the first connection.

A fresh server (`pip install`, then `lantoa migrate`) has no data directory yet, and SQLite
would answer "unable to open database file". Made when a connection is opened, not when the
settings load, so commands that never touch the database (a dry-run import) leave no folder."""

from pathlib import Path

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        name = str(conn_params.get("database", ""))
        if name and name != ":memory:" and not name.startswith("file:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        return super().get_new_connection(conn_params)
