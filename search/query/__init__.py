"""From a URL to a search: parse the user's query, hold the search state, build the engine request."""
