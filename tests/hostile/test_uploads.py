"""
The hostile corpus for the one multipart handler, ``upload_evidence`` (the JSON corpus cannot build multipart
bodies): generated uploads from every role -- hostile file names, contents that lie about their type (markup,
programs, archives, truncated zips, random bytes), hostile entry ids, broken and foreign bodies -- under the
corpus's invariants (:func:`tests.hostile.corpus.check`): never a 5xx, every refusal JSON naming the field and
writing nothing; and here also: a refused upload leaves nothing in storage, another learner never attaches a file
to the seeded learner's entry, and whatever is stored is one of the accepted types.
"""
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from webob import Request

from lp_xblocks.data.models import EvidenceFile
from lp_xblocks.reflective_log.evidence import TYPES
from tests.hostile.corpus import ANONYMOUS, HOSTILE, LEARNER, OTHER, ROLES, TUTOR, check, texts, writes
from tests.hostile.test_handlers import seeded_log
from tests.runtime.test_reflective_log_handlers import XML as RL_XML
from tests.runtime.test_reflective_log_evidence import CSV, PDF, PNG, office

UPLOAD_EXAMPLES = max(1, HOSTILE.max_examples * 3 // 10)
pytestmark = pytest.mark.sqlite_file  # the corpus counts writes with SQLite's own counter


def _zip(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


CONTENTS = st.one_of(
    st.sampled_from([
        PDF, PNG, CSV, office("word/document.xml"), b"", b"<html><script>alert(1)</script></html>",
        b"<svg onload=alert(1)>", b"MZ" + b"\x00" * 64, b"\x7fELF" + b"\x00" * 64, b"PK\x03\x04" + b"\x00" * 26,
        _zip(["[Content_Types].xml"]), _zip(["mimetype", "content.xml"]), _zip(["../../evil.sh"]),
        office("word/document.xml", ["word/vbaProject.bin"]), b"=cmd|' /C calc'!A0,b\n1,2\n", b"a,b\n1\n",
        "\ufeffa,b\n\u00e9,\ud7ff\n".encode("utf-8"), b"\xff\xfe" + "a,b".encode("utf-16-le"),
    ]),
    st.binary(max_size=600),
)
NAMES = st.one_of(texts, st.sampled_from(["a.pdf", "../../etc/passwd", "x.exe", "\u202eexe.pdf", "", "CON", ".",
                                          "a" * 1000 + ".pdf", "photo.png\x00.exe", "=HYPERLINK().csv"]))


@pytest.fixture
def seeded(workbench_block, settings, tmp_path):  # pylint: disable=redefined-outer-name
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LP_EVIDENCE_SCANNER = None
    get = workbench_block(RL_XML)
    ids = seeded_log(get)
    blocks = {role: get(role) for role in ROLES}
    return blocks, ids, tmp_path / "media"


def multipart(entry_id, name, content, form_name="file"):
    # A browser cannot send a lone surrogate in a file name: it arrives as the bytes it was encoded to.
    name = name.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    fields = {form_name: (name, content)}
    if entry_id is not None:
        fields["entry_id"] = entry_id
    return Request.blank("/", method="POST", POST=fields)


def raw(body, content_type):
    request = Request.blank("/", method="POST", body=body)
    request.content_type = content_type
    return request


def stored(media):
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []


def test_upload_evidence_holds_under_hostile_uploads(seeded):
    blocks, ids, media = seeded
    count = [0]
    requests = st.one_of(
        st.builds(multipart, st.sampled_from(ids + [None, "", "x" * 300]), NAMES, CONTENTS,
                  st.sampled_from(["file", "file", "upload", "entry_id"])),
        st.builds(raw, st.one_of(st.binary(max_size=400), st.just(b"--x\r\nContent-Disposition: form-data; "
                                                                   b"name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF")),
                  st.sampled_from(["multipart/form-data; boundary=x", "multipart/form-data", "application/json",
                                   "text/plain", "multipart/form-data; boundary=" + "b" * 200])),
    )

    @settings(HOSTILE, max_examples=UPLOAD_EXAMPLES)
    @given(role=st.sampled_from([LEARNER, LEARNER, OTHER, ANONYMOUS, TUTOR]), request=requests)
    def one(role, request):
        count[0] += 1
        before_rows, before_files = writes(), stored(media)
        theirs = EvidenceFile.objects.filter(student_id=LEARNER).count()
        response = blocks[role].handle("upload_evidence", request)
        status, reply = response.status_code, _json(response)
        check(status, reply, response, writes() - before_rows)
        if status != 200:
            assert stored(media) == before_files, f"a refused upload ({status}) left a file in storage"
        else:
            assert role == LEARNER and reply["file"]["content_type"] in TYPES
        if role != LEARNER:
            assert EvidenceFile.objects.filter(student_id=LEARNER).count() == theirs
        if role == ANONYMOUS:
            assert status == 403
        # Keep the seeded draft below the file limit so that later cases still reach the type checks.
        EvidenceFile.objects.filter(version__isnull=True).delete()
        for path in stored(media):
            if path.name and not EvidenceFile.objects.filter(storage_name=str(path.relative_to(media))).exists():
                path.unlink()

    one()  # pylint: disable=no-value-for-parameter
    assert count[0] >= UPLOAD_EXAMPLES
    print(f"\nhostile uploads: {count[0]} cases")


def _json(response):
    import json  # pylint: disable=import-outside-toplevel
    if response.content_type == "application/json":
        return json.loads(response.body.decode("utf-8"))
    return response.body
