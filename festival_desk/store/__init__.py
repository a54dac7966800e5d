"""Storage: SQLModel tables, opening (and migrating) a database, queries."""
