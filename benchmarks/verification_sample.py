"""
Benchmark the internal verifier's sampling plan (lp_xblocks/common/quality.py ``pick_sample``): a cohort's standing
decisions, every tutor and criterion, picked deterministically. Prints the time per sample and its size.
Target: a sample of 20,000 decisions in under a second (the verifier's page computes it on every load).

    .venv/bin/python benchmarks/verification_sample.py [--entries 20000] [--tutors 20] [--criteria 40]
"""
import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lp_xblocks.common.quality import pick_sample  # noqa: E402  pylint: disable=wrong-import-position


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--tutors", type=int, default=20)
    parser.add_argument("--criteria", type=int, default=40)
    options = parser.parse_args()
    rng = random.Random(7)
    criteria = [f"LPM{n // 10 + 1}-{n % 10}.1" for n in range(options.criteria)]
    entries = [{"entry_id": f"{n:08x}-entry", "marker": f"tutor{rng.randrange(options.tutors)}",
                "decision": "refer" if rng.random() < 0.15 else "pass",
                "criteria": rng.sample(criteria, rng.randint(1, 3))} for n in range(options.entries)]
    plan = {"per_tutor": 2, "pass_percent": 10, "seed": "benchmark"}
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        sample = pick_sample(entries, plan, criteria)
        runs.append(time.perf_counter() - started)
    referrals = sum(1 for entry in entries if entry["decision"] == "refer")
    print(f"{options.entries} decisions ({referrals} referrals), {options.tutors} tutors, {options.criteria} criteria: "
          f"sample of {len(sample)} in {min(runs) * 1000:.0f} ms (best of 3; runs {', '.join(f'{r:.2f}' for r in runs)} s)")


if __name__ == "__main__":
    main()
