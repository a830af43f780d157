#!/usr/bin/env python
"""
Benchmark evidence uploads and the external verifier's zip.

    python benchmarks/evidence_zip.py [--learners 20] [--repeat 3] [--keep-db]

What it does:

1. Migrates a fresh temporary SQLite database and a temporary media folder (``harness.run_in_temporary_database``).
2. Parses the "chairing partnership meetings" reflective log into the SDK's WorkbenchRuntime.
3. For each of ``--learners`` learners, through the real handlers: saves a draft, uploads three files (a 1 MB
   PDF, a 200 KB PNG, a small CSV; each type-checked and hashed) and submits with the declaration. Upload times
   are recorded.
4. As a tutor, builds the verifier's zip for one learner and for the whole log (every file re-hashed), one
   warm-up and ``--repeat`` timed calls each, and checks its manifest.

A measurement, not a test: the exit status is non-zero only when a handler misbehaves (not 200, a checksum not
verified, files missing from the zip).
"""
import csv
import io
import os
import random
import statistics
import sys
import time
import zipfile

from harness import REPO, parse_args, parse_scenario_file, print_table, run_in_temporary_database

SCENARIO = REPO / "lp_xblocks" / "reflective_log" / "scenarios" / "chairing_meetings.xml"
BODY = ("I presented the partnership's budget monitoring report to the board and answered the partners' "
        "questions about the variance in the adult learning line. ") * 8
# Incompressible bodies (seeded), as real PDFs and images are: the zip then moves every byte.
_RANDOM = random.Random(42)
PDF = b"%PDF-1.4\n" + _RANDOM.randbytes(1024 * 1024) + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + _RANDOM.randbytes(200 * 1024)
CSV = b"Action,Owner,Due\n" + b"Agree the budget,Chair,2026-10-01\n" * 200


def main(argv=None):
    args = parse_args("Evidence uploads and the verifier's zip", argv, size=("learners", "learners with evidence"))
    given = argv if argv is not None else sys.argv[1:]
    # The harness's default size (10,000) suits table scans, not megabytes of files: 20 learners unless asked.
    learners = args.learners if any(arg.startswith("--learners") for arg in given) else 20
    return run_in_temporary_database("lp-bench-evidence-", args.keep_db, lambda db: run(learners, args.repeat))


def run(learners, repeat):
    import json  # pylint: disable=import-outside-toplevel

    from django.conf import settings  # pylint: disable=import-outside-toplevel
    from webob import Request  # pylint: disable=import-outside-toplevel
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    settings.MEDIA_ROOT = os.path.join(os.path.dirname(settings.DATABASES["default"]["NAME"]), "media")
    _runtime, usage_id = parse_scenario_file(SCENARIO, "bench-evidence")

    def call(student, handler, body):
        request = Request.blank("/", method="POST", body=json.dumps(body).encode())
        request.content_type = "application/json"
        response = WorkbenchRuntime(student).get_block(usage_id).handle(handler, request)
        if response.status_code != 200:
            raise SystemExit(f"{handler} as {student}: {response.status_code} {response.body[:300]!r}")
        return json.loads(response.body)

    uploads = []
    for number in range(learners):
        student = f"learner{number:03d}"
        entry = call(student, "save_draft", {"title": "Budget monitoring report"})["entry"]["entry_id"]
        for name, data in (("report.pdf", PDF), ("chart.png", PNG), ("actions.csv", CSV)):
            request = Request.blank("/", method="POST", POST={"entry_id": entry, "file": (name, data)})
            started = time.perf_counter()
            response = WorkbenchRuntime(student).get_block(usage_id).handle("upload_evidence", request)
            uploads.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"upload: {response.status_code} {response.body[:300]!r}")
        call(student, "submit_entry", {"entry_id": entry, "activity_date": "2026-10-01", "entry_type": "workplace",
                                       "body": BODY, "criteria": ["LPM1-3.1"], "declaration": "2026-1"})

    def zip_once(query):
        block = WorkbenchRuntime("tutor").get_block(usage_id)
        started = time.perf_counter()
        response = block.handle("verifier_zip", Request.blank("/" + query, method="GET"))
        body = b"".join(response.app_iter)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"verifier_zip{query}: {response.status_code} {body[:300]!r}")
        archive = zipfile.ZipFile(io.BytesIO(body))
        rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8"))))
        if any(row["checksum"] != "verified" or row["path"] not in archive.namelist() for row in rows):
            raise SystemExit(f"verifier_zip{query}: a file is missing or not verified")
        return elapsed, len(rows), len(body)

    figures = []
    for label, query in (("one learner", "?learner=learner000"), (f"{learners} learners", "")):
        zip_once(query)
        timed = [zip_once(query) for _ in range(repeat)]
        median = statistics.median(t[0] for t in timed)
        figures.append((f"verifier zip, {label}: median ms", f"{median:.0f}"))
        figures.append((f"verifier zip, {label}: files / zip MB", f"{timed[0][1]} / {timed[0][2] / 1024 ** 2:.1f}"))
    print_table([
        ("learners", learners),
        ("uploads (1 MB PDF, 200 KB PNG, CSV each)", len(uploads)),
        ("upload: median ms", f"{statistics.median(uploads):.0f}"),
        ("upload: slowest ms", f"{max(uploads):.0f}"),
        *figures,
    ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
