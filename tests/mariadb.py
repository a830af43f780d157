"""
A throw-away MariaDB server for the test session (``LP_TEST_DB=mariadb``, the ``mariadb`` tox environment).

Debian's ``mariadb-server``: ``mariadb-install-db`` creates a data directory in a fresh temporary folder,
``mariadbd`` serves it on its own Unix socket with networking switched off (nothing listens on a port),
utf8mb4 throughout, ``STRICT_TRANS_TABLES`` as Open edX's production settings use. The folder and the server
belong to the test session: :meth:`MariaDB.stop` shuts the server down and deletes everything.

The Django settings (``lp_xblocks/workbench/settings.py``) choose the socket path when they are imported; the
test session (``tests/conftest.py``) starts the server there before any test touches the database. Workbench
servers started by tests inherit the environment and each get a database of their own.
"""
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

MARIADBD = os.environ.get("LP_MARIADBD", shutil.which("mariadbd") or "/usr/sbin/mariadbd")
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
INSTALL_HINT = "install Debian's 'mariadb-server' (apt-get install mariadb-server)"


class MariaDBError(RuntimeError):
    """The server could not be prepared or did not start; the message carries its log."""


class MariaDB:
    """One ``mariadbd`` serving a fresh data directory under ``folder`` on ``folder/mysqld.sock``."""

    def __init__(self, socket_path):
        self.socket = Path(socket_path)
        self.folder = self.socket.parent
        self.data = self.folder / "data"
        self.log = self.folder / "mariadbd.err"
        self.process = None

    # ------------------------------------------------------------------ lifecycle

    def start(self, timeout=60.0):
        if not (os.path.exists(MARIADBD) and os.path.exists(INSTALL_DB)):
            raise MariaDBError(f"MariaDB is not installed ({MARIADBD} or {INSTALL_DB} missing): {INSTALL_HINT}")
        if len(str(self.socket)) > 100:
            raise MariaDBError(f"the socket path {self.socket} is too long for a Unix socket")
        shutil.rmtree(self.folder, ignore_errors=True)  # a folder left by a killed session with the same pid
        self.folder.mkdir(parents=True)
        user = ["--user=root"] if os.geteuid() == 0 else []  # mariadbd refuses to run as root unless told to
        install = subprocess.run(
            [INSTALL_DB, "--no-defaults", f"--datadir={self.data}", *user, "--auth-root-authentication-method=normal",
             "--skip-test-db", "--skip-name-resolve"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        if install.returncode:
            self._remove()
            raise MariaDBError(f"mariadb-install-db failed:\n{install.stdout[-3000:]}")
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [MARIADBD, "--no-defaults", f"--datadir={self.data}", f"--socket={self.socket}",
             f"--pid-file={self.folder / 'mariadbd.pid'}", f"--log-error={self.log}", *user,
             "--skip-networking", "--skip-name-resolve", "--skip-log-bin",
             "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
             "--sql-mode=STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION",
             "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=32M",
             "--innodb-flush-log-at-trx-commit=2", "--innodb-doublewrite=0", "--max-connections=300"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.execute("SELECT 1")
                return self
            except Exception as error:  # pylint: disable=broad-except
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
                    self.stop()
                    raise MariaDBError(f"mariadbd did not start ({error}):\n{log}") from error
                time.sleep(0.1)

    def stop(self):
        """Shut the server down (TERM, then KILL after 30 s) and delete its folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        self._remove()

    def _remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ SQL

    def connect(self, database=None):
        import pymysql  # pylint: disable=import-outside-toplevel

        return pymysql.connect(unix_socket=str(self.socket), user="root", password="", database=database,
                               charset="utf8mb4", connect_timeout=5, autocommit=True)

    def execute(self, sql, database=None):
        connection = self.connect(database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        finally:
            connection.close()

    def create_database(self, name):
        if not name.replace("_", "").isalnum():
            raise ValueError(f"unsafe database name {name!r}")
        self.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        return name
