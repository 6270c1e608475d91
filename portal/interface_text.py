"""Danish for the texts Streamlit's own interface shows in English, and the small browser script
that puts them in place (with lang="da" on the document) is in portal/interface_script.py.

Streamlit has no setting for its interface language: "Skip to main content", "Choose an option",
"Press Enter to apply", "Page not found" and the date picker's month names come from its
frontend. The script replaces those exact texts (and aria-label, title and placeholder
attributes) wherever they appear and keeps doing so as Streamlit redraws. Only whole texts that
match are replaced, so the portal's own content is never touched.
"""

from __future__ import annotations

import re

EXACT: dict[str, str] = {
    "Skip to main content": "Gå til hovedindholdet",
    "Skip to content": "Gå til indholdet",
    "Link to heading": "Link til overskriften",
    "Choose an option": "Vælg",
    "Choose options": "Vælg",
    "Select...": "Vælg …",
    "No options to select": "Ingen valgmuligheder",
    "No options to select.": "Ingen valgmuligheder",
    "No results": "Ingen resultater",
    "Clear all": "Ryd alt",
    "Clear value": "Ryd værdien",
    "Clear": "Ryd",
    "Delete": "Slet",
    "open": "åbn",
    "Open": "Åbn",
    "Close": "Luk",
    "close": "luk",
    "Dismiss": "Luk",
    "View more": "Vis flere",
    "View less": "Vis færre",
    "Press Enter to apply": "Tryk Enter for at bruge",
    "Press Enter to submit form": "Tryk Enter for at sende formularen",
    "Press Enter to submit": "Tryk Enter for at sende",
    "Press ⌘+Enter to apply": "Tryk ⌘+Enter for at bruge",
    "Press Ctrl+Enter to apply": "Tryk Ctrl+Enter for at bruge",
    "Press Enter to add": "Tryk Enter for at tilføje",
    "Running...": "Arbejder …",
    "Running": "Arbejder",
    "Stop": "Stop",
    "Rerun": "Kør igen",
    "Deploy": "Udgiv",
    "Connecting": "Forbinder",
    "Connecting...": "Forbinder …",
    "Please wait...": "Vent venligst …",
    "Page not found": "Siden findes ikke",
    "The page that you have requested does not seem to exist": "Den side, du har bedt om, ser ikke ud til at findes",
    "The page that you have requested does not seem to exist.": "Den side, du har bedt om, ser ikke ud til at findes.",
    "Connection error": "Forbindelsen er afbrudt",
    "Connection timed out.": "Forbindelsen svarede ikke.",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:": "Portalen svarer ikke lige nu. Prøv igen om lidt, eller kontakt IT, hvis det bliver ved.",
    "Source file changed.": "Portalen er opdateret.",
    "Source file changed": "Portalen er opdateret",
    "Always rerun": "Opdatér altid",
    "Auto rerun": "Opdatér automatisk",
    "Scroll tabs left": "Rul fanerne til venstre",
    "Scroll tabs right": "Rul fanerne til højre",
    "Navigate to home page": "Gå til forsiden",
    "Notifications": "Beskeder",
    "Toolbar action": "Værktøj",
    "Get help": "Få hjælp",
    "Report a bug": "Meld en fejl",
    "Theme": "Tema",
    "Unknown error": "Ukendt fejl",
    "Unknown Error": "Ukendt fejl",
    "Request timed out": "Forespørgslen svarede ikke",
    "Main menu": "Hovedmenu",
    "Open sidebar": "Åbn sidepanelet",
    "Close sidebar": "Luk sidepanelet",
    "Collapse sidebar": "Skjul sidepanelet",
    "Expand sidebar": "Vis sidepanelet",
    "Open menu": "Åbn menuen",
    "App pages": "Sider",
    "Sidebar": "Sidepanel",
    "sidebar": "sidepanel",
    "Show password": "Vis koden",
    "Hide password": "Skjul koden",
    "Show password text": "Vis koden",
    "Hide password text": "Skjul koden",
    "Increment": "Op",
    "Decrement": "Ned",
    "Download": "Hent",
    "Download as CSV": "Hent som CSV",
    "Search": "Søg",
    "Fullscreen": "Fuld skærm",
    "Exit fullscreen": "Afslut fuld skærm",
    "View fullscreen": "Vis i fuld skærm",
    "Close fullscreen": "Luk fuld skærm",
    "Copy to clipboard": "Kopiér",
    "Copied to clipboard": "Kopieret",
    "Copy": "Kopiér",
    "Copied!": "Kopieret!",
    "Show data": "Vis data",
    "Show/hide columns": "Vis/skjul kolonner",
    "Add row": "Tilføj række",
    "Delete rows": "Slet rækker",
    "Drag and drop file here": "Træk en fil hertil",
    "Drag and drop files here": "Træk filer hertil",
    "Browse files": "Vælg filer",
    "Upload": "Vælg fil",
    "file upload": "Vælg fil",
    "Remove file": "Fjern filen",
    "Delete file": "Slet filen",
    "dd.mm.yyyy": "dd.mm.åååå",
    "DD.MM.YYYY": "DD.MM.ÅÅÅÅ",
    "yyyy": "åååå",
    "YYYY": "ÅÅÅÅ",
    "hh": "tt",
    "AM/PM": "AM/PM",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": "Brug piletasterne til at gå mellem datoerne. Enter vælger, Escape lukker.",
    "Use arrow keys to navigate dates.": "Brug piletasterne til at gå mellem datoerne.",
    "Choose date": "Vælg dato",
    "Select a date.": "Vælg en dato.",
    "Select a date": "Vælg en dato",
    "Choose a date": "Vælg en dato",
    "Choose a date range": "Vælg en periode",
    "Choose date range": "Vælg periode",
    "Quick select a date range": "Vælg en periode hurtigt",
    "Select a date range": "Vælg en periode",
    "Select a date range.": "Vælg en periode.",
    "Select a time.": "Vælg et tidspunkt.",
    "Select time": "Vælg tidspunkt",
    "Choose a time": "Vælg et tidspunkt",
    "Previous month.": "Forrige måned.",
    "Next month.": "Næste måned.",
    "Previous month": "Forrige måned",
    "Next month": "Næste måned",
    "Next": "Næste",
    "Previous": "Forrige",
    "Select month": "Vælg måned",
    "Select year": "Vælg år",
    "day": "dag",
    "month": "måned",
    "year": "år",
    "Day": "Dag",
    "Month": "Måned",
    "Year": "År",
    "Today": "I dag",
    "Calendar": "Kalender",
    "Calendar.": "Kalender.",
    "Selected.": "Valgt.",
    "Not available.": "Ikke tilgængelig.",
    "Selected date.": "Valgt dato.",
    "Choose": "Vælg",
    "Error": "Fejl",
    "Warning": "Advarsel",
    "Info": "Information",
    "Success": "Udført",
    "Print": "Udskriv",
    "Settings": "Indstillinger",
    "Record a screencast": "Optag skærmen",
    "About": "Om",
    "Clear cache": "Ryd cachen",
    "Toggle sidebar": "Vis/skjul sidepanelet",
    "Loading...": "Indlæser …",
    "Show more": "Vis mere",
    "Show less": "Vis mindre",
    "Sunday": "søndag", "Monday": "mandag", "Tuesday": "tirsdag", "Wednesday": "onsdag",
    "Thursday": "torsdag", "Friday": "fredag", "Saturday": "lørdag",
    "Su": "sø", "Mo": "ma", "Tu": "ti", "We": "on", "Th": "to", "Fr": "fr", "Sa": "lø",
    "January": "januar", "February": "februar", "March": "marts", "April": "april", "May": "maj",
    "June": "juni", "July": "juli", "August": "august", "September": "september",
    "October": "oktober", "November": "november", "December": "december",
}

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"

