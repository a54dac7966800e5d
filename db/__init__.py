"""Data that travels with Festival Desk: Alembic migrations and the demo festival (installed as festival_desk.db)."""
