"""
Benchmark the accreditation exporter: 100,000 synthetic candidates x 12 units, mapped and written.

Times, in one run: (1) the exporter's pipeline writing claims.csv (register read and checked, records joined by
username, every criterion, unit and rule of combination decided, formula-safe rows written); (2) the plain
``csv`` module writing the same rows, built directly (the two files are checked byte for byte); (3) the full
export (claims CSV and JSON, results sheet, rejections). Prints the times, the ratio of (1) to (2) and the
peak RSS. Targets: at most 3x the plain write, peak RSS under 200 MB.

    .venv/bin/python benchmarks/accreditation_export.py [--candidates 100000] [--units 12]
"""
import argparse
import csv
import datetime as dt
import hashlib
import resource
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lp_programme import catalogue as cat  # noqa: E402  pylint: disable=wrong-import-position
from accreditation_export.outputs import COLUMNS, Writer  # noqa: E402  pylint: disable=wrong-import-position
from accreditation_export.pipeline import evaluate  # noqa: E402  pylint: disable=wrong-import-position
from accreditation_export.register import read_register  # noqa: E402  pylint: disable=wrong-import-position
from accreditation_export.sources.base import ReflectiveEntry  # noqa: E402  pylint: disable=wrong-import-position

CRITERIA = 5
CENTRE = "123456"
QUALIFICATION = "600/9999/9"
PASSED_AT = dt.datetime(2026, 10, 1, 12, tzinfo=dt.timezone.utc)


def synthetic_catalogue(folder: Path, units: int) -> Path:
    data = {
        "catalogue": 1,
        "awarding_body": {"name": "Benchmark Awarding Organisation", "centre_number": CENTRE},
        "qualifications": [{
            "code": QUALIFICATION, "title": "Level 4 Diploma (benchmark)", "level": "4",
            "credits_required": 3 * units - 6, "min_credits_at_or_above_level": 3 * units - 6,
            "mandatory_units": [f"U{n}" for n in range(units // 2)],
            "optional_groups": [{"title": "Options", "units": [f"U{n}" for n in range(units // 2, units)],
                                 "min_credits": 3 * (units - units // 2) - 6}],
        }],
        "units": [{
            "id": f"U{n}", "code": f"A/{n:03d}/{1000 + n}", "title": f"Unit {n}: partnership practice", "level": "4",
            "credit": 3, "glh": 20, "module": f"module-{n}",
            "learning_outcomes": [{"number": 1, "text": "Understand",
                                   "criteria": [{"number": f"1.{c + 1}", "text": f"Criterion {c + 1}"}
                                                for c in range(CRITERIA)]}],
        } for n in range(units)],
    }
    path = folder / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def uln(number: int) -> str:
    """A valid ULN (10 digits, LRS check digit) for ``number``: prefixes whose check digit would be 10 are skipped."""
    prefix = 100000000 + number * 7
    while True:
        digits = str(prefix)
        remainder = (10 - sum(int(d) * w for d, w in zip(digits, range(10, 1, -1)))) % 11
        if remainder < 10:
            return digits + str(remainder)
        prefix += 1


def person(n):
    return (f"u{n:06d}", uln(n), f"Given{n}", f"Family{n}", "1980-01-02", f"C{n:06d}")


def short(n):
    return n % 10 == 0  # every tenth candidate is one criterion short of the last unit


def write_register(path: Path, candidates: int):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["username", "uln", "given_name", "family_name", "date_of_birth", "candidate_number", "opted_in"])
        for n in range(candidates):
            writer.writerow([*person(n), "yes"])


def records(candidates: int, units: int):
    """The evidence stream: per candidate one passed entry per unit, claiming its criteria (sorted by username)."""
    claims = [tuple(f"U{unit}-1.{c + 1}" for c in range(CRITERIA)) for unit in range(units)]
    last_short = claims[-1][:-1]
    for n in range(candidates):
        username = f"u{n:06d}"
        for unit in range(units):
            claimed = last_short if unit == units - 1 and short(n) else claims[unit]
            yield ReflectiveEntry(username, f"{username}-{unit}", "log", "t", "passed", 1, claimed, None, PASSED_AT)


def plain_rows(candidates: int, units: int, catalogue):
    date = PASSED_AT.astimezone(ZoneInfo("Europe/London")).date().isoformat()
    unit_cells = [[u.code, u.title, u.level, u.credit] for u in catalogue.units]
    for n in range(candidates):
        username, number_uln, given, family, born, number = person(n)
        head = [CENTRE, number, number_uln, family, given, born, QUALIFICATION]
        for unit in range(units if not short(n) else units - 1):
            yield head + unit_cells[unit] + ["achieved", date]


def sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=12)
    args = parser.parse_args()
    tz = ZoneInfo("Europe/London")
    with tempfile.TemporaryDirectory(prefix="lp-accredit-bench-") as tmp:
        folder = Path(tmp)
        catalogue = cat.load(synthetic_catalogue(folder, args.units))
        register_path = folder / "register.csv"
        write_register(register_path, args.candidates)
        print(f"{args.candidates:,} candidates x {args.units} units ({args.candidates * args.units:,} unit decisions)")

        started = time.perf_counter()
        register = read_register(register_path, qualifications={QUALIFICATION}, default_qualification=QUALIFICATION)
        read_time = time.perf_counter() - started
        rejections = list(register.rejections)
        writer = Writer(folder / "pipeline", catalogue, formats=("claims.csv",))
        for outcome in evaluate(catalogue, register.candidates, records(args.candidates, args.units), tz, rejections):
            writer.write(outcome)
        writer.close(rejections)
        pipeline = time.perf_counter() - started
        rss_pipeline = peak_rss_mb()
        assert not rejections, rejections[:3]

        started = time.perf_counter()
        plain_path = folder / "plain.csv"
        with plain_path.open("w", newline="", encoding="utf-8") as handle:
            plain = csv.writer(handle, lineterminator="\r\n")
            plain.writerow(COLUMNS)
            plain.writerows(plain_rows(args.candidates, args.units, catalogue))
        baseline = time.perf_counter() - started
        same = sha(plain_path) == sha(folder / "pipeline" / "claims.csv")

        started = time.perf_counter()
        rejections = list(register.rejections)
        writer = Writer(folder / "full", catalogue)
        for outcome in evaluate(catalogue, register.candidates, records(args.candidates, args.units), tz, rejections):
            writer.write(outcome)
        writer.close(rejections)
        full = time.perf_counter() - started + read_time

        rows = writer.counts["claims"]
        print(f"claims written:             {rows:,} rows ({(folder / 'pipeline' / 'claims.csv').stat().st_size / 1e6:.0f} MB)"
              f", identical to the plain write: {'yes' if same else 'NO'}")
        print(f"exporter (read register, map, write claims.csv): {pipeline:6.2f} s  (register read {read_time:.2f} s)")
        print(f"plain csv module, same rows:                     {baseline:6.2f} s")
        print(f"ratio:                                           {pipeline / baseline:6.2f}x  (target <= 3x)")
        print(f"full export (claims CSV + JSON, results sheet, rejections): {full:.2f} s")
        print(f"peak RSS after the exporter: {rss_pipeline:.0f} MB; at the end: {peak_rss_mb():.0f} MB  (target < 200 MB)")
        if not same:
            sys.exit("the exporter's claims.csv differs from the plain write")


if __name__ == "__main__":
    main()
