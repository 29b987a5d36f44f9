"""Structure of official documents: cover, title, headings, provisions, sentences, numerals, dates."""
