"""
Evidence in headless Chromium on the real workbench (two browser contexts): a learner attaches a file (a file that
lies about its type is refused in the error summary), records a witness statement, submits with the authenticity
declaration; a tutor sees the file, the witness statement and the declaration in the marking view and downloads the
file. axe-clean on both sides; the form fits a 320 px screen.
"""
import uuid

import pytest

from tests.browser.axe_check import serious_violations
from tests.browser.test_responsive_browser import overflow
from tests.browser.test_reflective_log_browser import (  # noqa: F401  # pylint: disable=unused-import  # (the fixture)
    BODY, TIMEOUT, browser_context, expect, queue_row, status_text, visit,
)

pytestmark = [pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_upload_declare_submit_and_a_tutor_downloads_the_file(workbench_server, browser_context):
    learner = f"evidence-{uuid.uuid4().hex[:8]}"
    ann = browser_context(learner, width=320)
    visit(ann, workbench_server)
    ann.get_by_role("button", name="Write a new entry").click()
    form = ann.locator(".lp-rl__form")
    form.get_by_label("Title").fill("Budget monitoring report to the board")
    form.get_by_label("Date of the activity").fill("2026-10-05")
    form.get_by_label("Type of activity").select_option("workplace")
    form.get_by_label("Your reflection").fill(BODY)
    form.locator("input[name=criteria][value='LPM1-3.1']").check()

    # A web page named like a PDF is refused: the status says so and the error summary names the field.
    file_input = form.get_by_label("Attach a file")
    file_input.set_input_files({"name": "minutes.pdf", "mimeType": "application/pdf",
                                "buffer": b"<html><script>alert(1)</script></html>"})
    summary = ann.locator(".lp-rl__error")
    expect()(summary).to_contain_text("File: this file cannot be attached", timeout=TIMEOUT)
    expect()(form.locator(".lp-rl__evidence-files [role=status]")).to_contain_text("was not attached")

    # A real PDF (named .png) is attached as a PDF, and announced.
    file_input.set_input_files({"name": "board report.png", "mimeType": "image/png", "buffer": PDF})
    status = form.locator(".lp-rl__evidence-files [role=status]")
    expect()(status).to_have_text("board report.pdf attached.", timeout=TIMEOUT)
    expect()(form.locator(".lp-rl__file-list li")).to_have_count(1)

    form.get_by_label("Witness's name").fill("Priya <b>Shah</b>")
    form.get_by_label("Witness's role").fill("Chair of the partnership board")
    form.get_by_label("How the witness knows you").fill("Receives my budget reports")
    form.get_by_label("Date of the statement").fill("2026-10-06")
    form.get_by_label("What the witness says they saw you do").fill("Ann presented the budget monitoring report.")
    form.get_by_label("The witness has confirmed this statement to me.").check()

    # Nothing in the block sticks out sideways at 320 px (the SDK's own page chrome is not ours).
    found = overflow(ann, ".workbench .xblock-v1")
    assert found["scroll"] <= found["client"] and not found["culprits"], found
    violations = serious_violations(ann, ".lp-rl")
    assert not violations, "learner form:\n" + "\n".join(violations)

    # Submitting without the declaration is refused, naming it; with it, the entry is submitted.
    form.get_by_role("button", name="Submit for marking").click()
    expect()(summary.get_by_role("link", name="Declaration: tick the declaration that this entry and its evidence "
                                              "are your own work.")).to_have_count(1, timeout=TIMEOUT)
    form.locator("input[name=declaration]").check()
    form.get_by_role("button", name="Submit for marking").click()
    expect()(status_text(ann)).to_have_text("Entry submitted for marking.", timeout=TIMEOUT)
    detail = ann.locator(".lp-rl__detail")
    expect()(detail.get_by_role("link", name="board report.pdf")).to_have_count(1)
    expect()(detail).to_contain_text("Priya <b>Shah</b>")
    expect()(detail).to_contain_text("Authenticity declaration: Declared (version 2026-1)")
    assert ann.errors == []

    # The tutor (another browser context) sees the evidence in the marking view and downloads the file.
    tess = browser_context("tutor")
    visit(tess, workbench_server)
    row = queue_row(tess, learner)
    expect()(row).to_have_count(1, timeout=TIMEOUT)
    row.locator("a").click()
    marking = tess.locator(".lp-rl__marking-body")
    expect()(marking.get_by_role("link", name="board report.pdf")).to_have_count(1, timeout=TIMEOUT)
    expect()(marking).to_contain_text("Priya <b>Shah</b>, Chair of the partnership board (Receives my budget reports)")
    expect()(marking).to_contain_text("The learner records that the witness confirmed this statement.")
    with tess.expect_download() as download_info:
        marking.get_by_role("link", name="board report.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "board report.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF
    violations = serious_violations(tess, ".lp-rl")
    assert not violations, "tutor marking view:\n" + "\n".join(violations)
    assert tess.errors == []
