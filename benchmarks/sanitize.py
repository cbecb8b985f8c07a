"""Cost of the HTML sanitiser (kbtools.sanitize.clean_html) on the pages of a built site.

Takes the ``<article>`` of every page of a site built *before* sanitising (or after: the cost is
the same), cleans each one ``--repeat`` times and reports the median time for the whole site
and the throughput. The site build itself takes tens of seconds; this says what share the
sanitiser adds.

Usage: python benchmarks/sanitize.py SITE_DIR [--repeat 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kbtools.sanitize import clean_html  # noqa: E402

ARTICLE = re.compile(r"<article\b.*?</article>", re.S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    articles = [m.group(0) for p in sorted(args.site.rglob("*.html")) if (m := ARTICLE.search(p.read_text(encoding="utf-8")))]
    size = sum(len(a.encode()) for a in articles)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for article in articles:
            clean_html(article)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"{len(articles)} pages, {size / 1e6:.1f} MB of article HTML: {median * 1000:.0f} ms (median of {args.repeat}), {size / 1e6 / median:.0f} MB/s")


if __name__ == "__main__":
    main()