# (regular expression over the whole text, JavaScript replacement with $1 …)
PATTERNS: list[tuple[str, str]] = [
    (r"^View (\d+) more$", "Vis $1 mere"),
    (r"^View (\d+) less$", "Vis $1 færre"),
    (r"^Help for (.+)$", "Hjælp til $1"),
    (r"^(?:View )?[Ff]ullscreen: (.+)$", "Fuld skærm: $1"),
    (r"^(?:Exit|Close) fullscreen: (.+)$", "Luk fuld skærm: $1"),
    (rf"^({_MONTHS}) (\d{{4}})$", "$1 $2"),
    (rf"^Choose date, ({_MONTHS}) (\d{{4}})$", "Vælg dato, $1 $2"),
    (r"^Choose date, (.+)$", "Vælg dato, $1"),
    (r"^Choose date range(.*)$", "Vælg periode$1"),
    (rf"^Choose ({_DAYS}), ({_MONTHS}) (\d+)\w*,? (\d{{4}})\.?(.*)$", "Vælg $1 den $3. $2 $4.$5"),
    (rf"^({_DAYS}), ({_MONTHS}) (\d+)\w*,? (\d{{4}})$", "$1 den $3. $2 $4"),
    (r"^You have requested page (.+), but no corresponding file was found in the app's pages/ directory\. Running the app's main page\.$",
     "Siden $1 findes ikke. Du ser i stedet forsiden."),
    (r"^You have requested page (.+), but no corresponding file was found in the app's pages/ directory\.?(.*)$",
     "Siden $1 findes ikke."),
    (r"^Press (.+) to (apply|submit)$", "Tryk $1 for at bruge"),
    (r"^Selected (\d+) of (\d+)$", "$1 af $2 valgt"),
    # the file uploader's limit line: "200MB per file • DOCX", "Limit 200MB per file • DOCX"
    (r"^(?:Limit )?(\d+)\s?([KMG]B) per file(.*)$", "Højst $1 $2 pr. fil$3"),
    # the date and time fields' parts as screen readers hear them: "day, Gælder fra", "12 – December"
    (r"^day, (.+)$", "dag, $1"),
    (r"^month, (.+)$", "måned, $1"),
    (r"^year, (.+)$", "år, $1"),
    (r"^hour, (.+)$", "time, $1"),
    (r"^minute, (.+)$", "minut, $1"),
    (r"^second, (.+)$", "sekund, $1"),
    (r"^time, (.+)$", "tidspunkt, $1"),
    (rf"^(\d+) – ({_MONTHS})$", "$1 – $2"),
    (rf"^Selected Date: ({_MONTHS}) 0?(\d+), (\d{{4}})$", "Valgt dato: $2. $1 $3"),
    (rf"^Selected Range: ({_MONTHS}) 0?(\d+), (\d{{4}}) to ({_MONTHS}) 0?(\d+), (\d{{4}})$", "Valgt periode: $2. $1 $3 til $5. $4 $6"),
    (r"^Selected Date: (.*)$", "Valgt dato: $1"),
    (r"^Selected Time: (.*)$", "Valgt tidspunkt: $1"),
    # the calendar's days as react-aria names them in an English browser
    (rf"^Today, ({_DAYS}), ({_MONTHS}) (\d+), (\d{{4}}) selected$", "I dag, $1 den $3. $2 $4, valgt"),
    (rf"^Today, ({_DAYS}), ({_MONTHS}) (\d+), (\d{{4}})$", "I dag, $1 den $3. $2 $4"),
    (rf"^({_DAYS}), ({_MONTHS}) (\d+), (\d{{4}}) selected$", "$1 den $3. $2 $4, valgt"),
    (r"^Empty$", "Tom"),
    # a Material icon's label ("person icon", "add icon"): the icon is decoration
    (r"^[a-z0-9_]+ icon$", "ikon"),
]

