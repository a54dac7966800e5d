"""Storage: SQLModel tables, opening (and migrating) a database, queries.

One rule holds for every SQLite festival file: while any SQLite connection of this process may have
it open, nothing opens it with plain file I/O. On POSIX, closing any file descriptor of a file drops
every lock the process holds on it, SQLite's included, and another process may then delete the
write-ahead log under our connection (saves lost, or a corrupt file). Files are inspected and copied
through SQLite itself (`db`, `peek`), and every open file is registered with `core.files`, which
refuses it as an input or output file. See `store.db` for the details.
"""
