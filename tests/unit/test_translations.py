"""
The translation source catalogues (lp_xblocks/conf/locale/en/LC_MESSAGES/{django,djangojs}.po): current with the
code, extracted from every kind of source (Python, Django templates, JavaScript), stale as soon as a string is
added without extracting it.
"""
import shutil
from pathlib import Path

import pytest

pytest.importorskip("babel")

from babel.messages.pofile import read_po  # noqa: E402  pylint: disable=wrong-import-position

from tools import extract_translations as extractor  # noqa: E402  pylint: disable=wrong-import-position

ROOT = Path(__file__).resolve().parents[2]


def committed(domain):
    with extractor.catalog_path(domain, ROOT).open("rb") as handle:
        return read_po(handle)


def test_the_committed_catalogues_are_current():
    problems = extractor.differences(ROOT)
    assert problems == [], "run `make extract_translations` and commit:\n" + "\n".join(problems)


def test_the_catalogue_holds_strings_from_python_validators_and_templates():
    catalog = committed("django")
    assert catalog.locale and str(catalog.locale) == "en"
    # Python, through the i18n service's gettext (self._ / _):
    assert catalog.get("Saved.") is not None
    assert "lp_xblocks/needs_assessment/block.py" in {loc[0] for loc in catalog.get("Saved.").locations}
    # Python, a validator's message template marked with N_ (translated when shown):
    assert any(message.id and "lp_xblocks/needs_assessment/instrument.py" in {loc[0] for loc in message.locations}
               for message in catalog)
    # A template's {% trans %}:
    advanced = catalog.get("Advanced (XML)")
    assert "lp_xblocks/common/templates/studio_editor.html" in {loc[0] for loc in advanced.locations}
    assert "lp_xblocks/facilitation/templates/student_view.html" in {
        loc[0] for loc in catalog.get("Your action plan").locations}
    # A template's {% blocktrans count %}: a plural with Django's %(counter)s placeholder.
    plurals = [message for message in catalog if isinstance(message.id, (tuple, list))]
    assert any("%(counter)s action." in message.id[0] and "%(counter)s actions." in message.id[1]
               and "python-format" in message.flags for message in plurals)
    # Development-only workbench pages are not part of what the platform translates.
    assert not any(loc[0].startswith("lp_xblocks/workbench/") for message in catalog for loc in message.locations)


def test_a_new_string_not_extracted_makes_the_catalogue_stale(tmp_path):
    shutil.copytree(ROOT / "lp_xblocks", tmp_path / "lp_xblocks",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    assert extractor.differences(tmp_path) == []

    (tmp_path / "lp_xblocks/common/new_feature.py").write_text(
        'def label(_):\n    # Translators: a button that starts a new thing.\n    return _("Start a new thing")\n',
        encoding="utf-8")
    template = tmp_path / "lp_xblocks/facilitation/templates/student_view.html"
    template.write_text(template.read_text(encoding="utf-8") + '{% trans "A new template string" %}\n',
                        encoding="utf-8")
    script = tmp_path / "lp_xblocks/common/static/lp_common.js"
    script.write_text(script.read_text(encoding="utf-8") + '\nvar LP_LABEL = gettext("A new script string");\n',
                      encoding="utf-8")

    problems = extractor.differences(tmp_path)
    assert any("django: not extracted: 'Start a new thing'" in problem for problem in problems), problems
    assert any("django: not extracted: 'A new template string'" in problem for problem in problems), problems
    assert any("djangojs: not extracted: 'A new script string'" in problem for problem in problems), problems

    written = extractor.write(tmp_path)
    assert {path.name for path in written} == {"django.po", "djangojs.po"}
    assert extractor.differences(tmp_path) == []
    with extractor.catalog_path("django", tmp_path).open("rb") as handle:
        message = read_po(handle).get("Start a new thing")
    assert message.auto_comments == ["Translators: a button that starts a new thing."]

    # A string removed from the code is reported too.
    (tmp_path / "lp_xblocks/common/new_feature.py").unlink()
    assert any("no longer in the code: 'Start a new thing'" in problem for problem in extractor.differences(tmp_path))


def test_extracting_again_without_changes_rewrites_nothing(tmp_path):
    shutil.copytree(ROOT / "lp_xblocks", tmp_path / "lp_xblocks",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    before = {domain: extractor.catalog_path(domain, tmp_path).read_bytes() for domain in extractor.DOMAINS}
    assert extractor.write(tmp_path) == []
    assert {domain: extractor.catalog_path(domain, tmp_path).read_bytes() for domain in extractor.DOMAINS} == before
