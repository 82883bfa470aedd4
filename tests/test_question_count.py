"""How long the questionnaire is: said before the first question, a range while the inventory
decides it ("20 to 37 questions in all"), then one number that never moves.

Testers saw "1 of about 22" → "2 of about 39" → "8 of about 47" → 52, and staff promised
"about 17 questions" who were asked 34. The owner walks ``auditkit serve`` through its HTTP
layer (in-process) on the shipped rubric; staff open the practice server's link.
"""

from __future__ import annotations

import itertools
import re

import pytest

from auditkit.questionnaire.length import length_before_starting
from auditkit.rubric import load_rubric
from tests.serverweb import add_client, answer_all, invite, sign_in
from tests.test_serve import PORT, client_for, version, where

RANGE = re.compile(r"(\d+) to (\d+) questions in all")
EXACT = re.compile(r"(\d+) questions in all")
WHERE = re.compile(r"[Qq]uestion (\d+) of (\d+)(?! to)\b")
PROMISE = re.compile(r"That is (\d+) to (\d+) questions, .*? about (\d+) to (\d+) minutes")

# The owner's inventory, in the rubric's order: a guest house with a booking page, a chatbot
# on trial and a few plans; then every kind of answer, a skip and "not applicable".
INVENTORY = ["live", "no", "live", "pilot", "no", "planned", "live", "no"] * 2
LATER = ["1", "yes", "unknown", "partly", "3", "no", "0", "unknown", "2"]


@pytest.fixture
def state(tmp_path):
    from auditkit.serve.app import ServeState

    serve_state = ServeState(tmp_path / "answers.yaml", sector="hospitality", port=PORT)
    serve_state.load()
    return serve_state


def progress_line(html: str) -> str:
    """What the page says of where the owner is, as text (the progress block, tags removed)."""
    block = html.split('<div class="progress">', 1)[1].split("</div>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", "", block).split())


def post(client, state, page, **fields):
    """Submit the page's form as the browser would; the client follows the redirect."""
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    data = {"csrf": state.csrf, "version": version(page), "action": "save", **fields}
    return client.post(action.removeprefix(state.root).replace("&amp;", "&"), data=data)


def test_the_owner_knows_the_length_before_starting_and_it_holds_still_after_the_inventory(
    state,
):
    client = client_for(state)
    opening = client.get("/start").text
    promised = re.search(r"the owner or a manager answers (\d+) to (\d+) questions", opening)
    assert promised, "the opening page says how many questions the owner answers"
    page = client.post(
        "/start",
        data={"csrf": state.csrf, "name": "Harbour Guest House", "sector": "hospitality"},
    )
    if where(page) == "/business":  # where the business serves customers, before the questions
        page = client.post(
            "/business",
            data={"csrf": state.csrf, "business.markets": "EU", "business.size": "micro"},
        )
    ranges, totals = [], []
    for _ in range(200):
        if "/q/" not in where(page):
            break
        question = where(page).removeprefix("/q/")
        shown = progress_line(page.text)
        if question.startswith("adopt."):
            found = RANGE.search(shown) or EXACT.search(shown)
            ranges.append(tuple(map(int, (found.groups() * 2)[:2])) if found else None)
            value = INVENTORY[len(ranges) % len(INVENTORY)]
        else:
            counted = WHERE.search(shown)
            assert counted, f"a safeguard's page says which question of how many: {shown}"
            totals.append(int(counted.group(2)))
            value = LATER[len(totals) % len(LATER)]
            if len(totals) % 7 == 0:
                page = post(client, state, page, action="skip")
                continue
            if 'value="n/a"' in page.text and len(totals) % 4 == 0:
                page = post(client, state, page, value="n/a", na_reason="No staff rota")
                continue
        values = re.findall(r'name="value" value="([^"]+)"', page.text)
        page = post(client, state, page, value=value if value in values else values[0])
        assert page.status_code == 200 and 'role="alert"' not in page.text, page.text
    final = len(client.get("/review").text.split('<tr class="')) - 1
    assert totals and ranges
    # While the inventory decides, the range shown holds what is asked in the end, and only
    # narrows.
    assert all(r is not None for r in ranges), str(ranges)
    assert all(low <= final <= high for low, high in ranges), (final, ranges)
    assert all(a[0] <= b[0] and b[1] <= a[1] for a, b in itertools.pairwise(ranges)), ranges
    assert int(promised.group(1)) <= ranges[0][0] and ranges[0][1] <= int(promised.group(2))
    # Once every inventory answer is in, the total is one number that never moves.
    assert set(totals) == {final}, (final, totals)
    assert len(totals) + len(ranges) == final


@pytest.fixture
def site(tmp_path):
    from tests.serverweb import one_advisor_site

    with one_advisor_site(tmp_path / "server.db") as opened:
        yield opened


def test_the_staff_welcome_promises_what_staff_are_asked(site):
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn", sector="hospitality")
    expected = length_before_starting(
        load_rubric("human-centred-automation", "hospitality"), "staff"
    )
    asked = []
    for inventory in ("live", "no"):
        staff = site.visitor()
        welcome = staff.follow(staff.get(invite(ana, audit, "staff")))
        promise = PROMISE.search(welcome.text)
        assert promise, welcome.text
        least, most, fewest_minutes, most_minutes = map(int, promise.groups())
        assert (least, most) == (expected.least, expected.most)
        assert 5 <= fewest_minutes <= most_minutes <= 30
        staff.follow(staff.post("/answer/begin"))
        asked.append(
            len(
                answer_all(
                    staff,
                    lambda q, values, v=inventory: v if q.startswith("adopt.") else values[0],
                )
            )
        )
    # Everything in use asks the most the welcome promised; nothing in use, the fewest.
    assert asked == [expected.most, expected.least]