# Texts a user must never see in the portal (checked in the browser tests).
FORBIDDEN: list[str] = [
    "Skip to main content", "View more", "View less", "Choose an option", "Choose options", "Help for",
    "Page not found", "Running...", "Press Enter to apply", "Press Enter to submit form",
    "Press ⌘+Enter to apply", "Press Ctrl+Enter to apply", "No results", "Clear all", "Show password",
    "Drag and drop", "Browse files", "Select a date", "Copy to clipboard", "Fullscreen", "Show data",
    "Use arrow keys", "Choose date", "does not seem to exist", "Connection error", "Is Streamlit still running", "Scroll tabs", "Main menu", "Open sidebar", "Close sidebar", "App pages", "Download as CSV",
    "Link to heading", "per file", "file upload", " icon", "yyyy", "Selected Date", "day, ", "month, ", "year, ",
    "hour, ", "minute, ", "Selected Time", "Today, ",
]
# English month names as the date field's parts speak them ("12 – December"); case matters, as
# the Danish names are the same words in lower case.
FORBIDDEN_CASED: list[str] = [f" – {month}" for month in _MONTHS.split("|")]
# Whole texts (not substrings) that are English: short words that occur inside Danish words.
FORBIDDEN_WHOLE: list[str] = ["Sidebar", "day", "month", "year", "Close", "Search", "Clear", "Rerun", "Deploy", "Upload", "Empty", "Next", "Previous"]

MONTH_DANISH = {en: EXACT[en] for en in _MONTHS.split("|")}
DAY_DANISH = {en: EXACT[en] for en in _DAYS.split("|")}


def _fill(replacement: str, match: re.Match[str]) -> str:
    """replacement with $1, $2, ... replaced by the groups of match."""
    return re.sub(r"\$(\d)", lambda m: match.group(int(m.group(1))), replacement)


def translate(text: str) -> str | None:
    """The Danish for one of Streamlit's English interface texts, or None if it is not one.
    The same rules as the browser script (used to test them)."""
    stripped = text.strip()
    if stripped in EXACT:
        return text.replace(stripped, EXACT[stripped])
    for pattern, replacement in PATTERNS:
        match = re.match(pattern, stripped)
        if match:
            danish = _danish_names(_fill(replacement, match))
            return text.replace(stripped, danish)
    return None


def _danish_names(text: str) -> str:
    for english, danish in {**MONTH_DANISH, **DAY_DANISH}.items():
        text = re.sub(rf"\b{english}\b", danish, text)
    return text
