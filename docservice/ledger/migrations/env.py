"""Alembic environment of the ledger: runs on the connection ``migrate.upgrade`` hands over.

Offline mode (``--sql``) writes the SQL for the URL set as ``sqlalchemy.url``.
"""

from alembic import context

from docservice.ledger.tables import Base

config = context.config

if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=Base.metadata,
        literal_binds=True,
    )
else:
    context.configure(
        connection=config.attributes["connection"],
        target_metadata=Base.metadata,
        compare_type=True,
    )

with context.begin_transaction():
    context.run_migrations()
