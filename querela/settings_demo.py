"""The demo's settings (``python3 dev.py run``): production's (``querela.settings``) with the
demo accounts and their mailbox page, no second factor, a fixed secret key and cookies over
plain HTTP on a laptop. A deployment never uses this module.
"""

from __future__ import annotations

import os

# The demo signs with a published key unless it is given one.
os.environ.setdefault("SECRET_KEY", "insecure-demo-key-do-not-use-in-production")

from querela.settings import *  # noqa: F403
from querela.settings import env, env_bool

DEMO_MODE = True
# The demo's accounts have a published password and no authenticator: the demo stays one step.
SECOND_FACTOR_REQUIRED = False
# The demo runs on http://127.0.0.1.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The service's mailbox is a folder on the laptop: the demo mailbox page's reply form puts a
# complainant's answer there, and `read_mailbox` (started by dev.py) takes it within seconds.
MAILBOX_DIRECTORY = str(VAR_DIR / "service-mailbox")  # noqa: F405
MAILBOX_INTERVAL = 3
MAILBOX_REPLY_ADDRESS = env("MAILBOX_REPLY_ADDRESS", DEFAULT_FROM_EMAIL)  # noqa: F405
