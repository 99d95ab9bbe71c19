"""Personal data in what was said: names, places, numbers and dates found in transcript words.

Text analysis only: no Qt, no database, no media. presidio with spaCy's small English
pipeline and UK recognisers."""
