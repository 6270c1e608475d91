"""Search: the Whoosh index and its Danish analysis, compound splitting, the query plan, snippets, and the synonym and law-map configuration."""
