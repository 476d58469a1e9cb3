"""The mailbox reader with a thousand mails waiting.

For each of ``--runs`` runs (3), in a fresh process: a fresh SQLite database in a temporary
VAR_DIR with the demo configuration and 100 complaints, a fresh dovecot on loopback (as the
tests start it) holding ``--mails`` (1,000) mails put in with IMAP APPEND: 60 % replies to our
mails (In-Reply-To), 30 % new e-mails with a PDF, 10 % out-of-office replies. Then measures:

- the reference: fetching every mail over IMAP into a temporary file, nothing else;
- the reader: ``inbox.reader.read_once``, which takes them all (store, reply, mark).

Prints wall time of each, and the process's peak memory (max RSS) before and after reading:
memory must not grow with the number of mails.

    .venv/bin/python bench/mailbox.py [--mails 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import PYTHON
from worklist import setup_django

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 50_000


def one_run(mails: int) -> dict[str, float]:
    var_dir = Path(tempfile.mkdtemp(prefix="querela-bench-mailbox-"))
    setup_django(var_dir, None)
    import datetime
    from email.message import EmailMessage

    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from complaints.models import Channel, ComplainantKind, IncomingMail
    from complaints.services import complaint_submit
    from configuration.demo import load_demo_configuration
    from configuration.models import Category
    from inbox.reader import ImapSource, connect, fetch, read_once, waiting
    from messaging.models import OutboxMessage

    sys.path.insert(0, str(ROOT))
    from tests.imap import start_dovecot

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = var_dir / "media"
    call_command("migrate", verbosity=0)
    load_demo_configuration()
    category = Category.objects.get(code="waiting-time")
    for number in range(100):
        complaint_submit(
            channel=Channel.WEB,
            complainant_kind=ComplainantKind.PERSON,
            first_name="Anne",
            last_name=f"Dupont {number}",
            email=f"anne{number}@example.be",
            language="fr",
            category=category,
            facts_start=timezone.localdate() - datetime.timedelta(days=10),
            description="J'attends une réponse.",
        )
    ours = list(OutboxMessage.objects.values_list("message_id", "to"))
    server, stop = start_dovecot(settings)
    try:
        client = server.client()
        for index in range(mails):
            message = EmailMessage()
            message_id, to = ours[index % len(ours)]
            kind = index % 10
            message["From"] = to if kind < 6 else f"new{index}@example.be"
            message["To"] = "klachten@example.org"
            message["Subject"] = "Automatic reply" if kind == 9 else f"Mail {index}"
            message["Message-ID"] = f"<bench{index}@example.be>"
            if kind < 6 or kind == 9:
                message["In-Reply-To"] = message_id
            message.set_content(f"Mail number {index}.\n" + "Du texte. " * 200)
            if 6 <= kind < 9:
                message.add_attachment(PDF, maintype="application", subtype="pdf",
                                       filename="lettre.pdf")  # fmt: skip
            client.append("INBOX", message.as_bytes())
        client.logout()
        reader = connect()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as directory:
            for uid in waiting(reader):
                arrived = fetch(reader, uid, Path(directory))
                assert arrived is not None
                arrived.path.unlink()
        reference = time.perf_counter() - started
        started = time.perf_counter()
        taken = read_once(ImapSource(reader))
        elapsed = time.perf_counter() - started
        reader.logout()
        assert taken == mails == IncomingMail.objects.count(), (taken, mails)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        stop()
    return {"reference_s": reference, "read_s": elapsed, "rss_before_mb": rss_before,
            "rss_after_mb": rss_after}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        print(json.dumps(one_run(options.mails)))
        return
    print(f"{platform.node()} {os.cpu_count()} cores; load {os.getloadavg()}")
    results = []
    for run in range(options.runs):
        out = subprocess.run(  # noqa: S603
            [PYTHON, __file__, "--one", "--mails", str(options.mails)],
            capture_output=True, text=True, check=True, cwd=ROOT,
        ).stdout  # fmt: skip
        result = json.loads(out.strip().splitlines()[-1])
        results.append(result)
        print(f"run {run + 1}: " + ", ".join(f"{k} {v:.1f}" for k, v in result.items()))
    for key in results[0]:
        print(f"median {key}: {statistics.median(r[key] for r in results):.1f}")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
