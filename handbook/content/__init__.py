"""Guidelines as content: the Guideline model and front-matter parsing, the loaded library, rendering to safe HTML, the printable page, and ids from the address bar."""
