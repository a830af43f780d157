"""The throw-away MariaDB of the MariaDB run (tests/mariadb.py): as specified, and nothing left behind."""
import os

import pytest

from tests.mariadb import MARIADBD, MariaDB


@pytest.fixture
def server_class():
    pytest.importorskip("pymysql", reason="the MariaDB run installs PyMySQL (tox -e mariadb)")
    if not os.path.exists(MARIADBD):
        if os.environ.get("CI"):
            pytest.fail(f"{MARIADBD} missing: CI must install Debian's mariadb-server")
        pytest.skip(f"{MARIADBD} missing: install Debian's mariadb-server")
    return MariaDB


def test_a_server_starts_on_its_own_socket_in_utf8mb4_and_leaves_nothing_behind(server_class, tmp_path):
    socket = tmp_path / "m" / "mysqld.sock"
    server = server_class(socket).start()
    try:
        assert socket.is_socket()
        ((version, networking_off, charset, collation, sql_mode),) = server.execute(
            "SELECT VERSION(), @@skip_networking, @@character_set_server, @@collation_server, @@sql_mode")
        assert "mariadb" in version.lower()
        assert networking_off == 1  # no TCP port: only the socket
        assert (charset, collation) == ("utf8mb4", "utf8mb4_unicode_ci")
        assert "STRICT_TRANS_TABLES" in sql_mode
        server.create_database("lp_check")
        assert ("lp_check",) in server.execute("SHOW DATABASES")
        with pytest.raises(ValueError):
            server.create_database("x`; DROP DATABASE mysql; --")
        process = server.process
    finally:
        server.stop()
    assert process.poll() is not None
    assert not socket.parent.exists()
