"""Uploads to the practice server meet the project's hostile-input corpus exactly as the
command line does: the same located message (file, line and column, or row and column),
no traceback, and a valid file still accepted (tests/corpus/expect.yaml holds both)."""

from __future__ import annotations

import html
import re

import pytest

from tests.serverweb import PASSWORD, Site, add_client, answer_all, invite, open_link, sign_in
from tests.test_corpus import CORPUS, EXPECT

# Which corpus folders an advisor can upload, to which page, with which form fields.
UPLOADS = {
    "logs": ("evidence", {"check": "chatbot", "groups": "language"}),
    "bias": ("evidence", {}),
    "answers": ("import", {}),
    "plan": ("plan", {}),
}
CASES = sorted(
    key
    for key in EXPECT
    if key.split("/")[0] in UPLOADS
    and (CORPUS / key).is_file()  # a folder is not uploadable
    and "args" not in EXPECT[key]  # a command-line option the form does not offer
)


@pytest.fixture(scope="module")
def advisor(tmp_path_factory):
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(str(tmp_path_factory.mktemp("uploads") / "server.db"))
    add_advisor(database, "ana@harbour.example", PASSWORD)
    config = ServerConfig(database, {"testserver"})
    site = Site(create_app(config), database)
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Harbour Bakery", "retail")
    owner = open_link(site, invite(ana, audit, "owner"))
    answer_all(owner, lambda question, values: values[0], limit=15)
    yield ana, audit
    config.reports.close()
    database.close()


def test_the_corpus_covers_every_uploadable_kind():
    assert {case.split("/")[0] for case in CASES} == set(UPLOADS)
    assert len(CASES) > 40


@pytest.mark.parametrize("case", CASES)
def test_an_uploaded_file_is_refused_or_accepted_as_the_command_line_does(advisor, case):
    ana, audit = advisor
    kind, name = case.split("/")
    page, fields = UPLOADS[kind]
    expected = EXPECT[case]
    response = ana.client.post(
        f"/audits/{audit}/{page}",
        data={"csrf": ana.csrf, **fields},
        files={"file": (name, (CORPUS / case).read_bytes(), "application/octet-stream")},
    )
    text = html.unescape(response.text)
    assert "Traceback" not in text and response.status_code < 500
    if expected.get("exit") == 0:
        assert response.status_code == 303, text[-800:]
        return
    assert response.status_code == 400, text[-800:]
    named = expected.get("names", name)
    if "names" not in expected:
        assert named in text
    if "says" in expected:
        assert expected["says"] in text, text[-800:]
    assert "/tmp/" not in text and "auditkit-upload-" not in text  # no server path leaks
    # The form's words: a fix names a field of the form, never a command-line flag.
    shown = re.search(r'<p class="error" role="alert"[^>]*>(.*?)</p>', text, re.S)
    assert shown and not re.search(r"(?<![\w-])--[a-z]", shown.group(1)), shown.group(1)
