"""The browser script that puts the Danish interface texts of portal/interface_text.py in place,
sets lang="da" on the document, and keeps doing so as Streamlit redraws."""

from __future__ import annotations

import functools
import json

from portal.interface_text import DAY_DANISH, EXACT, MONTH_DANISH, PATTERNS


@functools.cache
def browser_script() -> str:
    """A <script> that sets lang="da" and keeps Streamlit's interface texts Danish (built once)."""
    names = {**MONTH_DANISH, **DAY_DANISH}
    return _SCRIPT.replace("__EXACT__", json.dumps(EXACT, ensure_ascii=False)).replace(
        "__PATTERNS__", json.dumps([[p, r] for p, r in PATTERNS], ensure_ascii=False)
    ).replace("__NAMES__", json.dumps(names, ensure_ascii=False))


# Once the full script has run in a browser tab, later page runs only need to re-apply it.
REAPPLY_SCRIPT = """<script>(() => { document.documentElement.lang = "da"; if (window.__haandbogenDanish) window.__haandbogenDanish(document.body); })();</script>"""


_SCRIPT = r"""<script>
(() => {
  const doc = document;
  doc.documentElement.lang = "da";
  if (window.__haandbogenDanish) { window.__haandbogenDanish(doc.body); return; }
  const exact = __EXACT__;
  const patterns = __PATTERNS__.map(([p, r]) => [new RegExp(p), r]);
  const names = __NAMES__;
  const nameRe = new RegExp("\\b(" + Object.keys(names).join("|") + ")\\b", "g");
  // Never inside Material icons (their text is a ligature: "close" must stay "close", or the
  // icon shows the word), the portal's own content, code or what the user types.
  const skip = "script, style, textarea, code, pre, .hb-body, [contenteditable], [data-testid='stIconMaterial'], .material-icons, .material-symbols-rounded, [translate='no']";
  // A date part is contenteditable, but its placeholder ("yyyy") is Streamlit's text.
  const datePart = "[data-testid='stDateInput'] [role='spinbutton'], [data-testid='stTimeInput'] [role='spinbutton']";
  const skipped = (el) => el.closest(skip) && !(el.closest(datePart) && !el.closest("[data-testid='stIconMaterial'], [translate='no']"));
  const attributes = ["aria-label", "title", "placeholder", "aria-description", "aria-roledescription", "aria-valuetext"];
  const translate = (text) => {
    const t = text.trim();
    if (!t) return null;
    if (Object.prototype.hasOwnProperty.call(exact, t)) return text.replace(t, exact[t]);
    for (const [re, r] of patterns) {
      if (re.test(t)) return text.replace(t, t.replace(re, r).replace(nameRe, (m) => names[m]));
    }
    return null;
  };
  const fixElement = (el) => {
    for (const name of attributes) {
      const value = el.getAttribute && el.getAttribute(name);
      if (value) { const d = translate(value); if (d !== null && d !== value) el.setAttribute(name, d); }
    }
  };
  const fix = (root) => {
    if (!root) return;
    if (root.nodeType === 3) {
      const parent = root.parentElement;
      if (parent && skipped(parent)) return;
      const d = translate(root.nodeValue);
      if (d !== null && d !== root.nodeValue) root.nodeValue = d;
      return;
    }
    if (root.nodeType !== 1) return;
    if (skipped(root)) { fixElement(root); return; }
    fixElement(root);
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      // a skipped element's own labels are still Streamlit's ("person icon"), its text is not
      acceptNode: (n) => {
        if (n.nodeType !== 1 || !n.matches(skip) || n.matches(datePart)) return NodeFilter.FILTER_ACCEPT;
        fixElement(n);
        return NodeFilter.FILTER_REJECT;
      },
    });
    let node;
    while ((node = walker.nextNode())) {
      if (node.nodeType === 3) { const d = translate(node.nodeValue); if (d !== null && d !== node.nodeValue) node.nodeValue = d; }
      else fixElement(node);
    }
  };
  // The menu marks the current page for screen readers too (Streamlit only colours it).
  const markCurrent = () => {
    doc.querySelectorAll('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]').forEach((a) => {
      const here = new URL(a.getAttribute("href") || "./", location.href).pathname.replace(/\/$/, "") === location.pathname.replace(/\/$/, "");
      if (here && a.getAttribute("aria-current") !== "page") a.setAttribute("aria-current", "page");
      else if (!here && a.hasAttribute("aria-current")) a.removeAttribute("aria-current");
    });
  };
  // A box that scrolls (a code block, a long diff) must be reachable with the keyboard.
  const scrollablesFocusable = () => {
    doc.querySelectorAll('[data-testid="stMain"] pre, .hb-diff').forEach((el) => {
      if (!el.hasAttribute("tabindex") && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) el.setAttribute("tabindex", "0");
    });
  };
  window.__haandbogenDanish = (root) => { fix(root); markCurrent(); scrollablesFocusable(); };
  // On a phone the menu covers the page: close it once a page in it is chosen, as Streamlit's
  // own navigation does.
  doc.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]');
    if (!link || window.innerWidth >= 768) return;
    setTimeout(() => {
      const close = doc.querySelector('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebar"] [data-testid="stBaseButton-headerNoPadding"]');
      if (close) close.click();
    }, 100);
  }, true);
  // A typed date is applied by Streamlit only when the field loses focus; Enter applies it too
  // (as in every other field), so "type the date, press Enter" works.
  doc.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    const field = event.target.closest && event.target.closest('[data-testid="stDateInput"] [role="spinbutton"]');
    if (!field) return;
    // Streamlit applies the date when focus moves out of the widget (a bare blur is not enough):
    // move it to a focus catcher outside for a moment, then back to the same part of the date.
    event.preventDefault();
    let catcher = doc.getElementById("hb-focus-catcher");
    if (!catcher) {
      catcher = doc.createElement("span");
      catcher.id = "hb-focus-catcher";
      catcher.tabIndex = -1;
      catcher.setAttribute("aria-hidden", "true");
      catcher.style.cssText = "position:fixed;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)";
      doc.body.appendChild(catcher);
    }
    catcher.focus();
    setTimeout(() => { if (doc.activeElement === catcher && field.isConnected) field.focus(); }, 50);
  }, true);
  new MutationObserver((mutations) => {
    if (doc.documentElement.lang !== "da") doc.documentElement.lang = "da";
    markCurrent();
    scrollablesFocusable();
    for (const m of mutations) {
      if (m.type === "childList") m.addedNodes.forEach(fix);
      else if (m.type === "characterData") fix(m.target);
      else if (m.type === "attributes") fixElement(m.target);
    }
  }).observe(doc.documentElement, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: attributes.concat(["lang"]) });
  fix(doc.body);
  markCurrent();
  scrollablesFocusable();
})();
</script>"""
