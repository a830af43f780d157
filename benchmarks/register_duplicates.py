"""
Benchmark the register's duplicate checks (issue 12): N rows that all share one ULN (the worst case for the
old pairwise check: 8,000 rows took 28 s and 450 MB and wrote a 375 MB rejections report).

Prints the time to read and check the register, the peak RSS, the longest rejection message and the size of
``lp-accredit check-register``'s output (every rejection, one line each). Targets: under 1 s, messages under 200
characters, output growing linearly with N.

    .venv/bin/python benchmarks/register_duplicates.py [--rows 8000]
"""
import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accreditation_export.register import read_register  # noqa: E402  pylint: disable=wrong-import-position

HEADER = "username,uln,given_name,family_name,date_of_birth,candidate_number,opted_in\n"


def register_text(rows: int) -> str:
    return HEADER + "".join(f"user{n},9276308686,Ann,Bell,1980-01-02,C{n},yes\n" for n in range(rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rows", type=int, default=8000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.csv"
        path.write_text(register_text(args.rows), encoding="utf-8")
        started = time.perf_counter()
        register = read_register(path, qualifications={"600/0000/0"}, default_qualification="600/0000/0")
        elapsed = time.perf_counter() - started
    longest = max(len(item.reason) for item in register.rejections)
    report = sum(len(f"  line {r.line}: {r.username}: {r.field}: {r.reason}\n") for r in register.rejections)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.rows:,} rows sharing one ULN: checked in {elapsed:.3f} s, {len(register.rejections):,} rejections, "
          f"longest message {longest} characters, check-register output {report / 1024:.0f} KiB, "
          f"peak RSS {peak:.0f} MB")
    print(f"example: {register.rejections[0].reason[:200]}")
    ok = elapsed < 1.0 and longest < 200
    print("targets (under 1 s, messages under 200 characters):", "met" if ok else "NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
