# SPDX-License-Identifier: MIT
"""env.py shared by the Alembic projects of tests/cli/alembic_import.bats
(the test copies it into each project's script_location). The database is
ALEMBIC_TEST_URL, else sqlalchemy.url of alembic.ini; the version table is
Alembic's default, alembic_version."""
import os

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
url = os.environ.get("ALEMBIC_TEST_URL") or config.get_main_option(
    "sqlalchemy.url")


def run_migrations_offline():
    context.configure(url=url, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection,
                          transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
