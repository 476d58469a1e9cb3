"""The layers move (staff members and the audit log to ``access``, the rate-limit windows to
``common``) keeps every row: a database filled by the version before the move is migrated
forward, and a backup made before the move restores."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from access.models import AuditAction, AuditEntry, Role, StaffMember
from common.models import RateWindow
from complaints.models import Complaint
from tests.helpers import file_complaint

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]

BEFORE_THE_MOVE = [("staff", "0001_staff_roles_and_audit_log"), ("portal", "0001_rate_windows")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_migrating_a_database_filled_before_the_move_keeps_every_row(client: Client) -> None:
    complaint = file_complaint(client)
    leaf = list(MigrationExecutor(connection).loader.graph.leaf_nodes())
    _migrate(BEFORE_THE_MOVE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE_THE_MOVE).apps
    user = old.get_model("auth", "User").objects.create(username="anna", email="anna@example.be")
    unit = old.get_model("configuration", "Unit").objects.first()
    old.get_model("staff", "StaffMember").objects.create(
        user=user, role="handler", unit=unit, language="fr"
    )
    old.get_model("staff", "AuditEntry").objects.create(
        actor=user, action="view", complaint_id=complaint.pk, detail="read it"
    )
    old.get_model("portal", "RateWindow").objects.create(key="filing:x", hits=3, ends=1e10)
    ContentType.objects.get_or_create(app_label="staff", model="staffmember")

    _migrate(leaf)

    member = StaffMember.objects.select_related("user", "unit").get(user__username="anna")
    assert (member.role, member.language, member.unit_id) == (Role.HANDLER, "fr", unit.pk)
    entry = AuditEntry.objects.get(actor=member.user, detail="read it")
    assert (entry.action, entry.complaint_id) == (AuditAction.VIEW, complaint.pk)
    assert RateWindow.objects.get(key="filing:x").hits == 3
    assert ContentType.objects.filter(app_label="access", model="staffmember").exists()
    assert not ContentType.objects.filter(app_label="staff", model="staffmember").exists()


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    extracted = tar.extractfile(member)
    assert extracted is not None
    return extracted.read()


def test_a_backup_made_before_the_move_restores(client: Client, tmp_path: Path) -> None:
    file_complaint(client)
    user = User.objects.create(username="bert")
    StaffMember.objects.create(user=user, role=Role.MANAGER)
    AuditEntry.objects.create(actor=user, action=AuditAction.VIEW, detail="old backup")
    archive = tmp_path / "new.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    # The same backup as the version before the move wrote it: the models' old labels.
    with tarfile.open(archive, "r:gz") as tar:
        contents = {m.name: (m, _read(tar, m)) for m in tar.getmembers() if m.isfile()}
    rows = json.loads(contents.pop("data.json")[1])
    others = list(contents.values())
    old_labels = {
        "access.staffmember": "staff.staffmember",
        "access.auditentry": "staff.auditentry",
    }
    for row in rows:
        row["model"] = old_labels.get(row["model"], row["model"])
    assert any(row["model"] == "staff.staffmember" for row in rows)
    old_archive = tmp_path / "old.tar.gz"
    with tarfile.open(old_archive, "w:gz") as tar:
        for member, content in [(tarfile.TarInfo("data.json"), json.dumps(rows).encode()), *others]:
            member.size = len(content)
            tar.addfile(member, io.BytesIO(content))
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(old_archive), stdout=io.StringIO())

    assert Complaint.objects.count() == 1
    assert StaffMember.objects.get(user__username="bert").role == Role.MANAGER
    assert AuditEntry.objects.filter(detail="old backup").exists()
