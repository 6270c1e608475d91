"""Production mode: two portal processes behind nginx (deploy/nginx/haandbogen.conf) share the
database and the search index. A version published through one process is read, and found by
search, through the other within seconds, in Chromium."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from deploy.cluster import Cluster
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_publishing import add_user, log_in

NEW_TEXT = "Ved partnervold i familien holdes sparringen samme dag."


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with Cluster(processes=2, nginx=True, workdir=tmp_path_factory.mktemp("cluster"), upstream_header=True) as running:
        yield running


def browser_on(browser: Browser, url: str, avoid: str | None = None) -> tuple[BrowserContext, str]:
    """A new browser whose route cookie sends it to one process (not `avoid`); and that process."""
    for _ in range(40):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
        context.set_default_timeout(20_000)
        served_by = context.request.get(f"{url}/_stcore/health").headers["x-haandbogen-upstream"]
        # every later request of this browser carries the cookie and goes to the same process
        assert context.request.get(f"{url}/_stcore/health").headers["x-haandbogen-upstream"] == served_by
        if served_by != avoid:
            return context, served_by
        context.close()
    raise AssertionError("nginx sendte alle browsere til den samme proces")


def test_a_version_published_through_one_process_is_read_through_the_other(browser: Browser, cluster: Cluster, request):
    url = cluster.url
    env = {**os.environ, "HANDBOOK_DATA_DIR": str(cluster.workdir / "data"), "HANDBOOK_INDEX_DIR": str(cluster.workdir / "search_index")}
    add_user(env, "rikke", "redaktør", "Rikke Redaktør")
    editor_context, editor_process = browser_on(browser, url)
    reader_context, reader_process = browser_on(browser, url, avoid=editor_process)
    assert editor_process != reader_process
    editor, reader = editor_context.new_page(), reader_context.new_page()
    contexts = [editor_context, reader_context]
    try:
        # the reader's process has the old version loaded and cached
        reader.goto(f"{url}/retningslinje?id=faglig-sparring")
        expect(reader.get_by_role("heading", name="Rammen for faglig sparring", level=1)).to_be_visible(timeout=60_000)
        expect(reader.locator(".hb-meta")).to_contain_text("2.0")

        editor.goto(url)  # the editor's process loads its content
        expect(editor.get_by_role("heading", name="Håndbogen", level=1)).to_be_visible(timeout=60_000)
        log_in(editor, url, "rikke")
        editor.goto(f"{url}/rediger")
        editor.get_by_label("Retningslinje", exact=True).click()
        editor.keyboard.type("faglig sparring")
        editor.get_by_role("option", name="Rammen for faglig sparring").click()
        editor.get_by_role("button", name="Opret kladde til ny version").click()
        expect(editor).to_have_url(re.compile(r"/rediger\?kladde=\d+"))
        main = editor.locator('[data-testid="stMain"]')
        body = main.get_by_label("Tekst (Markdown)")
        body.fill(body.input_value() + f"\n\n{NEW_TEXT}\n")
        body.press("Control+Enter")
        note = main.get_by_label("Ændringsnote (hvad er nyt i denne version?)")
        note.fill("Sparring samme dag ved vold.")
        note.press("Control+Enter")
        expect(main.get_by_text("Kontrollen fandt ingen fejl.")).to_be_visible()
        main.get_by_role("button", name="Send til godkendelse").click()  # review_required is on by default
        expect(main.get_by_text("Kladden er sendt til godkendelse hos en anden redaktør.")).to_be_visible()

        # a second redaktør on a process other than the reader's approves and publishes
        add_user(env, "sofie", "redaktør", "Sofie Redaktør")
        reviewer_context, _ = browser_on(browser, url, avoid=reader_process)
        contexts.append(reviewer_context)
        reviewer = reviewer_context.new_page()
        log_in(reviewer, url, "sofie")
        reviewer.goto(f"{url}/rediger")
        review = reviewer.locator('[data-testid="stMain"]')
        review.get_by_role("button", name="Åbn").first.click()
        review.get_by_role("button", name="Godkend", exact=True).click()
        expect(review.get_by_text("Kladden er godkendt og kan offentliggøres.")).to_be_visible()
        review.get_by_role("button", name="Offentliggør nu").click()
        expect(review.get_by_text(re.compile("Version 2.1 af »Rammen for faglig sparring« er offentliggjort"))).to_be_visible()

        # the other process shows the new version on the reader's next page view
        reader.reload()
        expect(reader.locator(".hb-body")).to_contain_text(NEW_TEXT, timeout=10_000)
        expect(reader.locator(".hb-meta")).to_contain_text("2.1")
        # and finds it through the shared search index (no other text has the word)
        reader.goto(f"{url}/soeg?q=partnervold")
        results = reader.locator('[data-testid="stMain"]')
        expect(results.get_by_role("link", name=re.compile("Rammen for faglig sparring")).first).to_be_visible(timeout=10_000)
        expect(results.locator(".hb-snippet mark").first).to_have_text(re.compile("partnervold", re.I))
        assert reader_context.request.get(f"{url}/_stcore/health").headers["x-haandbogen-upstream"] == reader_process
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        for label, page in (("redaktoer", editor), ("laeser", reader)):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{label}.png"), full_page=True)
        for context in contexts:
            context.close()
