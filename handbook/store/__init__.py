"""SQLite storage: the connection, migrations and the tables, one module per group of tables. Nothing here imports a domain package."""
