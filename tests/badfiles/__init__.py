"""Bad-input corpus for ``perfkit validate`` (generated: see make_corpus.py)."""
