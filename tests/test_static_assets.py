"""The stylesheet and scripts are fetched once per phone, not with every question: their
addresses carry a digest of their content, and the browser may keep them for a year."""

from __future__ import annotations

import re

from tests.serverweb import one_advisor_site


def test_a_page_names_its_stylesheet_by_content_and_the_browser_keeps_it(tmp_path):
    from auditkit.serve.forms import asset_version

    with one_advisor_site(tmp_path / "server.db") as site:
        visitor = site.visitor()
        page = visitor.get("/login").text
        found = re.search(r'href="(/static/app\.css\?v=([0-9a-f]{12}))"', page)
        assert found and found.group(2) == asset_version(), page[:400]
        sheet = visitor.get(found.group(1))
        assert sheet.status_code == 200 and "text/css" in sheet.headers["content-type"]
        assert sheet.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert "no-store" in visitor.get("/login").headers["cache-control"]  # pages are not kept


def test_a_changed_stylesheet_gets_a_new_address(tmp_path, monkeypatch):
    import auditkit.serve.forms as forms

    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "app.css").write_text("body { color: black }", encoding="utf-8")
    monkeypatch.setattr(forms, "STATIC", folder)
    before = forms.asset_version.__wrapped__()
    (folder / "app.css").write_text("body { color: navy }", encoding="utf-8")
    assert forms.asset_version.__wrapped__() != before
