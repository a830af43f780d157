"""
Every quotation the course attributes to a seed document is the seed's text: verbatim, or altered only by
[square brackets] (a word changed or added) and ellipses (words left out). The seeds live beside the checkout
in ../shared/seeds/; where they are not there, the test is skipped and says why.
"""
import re
import shutil
from pathlib import Path

import pytest

from course_content import SOURCE
from lp_programme.course_tree import load_course
from course_content.validate import html_fragment

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

# Which seed a citation names: the first file whose name starts with the prefix.
ATTRIBUTIONS = [
    (re.compile(r"DfES tender|tender specification", re.I), "000_"),
    (re.compile(r"Centre for Excellence in Leadership|leadership college|Beecham", re.I), "001_"),
    (re.compile(r"Tendring|working party", re.I), "002_"),
    (re.compile(r"2008 guidance|guidance on effective", re.I), "003_"),
    (re.compile(r"Dunford", re.I), "004_"),
]
QUOTE = re.compile(r"\"([^\"]{3,600})\"|\u201c([^\u201d]{3,600})\u201d")
ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")


def fold(text):
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).strip()


def seed_text(prefix):
    files = sorted(SEEDS.glob(f"{prefix}*.txt"))
    assert files, f"no seed {prefix}* in {SEEDS}"
    # The slides break lines and bullets anywhere: drop the bullet marks and join the lines.
    text = files[0].read_text(encoding="utf-8")
    text = re.sub(r"(?m)^\s*-\s+", " ", text)
    text = re.sub(r"\s+-\s+", " ", text)
    return fold(text)


def pattern(quotation):
    """A regex for the quotation: [bracketed] text stands for up to a few words, an ellipsis for omitted text."""
    parts = []
    for piece_number, piece in enumerate(ELLIPSIS.split(fold(quotation))):
        if piece_number:
            parts.append(r".{0,600}?")
        for chunk_number, chunk in enumerate(re.split(r"\[[^\]]*\]", piece)):
            if chunk_number:
                parts.append(r"[^.]{0,60}?")
            chunk = chunk.strip() if len(piece) != len(chunk) else chunk
            if chunk:
                first = chunk[0]
                literal = (f"[{re.escape(first.lower())}{re.escape(first.upper())}]" if first.isalpha()
                           else re.escape(first)) + re.escape(chunk[1:])
                parts.append(literal.replace(r"\ ", r"\s*"))
    return re.compile(r"\s*".join(parts) if parts else r"(?!)")


def attributed_quotations(root=None):
    """``(file, seed prefix, quotation)`` for every quotation in a paragraph or item that cites a seed."""
    course = load_course(root) if root else load_course()
    found = []
    for _unit, component in course.components():
        if component.tag == "html":
            file = component.html_file
            elements = [node for node in html_fragment(component.html).iter()
                        if isinstance(node.tag, str) and node.tag in ("p", "li", "td", "th", "blockquote")]
            texts = [" ".join(node.itertext()) for node in elements]
        else:
            file = component.file
            texts = [" ".join(node.itertext()) for node in component.element.iter() if isinstance(node.tag, str)
                     and node.text and node.text.strip()]
        for text in texts:
            seeds = [prefix for rule, prefix in ATTRIBUTIONS if rule.search(text)]
            if not seeds:
                continue
            for match in QUOTE.finditer(text):
                found.append((file, seeds, match.group(1) or match.group(2)))
    return found


def test_the_pattern_allows_brackets_and_ellipses_only():
    seed = "the areas in which the local social partnership will concentrate its effort"
    assert pattern("the areas in which the [partnership] will concentrate its effort").search(seed)
    assert pattern("the areas in which ... will concentrate its effort").search(seed)
    assert pattern("The areas in which the local social partnership will concentrate its effort").search(seed)
    assert not pattern("the areas in which the partnership will concentrate its effort").search(seed)
    assert not pattern("the areas where the local social partnership will concentrate its effort").search(seed)


def _need_seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not beside the checkout ({SEEDS} does not exist), so quotations "
                    "cannot be compared with them")


def unfaithful(quotations):
    texts = {prefix: seed_text(prefix) for _rule, prefix in ATTRIBUTIONS}
    return [f"{file}: \"{quotation}\" is not in {' or '.join(seeds)}*"
            for file, seeds, quotation in quotations
            if not any(pattern(quotation).search(texts[prefix]) for prefix in seeds)]


def test_an_altered_quotation_without_brackets_is_caught(tmp_path):
    _need_seeds()
    tree = tmp_path / "olx"
    shutil.copytree(SOURCE, tree)
    page = tree / "html" / "remit-text.html"
    page.write_text(page.read_text(encoding="utf-8").replace("the [partnership] will", "the partnership will"),
                    encoding="utf-8")
    wrong = unfaithful(attributed_quotations(tree))
    assert len(wrong) == 1 and "the areas in which the partnership will concentrate its effort" in wrong[0]


def test_quotations_attributed_to_a_seed_are_the_seed_text():
    _need_seeds()
    quotations = attributed_quotations()
    assert len(quotations) >= 20, "the course quotes its sources throughout; the finder found too few"
    wrong = unfaithful(quotations)
    assert not wrong, "quotations that differ from their seed (use [brackets] or ... for changes):\n" + "\n".join(wrong)
