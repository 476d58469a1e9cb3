"""Production settings plus the bench-only ceiling URLs (``ceiling_urls``). Only ``path.py``
serves these; the product's URLs never include them."""

from querela.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ceiling_urls"
