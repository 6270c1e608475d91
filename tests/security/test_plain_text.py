"""Defect 4 of the third review: a feedback comment `![t](http://…/beacon.png)` was rendered as
Markdown for the admin, whose browser fetched the commenter's address. Every text a user typed
that another user sees goes through one plain-text renderer (handbook/privacy/textsafe.py:
markdown_literal, plain_lines); no user text can become an image, a link or HTML."""

from __future__ import annotations

import ast
import html as htmllib
import re
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from handbook.checklists.runs import complete_step, correct_start, start_run
from handbook.checklists.schema import load_checklists
from handbook.identity.auth import User, add_user
from handbook.privacy.textsafe import markdown_literal, plain_lines
from handbook.publishing import drafts as pub
from handbook.publishing.feedback import give_feedback
from handbook.settings import PROJECT_ROOT, load_portal_config
from handbook.store.database import Store
from tests.conftest import guideline_text

PAYLOADS = [
    "![t](http://angriber.example/beacon.png)",
    "![t][b]\n\n[b]: http://angriber.example/beacon.png",
    "[klik](https://angriber.example/) og <https://angriber.example/>",
    "<img src=x onerror=alert(1)> <script>alert(1)</script> <a href='//x'>x</a>",
    "http://angriber.example/x.png www.angriber.example navn@angriber.example",
    "&lt;img src=x&gt; &#60;b&#62;",
    ":red[farve] :material/warning: $\\frac{1}{2}$ **fed** <!-- skjult -->",
    "| a | b |\n|---|---|\n| ![x](http://angriber.example/t.png) | c |",
]
MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
# What Markdown, HTML or GFM autolinking could make active, if it survived: a tag, a link or
# image target, or a bare address.
BARE_ADDRESS = re.compile(r"(?i)(https?://|ftp://|www\.|mailto:|\w@\w)")


def assert_plain(shown: str) -> None:
    html = MARKDOWN.render(shown)
    tags = set(re.findall(r"<(/?\w+)", html))
    assert tags <= {"p", "/p", "br"}, (shown, html)
    visible = htmllib.unescape(re.sub(r"<[^>]+>", "", html))  # what the reader sees, where GFM looks for bare addresses
    assert not BARE_ADDRESS.search(visible), (shown, visible)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_renderer_keeps_every_payload_plain(payload):
    assert_plain(markdown_literal(payload))
    assert_plain(plain_lines(payload))


@SETTINGS
@given(st.lists(st.sampled_from(list("![]()<>/:.@#*_`~|$&;=\"'\\ -\nahtpsw1") + ["http://", "www.", "<img ", "](", "javascript:", "mailto:", "&#60;"]), max_size=40).map("".join))
def test_no_typed_text_becomes_an_image_a_link_or_html(text):
    assert_plain(markdown_literal(text))
    assert_plain(plain_lines(text))


def test_the_words_stay_readable():
    assert markdown_literal("Mangler et eksempel, se § 20.") == "Mangler et eksempel, se § 20\\."
    assert plain_lines("Linje et\n\nLinje to") == "Linje et  \nLinje to"


# -- every place in the portal that shows text typed by a user --------------------------------

# Fields that hold what a user typed (or a name from a login service) and that the portal shows,
# and the local names pages give such a text (a worksheet item, a typed reference).
USER_FIELDS = {"comment", "review_comment", "note", "reference", "reason", "done_by", "by", "author", "updated_by", "reviewer", "employee", "display_name", "case_ref", "caseworker", "case_type", "team"}
USER_NAMES = {"comment", "item", "reference", "reason"}
RENDERERS = {"markdown", "caption", "write", "info", "warning", "success", "error", "toast", "header", "subheader", "expander", "page_link", "button"}


def _user_text(expression: ast.expr) -> bool:
    if isinstance(expression, ast.Call) and isinstance(expression.func, ast.Attribute) and expression.func.attr in ("strip", "upper", "lower"):
        expression = expression.func.value
    return (isinstance(expression, ast.Attribute) and expression.attr in USER_FIELDS) or (isinstance(expression, ast.Name) and expression.id in USER_NAMES)


