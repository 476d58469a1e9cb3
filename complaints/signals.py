"""What the domain tells the layers above it, which it may not import (the layers contract in
``pyproject.toml``): they connect to these in their ``AppConfig.ready``. For side work of a
higher layer only: what the procedure itself does (the acknowledgement, the webhook event) is
called from the write path, where a reader follows it, never from a receiver."""

from django.dispatch import Signal

# A complaint was registered, by any face (the web form, the staff's registration, the
# mailbox's queue, the API): sent inside the filing's transaction with ``complaint``. A
# receiver that starts work elsewhere starts it on commit.
complaint_filed = Signal()
