"""Alembic environment: migrations run on the connection the app hands over."""

from __future__ import annotations

from alembic import context

from timeline_app.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations are run by the app, on a connection it opens")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