def unrendered_user_text(path) -> list[str]:
    """f-strings passed to a Streamlit call that interpolate a user-text field without
    markdown_literal or plain_lines around it."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in RENDERERS):
            continue
        for argument in [*call.args, *(k.value for k in call.keywords if k.arg != "key")]:  # a widget key is never shown
            for joined in ast.walk(argument):
                if not isinstance(joined, ast.JoinedStr):
                    continue
                for value in joined.values:
                    if not isinstance(value, ast.FormattedValue):
                        continue
                    expression = value.value
                    if isinstance(expression, ast.Call) and getattr(expression.func, "id", "") in ("markdown_literal", "plain_lines"):
                        continue
                    if _user_text(expression):
                        found.append(f"{path.relative_to(PROJECT_ROOT)}:{value.lineno}: {ast.unparse(expression)}")
        for keyword in call.keywords:
            if keyword.arg == "label" and _user_text(keyword.value):
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{keyword.value.lineno}: {ast.unparse(keyword.value)}")
    return found


# Text from config/portal.yaml, written in git by the organisation like the guidelines.
CONTENT = ["portal/widgets.py: contact.note"]


def test_every_page_shows_user_text_through_the_one_renderer():
    files = [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "views").glob("*.py")), *sorted((PROJECT_ROOT / "portal").rglob("*.py"))]
    assert [place for path in files for place in unrendered_user_text(path) if re.sub(r":\d+:", ":", place) not in CONTENT] == []


# -- in the app ----------------------------------------------------------------------------------

BEACON = "![t](http://angriber.example/beacon.png) [klik](http://angriber.example/) <img src=x>"


def rendered(app) -> str:
    sources = [e.value for e in app.markdown] + [e.value for e in app.caption] + [e.value for e in app.warning] + [e.label for e in app.expander]
    return "\n".join(MARKDOWN.render(str(s)) for s in sources)


def assert_no_beacon(app) -> None:
    html = rendered(app)
    assert "angriber" in html  # the text is shown ...
    assert not re.search(r"<(img|a|script)\b[^>]*angriber", html), html  # ... as text: no image, link or tag of the commenter's
    assert "<img src=x" not in html


def test_a_feedback_comment_is_plain_text_for_the_leader(make_app, tmp_path):
    make_app(page="views/retningslinje.py", id="faglig-sparring")
    give_feedback(Store(tmp_path / "data" / "handbook.db"), "faglig-sparring", "2.0", False, BEACON)
    leader = make_app(page="views/retningslinje.py", user="lis:redaktør", id="faglig-sparring")
    assert_no_beacon(leader)
    assert not leader.exception


def test_a_review_comment_is_plain_text_for_the_author(make_app, tmp_path):
    make_app()
    store = Store(tmp_path / "data" / "handbook.db")
    for name in ("rikke", "sofie"):
        add_user(store, name, "en-lang-adgangskode", "redaktør")
    today = date.today()
    text = guideline_text("ny-side", effective=f"effective: {today.isoformat()}")
    draft_id = pub.start_new_guideline(store, User("rikke", "Rikke", "redaktør"), text, set())
    pub.submit_for_review(store, User("rikke", "Rikke", "redaktør"), draft_id, today, load_portal_config(PROJECT_ROOT / "config" / "portal.yaml"), set())
    pub.send_back(store, User("sofie", "Sofie", "redaktør"), draft_id, BEACON)
    author = make_app(page="views/rediger.py", user="rikke:redaktør", kladde=str(draft_id))
    assert_no_beacon(author)


def test_a_run_reference_note_and_correction_reason_are_plain_text(make_app, tmp_path):
    make_app()
    store = Store(tmp_path / "data" / "handbook.db")
    add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    mads = User("mads", "Mads", "medarbejder")
    checklist = load_checklists(PROJECT_ROOT / "checklists").get("underretning")
    run_id = start_run(store, mads, checklist, datetime(2026, 5, 4, 9, 0), reference="[sag](http://angriber.example/)", answers={"akut": False})
    complete_step(store, mads, run_id, checklist.steps[0].id, note=BEACON)
    correct_start(store, mads, run_id, datetime(2026, 5, 4, 8, 0), "![r](http://angriber.example/r.png)")
    app = make_app(page="views/tjekliste.py", user="mads:medarbejder", forloeb=str(run_id))
    assert_no_beacon(app)
    assert not app.exception
