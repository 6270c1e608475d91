"""A caseworker searches from the Forside in a real browser."""

import re
from urllib.parse import quote

from playwright.sync_api import Page, expect

from handbook.checklists.schema import load_checklists
from handbook.content.library import load_library
from handbook.search.index import open_index
from handbook.settings import paths_from_env


def expected_hits(tmp_path, query: str, **filters) -> int:
    """How many results the portal shows: its index holds the checklists too (folded into
    their guidelines)."""
    paths = paths_from_env({})
    library = load_library(paths)
    index, _, _ = open_index(tmp_path / "index", paths.config_dir, library.all(), load_checklists(paths.checklists_dir, library.config).all())
    return len(index.search(query, **filters).hits)


def test_search_from_forside_filter_by_type_and_open_a_hit(page: Page, portal_url: str, tmp_path):
    page.goto(portal_url)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_label("Søg i håndbogen").fill("samtale med barnet")
    main.get_by_role("button", name="Søg").click()
    expect(page).to_have_url(re.compile(r"/soeg\?q=samtale"))
    expect(page.get_by_role("heading", name="Søg i håndbogen", level=1)).to_be_visible()
    # one link per result; a guideline's "Start tjeklisten" link sits beside it
    hits = main.locator('[data-testid="stPageLink-NavLink"]').filter(has_not_text="Start tjeklisten")
    expect(hits.first).to_have_text(re.compile("Børnesamtalen"))
    expect(page.locator(".hb-snippet mark").first).to_be_visible()
    before = expected_hits(tmp_path, "samtale med barnet")
    expect(hits).to_have_count(before)

    page.get_by_label("Type").click()
    page.get_by_role("option", name="Metode").click()
    page.keyboard.press("Escape")
    methods = expected_hits(tmp_path, "samtale med barnet", types=("metode",))
    assert 0 < methods < before
    expect(hits).to_have_count(methods)
    expect(hits.first).to_have_text(re.compile("Signs of Safety|ICS|Trivselslinealen"))

    title = hits.first.locator("p").inner_text().strip()
    hits.first.click()
    expect(page).to_have_url(re.compile(r"/retningslinje\?id="))
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def test_shared_search_link_and_typo_suggestion(page: Page, portal_url: str):
    page.goto(f"{portal_url}/soeg?q=underetning")
    # the first page of a session may still be loading the content on a busy machine
    expect(page.get_by_role("heading", name="Søg i håndbogen", level=1)).to_be_visible(timeout=60_000)
    suggestion = page.get_by_role("button", name="Mente du: underretning?")
    expect(suggestion).to_be_visible(timeout=30_000)
    suggestion.click()
    expect(page).to_have_url(re.compile(r"q=underretning$"))
    expect(page.locator('[data-testid="stMain"] [data-testid="stPageLink-NavLink"]').first).to_have_text(re.compile("Modtagelse og behandling af underretninger"))
    search_field = page.get_by_role("textbox", name="Søg i håndbogen")
    expect(search_field).to_have_count(1)
    expect(search_field).to_have_value("underretning")

    search_field.fill("UTM")
    page.get_by_role("button", name="Søg").click()
    expect(page).to_have_url(re.compile(r"q=UTM$"))
    expect(page.locator('[data-testid="stMain"] [data-testid="stPageLink-NavLink"]').first).to_have_text(re.compile("Distriktsmøder og undersøgende teammøde"))


def test_a_crafted_query_is_shown_as_text_and_loads_no_image(page: Page, portal_url: str):
    """Issue #12, item 8: the query is never rendered as Markdown."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    crafted = "![spor](http://127.0.0.1:9/spor.png) [klik](http://127.0.0.1:9/)"
    page.goto(f"{portal_url}/soeg?q={quote(crafted)}")
    main = page.locator('[data-testid="stMain"]')
    # shown as typed (zero-width spaces keep the bare address from becoming a link)
    expect(main.get_by_text(re.compile(r"!\[spor\]\(http\u200b?://\u200b?127\.0\.0\.1:9/spor\.png\)")).first).to_be_visible(timeout=60_000)
    expect(main.locator('img[src*="127.0.0.1:9"]')).to_have_count(0)
    expect(main.locator('a[href*="127.0.0.1:9"]')).to_have_count(0)
    assert not [url for url in requested if "127.0.0.1:9" in url]


def test_a_hit_links_to_its_best_section(page: Page, portal_url: str):
    page.goto(f"{portal_url}/soeg?q={quote('ny underretning i en åben sag')}")
    section = page.locator(".hb-section a").first
    expect(section).to_have_text("Ny underretning i en åben sag", timeout=60_000)
    assert section.get_attribute("href") == "retningslinje?id=underretninger#ny-underretning-i-en-%C3%A5ben-sag"
    # following it lands on that section, not the top of the page
    section.click()
    heading = page.locator(".hb-body #ny-underretning-i-en-åben-sag")
    expect(heading).to_be_focused(timeout=30_000)
    expect(heading).to_be_in_viewport()
