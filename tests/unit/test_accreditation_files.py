"""
Issues 12 and 14: where lp-accredit writes and how. One working directory (``--workdir``, else
``$LP_ACCREDIT_WORKDIR``, else the XDG data directory), nothing in the current directory by default; outputs
written atomically (temporary file and rename), never through a symbolic link; a directory where a file is
expected is a clear CLI error, not a traceback; private keys created 0600, with a warning when a key file
can be read by others.
"""
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from accreditation_export.cli import main
from accreditation_export.files import OutputError, atomic_writer, default_workdir, write_private
from tests.unit.test_accreditation_cli import HEADER, REPORTS

FILES = ["claims.csv", "claims.json", "results.csv", "rejections.csv"]


def run(*args, env=None):
    return CliRunner(env=env).invoke(main, [str(arg) for arg in args])


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "ann,9276308686,Ann,Bell,1980-01-02,C001,yes\n", encoding="utf-8")
    return path


def test_the_default_workdir_follows_xdg():
    assert default_workdir({"LP_ACCREDIT_WORKDIR": "/srv/lp"}) == Path("/srv/lp")
    assert default_workdir({"XDG_DATA_HOME": "/data"}) == Path("/data/lp-accredit")
    home = Path(os.path.expanduser("~"))
    assert default_workdir({}) == home / ".local" / "share" / "lp-accredit"
    assert default_workdir({"XDG_DATA_HOME": "relative/ignored"}) == home / ".local" / "share" / "lp-accredit"


def test_export_and_keys_go_to_the_workdir_not_the_current_directory(tmp_path, register, monkeypatch):
    cwd = tmp_path / "checkout"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    work = tmp_path / "work"
    result = run("--workdir", work, "export", "--register", register, *REPORTS)
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (work / "accreditation").iterdir()) == sorted(FILES)
    result = run("keys", "generate", "--jwks-url", "https://centre.example.org/jwks.json",
                 env={"LP_ACCREDIT_WORKDIR": str(work)})
    assert result.exit_code == 0, result.output
    assert (work / "keys" / "signing-key.pem").exists() and (work / "keys" / "jwks.json").exists()
    assert list(cwd.iterdir()) == []                                   # nothing written where it ran
    assert "WORKDIR/accreditation" in run("export", "--help").output


def test_a_directory_named_like_an_output_file_is_a_clear_error(tmp_path, register):
    out = tmp_path / "out"
    (out / "claims.csv").mkdir(parents=True)
    result = run("export", "--register", register, "--out", out, *REPORTS)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: {out / 'claims.csv'}: is a directory, not a file; give a file name" in result.output
    assert sorted(path.name for path in out.iterdir()) == ["claims.csv"]          # nothing else written
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    result = run("submit", "--register", register, "--ledger", ledger, "--url", "http://127.0.0.1:9", "--token", "t",
                 *REPORTS)
    assert result.exit_code == 2 and "is a directory" in result.output and "Traceback" not in result.output
    result = run("mi-report", "--register", register, "--ledger", ledger, "--out", tmp_path / "mi", *REPORTS)
    assert result.exit_code == 2 and "is a directory" in result.output and "Traceback" not in result.output
    keys = tmp_path / "keys"
    (keys / "jwks.json").mkdir(parents=True)
    result = run("keys", "generate", "--out", keys, "--jwks-url", "https://centre.example.org/jwks.json")
    assert result.exit_code == 1 and "jwks.json: is a directory" in result.output
    assert not (keys / "signing-key.pem").exists()


def test_symlinked_outputs_are_refused_and_their_targets_untouched(tmp_path, register):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.csv").symlink_to(victim)
    result = run("export", "--register", register, "--out", out, *REPORTS)
    assert result.exit_code == 1 and "results.csv: is a symbolic link" in result.output
    assert victim.read_text(encoding="utf-8") == "precious"
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "signing-key.pem").symlink_to(victim)
    result = run("keys", "generate", "--out", keys, "--jwks-url", "https://centre.example.org/jwks.json", "--force")
    assert result.exit_code == 1 and "signing-key.pem: is a symbolic link" in result.output
    assert victim.read_text(encoding="utf-8") == "precious"


def test_an_export_replaces_files_whole_and_a_failed_one_leaves_the_last(tmp_path, register):
    out = tmp_path / "out"
    assert run("export", "--register", register, "--out", out, *REPORTS).exit_code == 0
    before = {name: (out / name).read_bytes() for name in FILES}
    inode = (out / "claims.csv").stat().st_ino
    broken = REPORTS[:3] + [str(tmp_path / "missing.csv")] + REPORTS[4:]
    assert run("export", "--register", register, "--out", out, *broken).exit_code == 1
    assert {name: (out / name).read_bytes() for name in FILES} == before
    assert sorted(path.name for path in out.iterdir()) == sorted(FILES)       # no temporary file left behind
    assert run("export", "--register", register, "--out", out, *REPORTS).exit_code == 0
    assert (out / "claims.csv").stat().st_ino != inode                       # renamed into place, not rewritten


def test_atomic_writer_discards_on_error(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as handle:
            handle.write("new")
            raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["file.txt"]
    with pytest.raises(OutputError, match="is a directory"):
        write_private(tmp_path, b"secret")


def test_private_keys_are_0600_and_a_readable_key_is_warned_about(tmp_path, register):
    previous = os.umask(0o000)
    try:
        keys = tmp_path / "keys"
        result = run("keys", "generate", "--out", keys, "--jwks-url", "https://centre.example.org/jwks.json")
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((keys / "signing-key.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert stat.S_IMODE((keys / "jwks.json").stat().st_mode) == 0o644
    os.chmod(keys / "signing-key.pem", 0o644)
    result = CliRunner().invoke(main, ["credentials", "--register", str(register), "--key", str(keys / "signing-key.pem"),
                                       "--jwks", str(keys / "jwks.json"), "--issuer-id", "https://centre.example.org",
                                       "--out", str(tmp_path / "creds"), *REPORTS])
    assert "can be read by other users; make it private with: chmod 600" in result.output, result.output


def test_the_ledger_is_never_opened_through_a_link_or_as_a_directory(tmp_path):
    from accreditation_export.submit import Ledger, SubmitError  # pylint: disable=import-outside-toplevel
    real = tmp_path / "real.sqlite3"
    Ledger(real, "http://ab.example/v1/centres/1/claims").close()
    link = tmp_path / "ledger.sqlite3"
    link.symlink_to(real)
    with pytest.raises(SubmitError, match="is a symbolic link, not a ledger file"):
        Ledger(link, "http://ab.example/v1/centres/1/claims")
    with pytest.raises(SubmitError, match="is a directory, not a ledger file"):
        Ledger(tmp_path, "http://ab.example/v1/centres/1/claims")
    with pytest.raises(SubmitError, match="is a directory, not a ledger file"):
        Ledger(tmp_path, readonly=True)
