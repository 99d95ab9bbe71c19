"""Persistence: SQLAlchemy models, the database and its migrations, backups, private files."""
