"""A caseworker reads the handbook in a real browser."""

import re

from playwright.sync_api import Page, expect

from handbook.content.library import load_library
from handbook.content.render import format_date
from handbook.settings import paths_from_env

LIBRARY = load_library(paths_from_env({}))


def main_area(page: Page):
    return page.locator('[data-testid="stMain"]')


def test_from_forside_to_a_guideline_with_its_metadata(page: Page, portal_url: str):
    guideline = LIBRARY.get("underretninger")
    page.goto(portal_url)
    expect(page.get_by_role("heading", name="Håndbogen", level=1)).to_be_visible()
    expect(page.get_by_text("Sagsforløbet fra A til Z")).to_be_visible()
    main_area(page).get_by_role("link", name=guideline.title).first.click()
    expect(page).to_have_url(re.compile(r"/retningslinje\?id=underretninger$"))
    expect(page.get_by_role("heading", name=guideline.title, level=1)).to_be_visible()
    meta = page.locator("dl.hb-meta")
    expect(meta).to_contain_text("Gyldig fra")
    expect(meta).to_contain_text(format_date(guideline.effective))
    expect(meta).to_contain_text(guideline.version)
    expect(meta).to_contain_text(guideline.owner)
    expect(meta).to_contain_text("Barnets lov § 136")


def test_shared_link_opens_the_guideline_directly(page: Page, portal_url: str):
    guideline = LIBRARY.get("boernesamtale")
    page.goto(f"{portal_url}/retningslinje?id=boernesamtale")
    expect(page.get_by_role("heading", name=guideline.title, level=1)).to_be_visible()
    expect(page.locator("ul.hb-toc li").first).to_be_visible()
    expect(page.get_by_role("link", name="Forside")).to_be_visible()


def test_link_in_a_guideline_body_leads_to_the_other_guideline(page: Page, portal_url: str):
    page.goto(f"{portal_url}/retningslinje?id=sagsbehandling-a-til-z")
    body = page.locator(".hb-body")
    body.locator('a[href^="retningslinje?id=boernesamtale"]').first.click()
    expect(page.get_by_role("heading", name=LIBRARY.get("boernesamtale").title, level=1)).to_be_visible()


def test_handbook_page_filters_by_role(page: Page, portal_url: str):
    page.goto(f"{portal_url}/haandbog")
    expect(page.get_by_role("heading", name="Metoder")).to_be_visible()
    links = main_area(page).locator('[data-testid="stPageLink-NavLink"]')
    expect(links).to_have_count(len(LIBRARY.guidelines))  # every guideline, before a role is chosen
    page.get_by_label("Rolle").click()
    page.get_by_role("option", name="Familiehuset").click()
    expected = len(LIBRARY.filtered(audience="familiehus"))
    expect(links).to_have_count(expected)
    expect(page).to_have_url(re.compile(r"rolle=familiehus"))
