"""
``python -m course_content validate`` checks the course and prints its counts;
``python -m course_content build`` writes the Studio import tarball into ``dist/``;
``python -m course_content hours`` prints every unit's study time and the totals each part must state.

Exit status: 0 when valid (or built), 1 when there are errors, 2 for wrong arguments.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lp_programme.catalogue import DEFAULT_CATALOGUE

from . import SOURCE
from lp_programme.course_tree import OlxError


def _print_counts(report, out) -> None:
    course, numbers = report.course, report.counts
    print(f"Course {course.org}/{course.number}/{course.run}: {course.display_name}", file=out)
    for chapter in course.chapters:
        units = sum(len(sequential.units) for sequential in chapter.sequentials)
        print(f"  {chapter.display_name}: {len(chapter.sequentials)} sequentials, {units} units", file=out)
    print(f"modules: {numbers['modules']}", file=out)
    print(f"sequentials: {numbers['sequentials']}", file=out)
    print(f"units: {numbers['units']}", file=out)
    blocks = numbers["blocks"]
    print(f"blocks: {sum(blocks.values())} (" + ", ".join(f"{tag} {n}" for tag, n in blocks.items()) + ")",
          file=out)
    words = numbers["words"]
    print(f"participant-facing words: {words['total']} (html pages {words['html']}, blocks {words['blocks']}, "
          f"about pages {words['about']})", file=out)
    print(f"internal links checked: {numbers.get('links', 0)}", file=out)
    if "study_minutes" in numbers:
        minutes = numbers["study_minutes"]
        print(f"study time: {minutes} minutes = {(minutes + 30) // 60} hours (python -m course_content hours)",
              file=out)


def cmd_validate(args) -> int:
    from .validate import validate  # pylint: disable=import-outside-toplevel

    report = validate(args.source, args.catalogue)
    out = sys.stdout
    if report.course is not None:
        _print_counts(report, out)
    cleaner = report.counts.get("olxcleaner", {})
    print(f"olxcleaner: {cleaner.get('errors', 0)} errors, {cleaner.get('warnings', 0)} warnings "
          f"({cleaner.get('explained', 0)} warnings checked more precisely here)", file=out)
    for problem in report.warnings:
        print(problem, file=out)
    for problem in report.errors:
        print(problem, file=sys.stderr)
    if report.errors:
        print(f"FAILED: {len(report.errors)} errors", file=sys.stderr)
        return 1
    print("OK: no errors", file=out)
    return 0


def cmd_build(args) -> int:
    from .build import build  # pylint: disable=import-outside-toplevel

    from lp_programme.downloads import TemplatesUnavailable  # pylint: disable=import-outside-toplevel

    try:
        target = build(args.output, args.source)
    except (OlxError, TemplatesUnavailable) as error:
        print(f"ERROR {error}", file=sys.stderr)
        return 1
    print(f"Built {target} ({target.stat().st_size} bytes): import it in Studio under Tools > Import")
    return 0


def cmd_hours(args) -> int:
    from . import study_time  # pylint: disable=import-outside-toplevel
    from lp_programme.course_tree import load_course  # pylint: disable=import-outside-toplevel
    from .validate import Report, check_study_time, html_pages  # pylint: disable=import-outside-toplevel

    try:
        course = load_course(args.source)
    except OlxError as error:
        print(f"ERROR {error}", file=sys.stderr)
        return 1
    report = Report()
    found = check_study_time(course, args.catalogue, report)
    marked = [s for file, _unit, fragment in html_pages(course) for s in study_time.statements(fragment, file)]
    effort_file = course.root / "about" / "effort.html"
    effort = effort_file.read_text(encoding="utf-8") if effort_file.is_file() else None
    for line in study_time.report_lines(found, marked, effort):
        print(line)
    for problem in report.warnings:
        print(problem)
    for problem in report.errors:
        print(problem, file=sys.stderr)
    return 1 if report.errors else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_content", description=__doc__.strip().splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check the OLX tree and print its counts")
    check.add_argument("--source", type=Path, default=SOURCE, help="the OLX tree (default: the packaged course)")
    check.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE, help="the accreditation unit catalogue")
    check.set_defaults(run=cmd_validate)
    make = commands.add_parser("build", help="write the Studio import tarball")
    make.add_argument("--source", type=Path, default=SOURCE, help="the OLX tree (default: the packaged course)")
    make.add_argument("--output", type=Path, default=Path("dist"), help="folder for the tarball (default: dist)")
    make.set_defaults(run=cmd_build)
    hours = commands.add_parser("hours", help="print the units' study times and the totals the pages must state")
    hours.add_argument("--source", type=Path, default=SOURCE, help="the OLX tree (default: the packaged course)")
    hours.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE, help="the accreditation unit catalogue")
    hours.set_defaults(run=cmd_hours)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
