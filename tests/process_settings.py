"""Settings for the worker and scheduler processes the fault tests start: the production
settings, on the test's own database (reached through the test's proxy on PostgreSQL)."""

import json
import os

from querela.settings import *  # noqa: F403
from querela.settings import DATABASES

DATABASES["default"].update(json.loads(os.environ["QUERELA_TEST_DATABASE"]))
