"""Property: damage clean text at random, in the ways scraped pages are damaged; the loader recovers it.

The clean articles come from bench/damage.py's own word lists (not from the seeds or the web), with
random site names, page sizes, date formats, metadata keys, pinyin, comma damage, stray spaces,
a site's, a post's and a platform's furniture (a messaging app's page tail, a disclaimer, Markdown
marks, an end mark or an editor's credit after the last sentence), page counters between doc-share
pages, scripts and encodings.
"""

from __future__ import annotations

import random

from damage import damaged_file, make_article, to_script
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_site.clean import Context
from corpus_site.convert import to_simplified
from corpus_site.decode import decode
from corpus_site.loader import load_document


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), traditional=st.booleans())
def test_loader_recovers_damaged_articles(seed: int, traditional: bool) -> None:
    rng = random.Random(seed)
    clean = make_article(rng)
    article = to_script(clean, traditional)
    damaged = damaged_file(article, rng, traditional)
    data, encoding = damaged.data, damaged.encoding
    decoded = decode(data)
    assert decoded.text.replace("\r", "").startswith(
        data.decode(encoding).lstrip("\ufeff")[:20].replace("\r", "")
    )
    loaded = load_document("doc", "doc.txt", decoded, Context())
    assert loaded.document is not None
    document = loaded.document
    recovered = "".join(p.text for p in document.paragraphs)
    assert recovered == "".join(clean.paragraphs)
    assert document.metadata.title == to_simplified(clean.title)
    assert document.metadata.title_inferred is False
    if damaged.states_metadata:
        assert document.metadata.source == clean.source
        assert document.metadata.author == clean.author
        assert document.metadata.date == clean.date
        assert [p.text for p in document.paragraphs] == clean.paragraphs
    assert document.script == ("traditional" if traditional else "simplified")
