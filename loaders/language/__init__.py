"""Language: spaCy's tokens and sentences, the trained Swedish tagger over them, cue phrase search."""
