"""Settings for the worker and scheduler processes the fault tests start: the suite's own
settings, on the test's own database (reached through the test's proxy on PostgreSQL)."""

import json
import os

from querela.settings_test import *  # noqa: F403
from querela.settings_test import DATABASES

DATABASES["default"].update(json.loads(os.environ["QUERELA_TEST_DATABASE"]))
