"""
The plugin's migrations on the test database (SQLite by default, MariaDB in ``tox -e mariadb``): they match the
models, unapply to nothing and apply again; on MariaDB the tables take the whole of Unicode (utf8mb4).
"""
import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

APP = "lp_xblocks"


def plugin_tables():
    return {model._meta.db_table for model in apps.get_app_config(APP).get_models()}


@pytest.mark.django_db  # makemigrations checks the applied history
def test_the_models_need_no_new_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", APP, "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check found model changes without a migration:\n{out.getvalue()} ({exit_})")


@pytest.mark.django_db(transaction=True)
def test_migrations_unapply_and_apply_again():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes(APP)
    assert latest and all(key in executor.loader.applied_migrations for key in latest)
    expected = plugin_tables()
    assert expected <= set(connection.introspection.table_names())
    try:
        call_command("migrate", APP, "zero", verbosity=0)
        assert not expected & set(connection.introspection.table_names())
    finally:
        call_command("migrate", APP, verbosity=0)
    assert expected <= set(connection.introspection.table_names())
    assert not MigrationExecutor(connection).migration_plan([(APP, name) for _app, name in latest])


@pytest.mark.django_db
def test_mariadb_stores_the_whole_of_unicode_and_is_strict(mariadb):  # pylint: disable=unused-argument
    from lp_xblocks.data.models import ReflectiveEntry  # pylint: disable=import-outside-toplevel

    assert connection.vendor == "mysql" and connection.mysql_is_mariadb
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@character_set_database, @@collation_database, @@sql_mode")
        charset, collation, sql_mode = cursor.fetchone()
    assert (charset, collation) == ("utf8mb4", "utf8mb4_unicode_ci")
    assert "STRICT_TRANS_TABLES" in sql_mode
    now = dt.datetime(2026, 11, 26, 9, tzinfo=dt.timezone.utc)
    title = "Chairing 🤝 the 𝐩𝐚𝐫𝐭𝐧𝐞𝐫𝐬 — Ümit's notes"
    entry = ReflectiveEntry.objects.create(block_key="b", student_id="s", username="s", status="draft", title=title,
                                           created_at=now, updated_at=now)
    assert ReflectiveEntry.objects.get(pk=entry.pk).title == title
