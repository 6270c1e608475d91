"""What the accessibility tests share: waiting for a page to finish, axe-core (shipped inside the
pinned axe-playwright-python package, so nothing is downloaded), English texts Streamlit might
show, expanders, and the portal's menu."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from portal.interface_text import EXACT, FORBIDDEN, FORBIDDEN_CASED, FORBIDDEN_WHOLE

# One account per role, made by the accounts fixture (tests/e2e/conftest.py).
ACCOUNTS = {"medarbejder": "anne", "redaktør": "rasmus", "admin": "alma"}
PASSWORD = "en-lang-kode-til-tilgaengelighed"

# Rules that fail a test besides every critical and serious one: headings out of order (moderate
# in axe) and the document language, which the issue names explicitly.
ALSO_FAILING = {"heading-order", "html-has-lang", "html-lang-valid", "valid-lang"}
AXE = Axe()
AXE_OPTIONS = {"resultTypes": ["violations"]}  # every rule axe runs by default, best practices included


@dataclass
class Findings:
    """Violations per page state: those that fail the test, and the rest (printed)."""

    failing: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    english: list[str] = field(default_factory=list)
    states: int = 0


def settle(page: Page) -> None:
    """Wait until the script run is over and nothing is still being drawn."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=20_000)
    page.wait_for_timeout(250)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)


def menu_paths(page: Page) -> list[str]:
    """The paths (with query) of every page in the portal's menu, as the user sees it."""
    hrefs = page.eval_on_selector_all('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]', "els => els.map(e => e.href)")
    return list(dict.fromkeys(_path(h) for h in hrefs))


def content_links(page: Page, base_url: str) -> list[str]:
    """Links in the main area to other pages of the portal (path and query)."""
    hrefs = page.eval_on_selector_all('[data-testid="stMain"] a[href]', "els => els.map(e => e.href)")
    return [_path(h) for h in hrefs if h.startswith(base_url)]


def _path(href: str) -> str:
    parts = urlsplit(href)
    return parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "")


def open_expanders(page: Page) -> int:
    """Open every closed expander in the main area; returns how many were opened."""
    summaries = page.locator('[data-testid="stMain"] details:not([open]) > summary')
    count = summaries.count()
    for _ in range(count):
        summaries.nth(0).click()
    if count:
        settle(page)
    return count


def check(page: Page, state: str, findings: Findings) -> None:
    """Run axe and look for English texts on the page as it is now."""
    findings.states += 1
    result = run_axe(page)
    for violation in result["violations"]:
        nodes = "; ".join(" ".join(node["target"]) if isinstance(node["target"][0], str) else str(node["target"]) for node in violation["nodes"][:3])
        line = f"{state}: {violation['id']} ({violation['impact']}) ×{len(violation['nodes'])} – {violation['help']} [{nodes}]"
        if violation["impact"] in ("critical", "serious") or violation["id"] in ALSO_FAILING:
            findings.failing.append(line)
        else:
            findings.other.append(line)
    findings.english.extend(f"{state}: »{text}«" for text in english_texts(page))


def run_axe(page: Page) -> dict:
    """axe-core's results for the page; the script is injected once per document."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.axe_script)
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)


def go(page: Page, url: str, path: str) -> None:
    """Open a page of the portal: through its menu link when there is one (as a user does, and
    without reloading the browser), otherwise by its address."""
    link = page.locator(f'[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"][href="{path}"]')
    if "?" not in path and link.count() == 1 and page.url.startswith(url):
        link.click()
        page.wait_for_url(f"{url}/{path}")
        page.wait_for_timeout(150)
    else:
        page.goto(f"{url}/{path}")
    settle(page)


def check_date_picker(page: Page, state: str, findings: Findings) -> None:
    """Open the first date field's calendar (where Streamlit's own English would hide), check it
    and close it again."""
    opener = page.locator('[data-testid="stMain"] [data-testid="stDateInput"] button').filter(visible=True)
    if opener.count() == 0:
        return
    opener.first.click()
    page.wait_for_timeout(400)
    check(page, f"{state} (kalenderen åben)", findings)
    page.keyboard.press("Escape")


def english_texts(page: Page) -> list[str]:
    """Known English Streamlit texts that a user can see or hear on the page."""
    texts: list[str] = page.evaluate(
        """() => {
        const out = [document.body.innerText];
        for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [aria-valuetext]')) {
          for (const name of ['aria-label', 'title', 'placeholder', 'aria-valuetext']) { const v = el.getAttribute(name); if (v) out.push(v); }
        }
        // what a screen reader reads as a field's description (hidden text referred to by id)
        for (const el of document.querySelectorAll('[aria-describedby]')) {
          for (const id of el.getAttribute('aria-describedby').split(/\\s+/)) { const d = document.getElementById(id); if (d) out.push(d.textContent); }
        }
        return out;
    }"""
    )
    found = []
    lines = [line.strip() for text in texts for line in text.splitlines() if line.strip()]
    for line in lines:
        found += [phrase for phrase in FORBIDDEN if phrase.lower() in line.lower()]
        found += [line for word in FORBIDDEN_WHOLE if line == word]
        found += [phrase for phrase in FORBIDDEN_CASED if phrase in line]
    found += [f"ikonnavn som tekst: {name}" for name in icon_names_shown_as_text(page)]
    if page.evaluate("document.documentElement.lang") != "da":
        found.append(f'<html lang="{page.evaluate("document.documentElement.lang")}">')
    return sorted(set(found))


def icon_names_shown_as_text(page: Page) -> list[str]:
    """Material icons whose ligature was changed (a translated "close" shows the word "luk"
    instead of the icon), or icon names written as text outside an icon."""
    icons: list[str] = page.evaluate("() => [...document.querySelectorAll('[data-testid=\"stIconMaterial\"]')].map(e => e.textContent)")
    danish = set(EXACT.values())
    return sorted({name for name in icons if not re.fullmatch(r"[a-z0-9_]+", name) or name in danish})


def tabs(page: Page) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip() for t in page.locator('[data-testid="stMain"] [role="tab"]').all_inner_texts()]
