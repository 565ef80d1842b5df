"""PDF drawing building block: Helvetica text without embedded fonts, and page surgery that
never parses the original content streams. Used by stamps, certified copies and previews."""
