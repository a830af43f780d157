"""
``migrate`` for the MariaDB test runs: Django's own command, after one workaround for a fresh MariaDB database.

edx-submissions' migration ``0006_mariadb_uuid_conversion`` (in 3.12 and 4.0) runs
``ALTER TABLE submissions_studentitem MODIFY uuid uuid`` on MariaDB, but ``submissions_studentitem`` has no
``uuid`` column, so ``migrate`` stops with "Unknown column 'uuid'" on every fresh MariaDB database. On a fresh
database Django 5 already creates UUIDFields as MariaDB's native ``uuid`` type, which is all 0006 converts to, so
the migration is recorded as applied without running -- what an operator does with ``migrate --fake``
(docs/testing.md).
"""
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

BROKEN = ("submissions", "0006_mariadb_uuid_conversion")


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor == "mysql" and connection.mysql_is_mariadb:
            self._skip_broken_submissions_migration(connection, options)
        return super().handle(*args, **options)

    def _skip_broken_submissions_migration(self, connection, options):
        loader = MigrationLoader(connection)
        if BROKEN not in loader.graph.nodes or BROKEN in loader.applied_migrations:
            return
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            if "submissions_studentitem" in tables:
                columns = {column.name for column in connection.introspection.get_table_description(
                    cursor, "submissions_studentitem")}
                if "uuid" in columns:
                    return  # a database where 0006 can run as written
        # Apply everything 0006 depends on, then record 0006 as applied.
        for parent in loader.graph.node_map[BROKEN].parents:
            super().handle(**{**options, "verbosity": 0, "run_syncdb": False, "app_label": parent.key[0],
                              "migration_name": parent.key[1]})
        MigrationRecorder(connection).record_applied(*BROKEN)
        if options["verbosity"] >= 1:
            self.stdout.write(f"Recorded {BROKEN[0]}.{BROKEN[1]} as applied (MariaDB workaround, see its docstring)")
