"""The workbench on MariaDB (``LP_TEST_DB=mariadb``): a ``migrate`` that gets past an upstream migration broken there."""
