"""Parts of pages that are too big for one page file (views/ pages stay under ~150 lines).
Like views/, they only gather input and render; decisions are made in handbook/."""
