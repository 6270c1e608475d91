"""The portal checks its content files every few seconds, not on every page run: an edit on disk
still shows within seconds, and a version published in the portal shows on the next run."""

import time

from portal import resources
from tests.conftest import guideline_text, write

GUIDELINE = "views/retningslinje.py"


def test_a_guideline_edited_on_disk_shows_within_a_few_seconds(make_app, content_root):
    path = write(content_root / "guidelines" / "a.md", guideline_text())
    app = make_app(content_root=content_root, page=GUIDELINE, id="underretninger")
    assert app.title[0].value == "Modtagelse af underretninger"

    write(path, guideline_text(title="Modtagelse og vurdering af underretninger", version='version: "1.1"'))
    edited = time.monotonic()
    while app.title[0].value == "Modtagelse af underretninger" and time.monotonic() - edited < 15:
        time.sleep(0.25)
        app.run()
    assert not app.exception
    assert app.title[0].value == "Modtagelse og vurdering af underretninger"
    assert time.monotonic() - edited <= resources.CONTENT_CHECK_SECONDS + 3
