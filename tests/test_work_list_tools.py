"""The work list as a tool: headers that sort, the columns a person chooses, saved views (own
and shared with a unit, counted on the dashboard), and actions on a selection that go through
the write paths, one audit row per complaint."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from access.models import AuditAction, AuditEntry
from complaints.models import CLOSED, Complaint
from complaints.queries import SORT_KEYS
from configuration.models import Unit
from improvement.models import (
    ActionComplaint,
    ImprovementAction,
    Theme,
    ThemeExclusion,
    ThemeMember,
)
from staff.models import SavedView, WorkListSettings
from tests.conftest import Cast
from tests.helpers import file_complaint

WORK_LIST = "/nl/staff/complaints/"


def listed(client: Client, query: str = "") -> list[str]:
    page = client.get(WORK_LIST + query)
    assert page.status_code == 200
    return re.findall(r">(\d{4}-\d{6})</a>", page.content.decode())


@pytest.fixture
def three(cast: Cast, client: Client) -> list[Complaint]:
    made = []
    for name, channel, language in [
        ("A", "phone", "fr"),
        ("B", "web", "nl"),
        ("C", "letter", "de"),
    ]:
        complaint = file_complaint(client, last_name=name)
        Complaint.objects.filter(pk=complaint.pk).update(channel=channel, language=language)
        complaint.refresh_from_db()
        made.append(complaint)
    return made


def test_a_column_header_sorts_and_sorts_back_and_says_so(
    cast: Cast, three: list[Complaint]
) -> None:
    staff = cast.client_for(cast.manager)
    by_channel = sorted(three, key=lambda c: (c.channel, c.pk))
    assert listed(staff, "?sort=channel") == [c.reference for c in by_channel]
    assert listed(staff, "?sort=-channel") == [c.reference for c in reversed(by_channel)]
    WorkListSettings.objects.create(user=cast.manager, columns=["channel"])
    html = staff.get(WORK_LIST + "?sort=channel").content.decode()
    header = re.search(
        r'<th scope="col" aria-sort="(\w+)"><a href="([^"]+)" data-sort="channel"', html
    )
    assert header is not None
    assert header.group(1) == "ascending"
    assert "sort=-channel" in header.group(2)


def test_every_sortable_column_answers_both_ways(cast: Cast, three: list[Complaint]) -> None:
    staff = cast.client_for(cast.manager)
    for sort in sorted(SORT_KEYS):
        assert sorted(listed(staff, f"?sort={sort}")) == sorted(c.reference for c in three)


def test_an_unknown_sort_falls_back_to_the_next_deadline(
    cast: Cast, three: list[Complaint]
) -> None:
    staff = cast.client_for(cast.manager)
    assert listed(staff, "?sort=description") == listed(staff)


def test_a_person_chooses_the_columns_and_keeps_them(cast: Cast, three: list[Complaint]) -> None:
    staff = cast.client_for(cast.handler)
    manager = cast.client_for(cast.manager)
    response = manager.post(
        WORK_LIST + "columns/",
        {"columns": ["channel", "language"], "back": "sort=channel"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?sort=channel")
    html = manager.get(WORK_LIST).content.decode()
    assert 'data-sort="language"' in html and 'data-label="Taal"' in html
    assert 'data-sort="handler"' not in html
    assert 'data-sort="handler"' in staff.get(WORK_LIST).content.decode()  # theirs unchanged


def test_a_saved_view_is_listed_with_its_count_and_shared_with_the_unit(
    cast: Cast, three: list[Complaint]
) -> None:
    front = Unit.objects.get(code="front-office")
    Complaint.objects.filter(pk=three[0].pk).update(unit=front)
    owner = cast.client_for(cast.handler)  # unit front-office
    owner.post(
        WORK_LIST + "views/",
        {"view-name": "Telefoon", "view-shared": "on", "back": "channel=phone&page=3"},
    )
    view = SavedView.objects.get()
    assert view.query == "channel=phone" and view.unit == front
    assert "Telefoon" in owner.get(WORK_LIST).content.decode()
    dashboard = owner.get("/nl/staff/deadlines/").content.decode()
    assert re.search(r">Telefoon</a> <small>\(gedeeld\)</small>: 1<", dashboard), dashboard
    # Another unit's handler does not see it; only the owner deletes it.
    other = cast.client_for(cast.other_handler)
    assert "Telefoon" not in other.get(WORK_LIST).content.decode()
    other.post(f"{WORK_LIST}views/{view.pk}/delete/")
    assert SavedView.objects.exists()
    owner.post(f"{WORK_LIST}views/{view.pk}/delete/")
    assert not SavedView.objects.exists()


def test_a_bulk_assignment_goes_through_the_write_path_with_one_audit_row_each(
    cast: Cast, three: list[Complaint]
) -> None:
    staff = cast.client_for(cast.manager)
    response = staff.post(
        WORK_LIST + "bulk/",
        {
            "bulk-selected": [c.pk for c in three],
            "bulk-action": "assign",
            "bulk-handler": cast.handler.pk,
        },
        follow=True,
    )
    assert "3 klachten gewijzigd." in response.content.decode()
    front = Unit.objects.get(code="front-office")
    for complaint in three:
        complaint.refresh_from_db()
        assert complaint.handler == cast.handler and complaint.unit == front
        assert (
            AuditEntry.objects.filter(complaint=complaint, action=AuditAction.CHANGE).count() == 1
        )


def test_a_bulk_action_says_which_complaints_it_refused(cast: Cast, three: list[Complaint]) -> None:
    Complaint.objects.filter(pk=three[0].pk).update(concerned_staff=cast.handler)
    staff = cast.client_for(cast.manager)
    html = staff.post(
        WORK_LIST + "bulk/",
        {
            "bulk-selected": [c.pk for c in three],
            "bulk-action": "assign",
            "bulk-handler": cast.handler.pk,
        },
        follow=True,
    ).content.decode()
    assert "2 klachten gewijzigd." in html
    assert three[0].reference + ":" in html


def test_moving_to_a_unit_takes_off_a_handler_of_another_unit(
    cast: Cast, three: list[Complaint]
) -> None:
    front = Unit.objects.get(code="front-office")
    other = Unit.objects.exclude(pk=front.pk).first()
    Complaint.objects.filter(pk=three[0].pk).update(unit=front, handler=cast.handler)
    cast.client_for(cast.manager).post(
        WORK_LIST + "bulk/",
        {"bulk-selected": [three[0].pk], "bulk-action": "unit", "bulk-unit": other.pk},  # type: ignore[union-attr]
    )
    three[0].refresh_from_db()
    assert three[0].unit == other and three[0].handler is None


def test_bulk_linking_to_an_improvement_action(cast: Cast, three: list[Complaint]) -> None:
    action = ImprovementAction.objects.create(
        title="Duidelijkere brieven", created_by=cast.manager, created_on=datetime.date(2026, 1, 5)
    )
    cast.client_for(cast.manager).post(
        WORK_LIST + "bulk/",
        {
            "bulk-selected": [c.pk for c in three],
            "bulk-action": "action",
            "bulk-improvement_action": action.pk,
        },
    )
    assert ActionComplaint.objects.filter(action=action).count() == 3


def test_a_handler_may_export_but_not_assign_in_bulk(cast: Cast, three: list[Complaint]) -> None:
    front = Unit.objects.get(code="front-office")
    Complaint.objects.filter(pk__in=[three[0].pk, three[1].pk]).update(unit=front)
    staff = cast.client_for(cast.handler)
    chosen = [c.pk for c in three]  # the third is not theirs: left out, unseen
    assigned = staff.post(
        WORK_LIST + "bulk/",
        {"bulk-selected": chosen, "bulk-action": "assign", "bulk-handler": cast.handler.pk},
    )
    assert assigned.status_code == 404
    exported = staff.post(WORK_LIST + "bulk/", {"bulk-selected": chosen, "bulk-action": "export"})
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert [row[0] for row in rows[1:]] == sorted([three[0].reference, three[1].reference])
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_nothing_chosen_is_said(cast: Cast, three: list[Complaint]) -> None:
    html = (
        cast.client_for(cast.manager)
        .post(WORK_LIST + "bulk/", {"bulk-action": "export"}, follow=True)
        .content.decode()
    )
    assert "Kies minstens één klacht." in html or "Choose at least one complaint." in html


def copies(complaint: Complaint, n: int, first: int) -> list[Complaint]:
    """``n`` complaints like ``complaint`` (another reference each), made without the form."""
    made = []
    for i in range(n):
        copy = Complaint.objects.get(pk=complaint.pk)
        copy.pk = None
        copy.reference = f"2026-{first + i:06d}"
        copy.save()
        made.append(copy)
    return made


def bulk_assign_queries(cast: Cast, chosen: list[Complaint]) -> tuple[int, str]:
    """The queries of one bulk assignment of ``chosen`` to the handler, and the page after."""
    staff = cast.client_for(cast.manager)
    staff.get(WORK_LIST)  # the session and the second factor read before counting
    with CaptureQueriesContext(connection) as captured:
        response = staff.post(
            WORK_LIST + "bulk/",
            {
                "bulk-selected": [c.pk for c in chosen],
                "bulk-action": "assign",
                "bulk-handler": cast.handler.pk,
            },
        )
    assert response.status_code == 302
    return len(captured), staff.get(response["Location"]).content.decode()


def test_a_bulk_assignment_of_n_complaints_writes_n_audit_rows_in_as_many_queries_for_5_as_for_50(
    cast: Cast, three: list[Complaint]
) -> None:
    queries = {}
    for n, first in [(5, 900000), (50, 910000)]:
        chosen = copies(three[0], n, first)
        # The rules still refuse, each complaint on its own: one is about the handler (E7),
        # one is closed.
        Complaint.objects.filter(pk=chosen[0].pk).update(concerned_staff=cast.handler)
        Complaint.objects.filter(pk=chosen[1].pk).update(status=CLOSED[0])
        queries[n], html = bulk_assign_queries(cast, chosen)
        changed = Complaint.objects.filter(pk__in=[c.pk for c in chosen], handler=cast.handler)
        assert changed.count() == n - 2
        audited = AuditEntry.objects.filter(
            complaint__in=[c.pk for c in chosen], action=AuditAction.CHANGE
        )
        assert audited.count() == n - 2
        assert not audited.filter(complaint__in=[chosen[0].pk, chosen[1].pk]).exists()
        assert f"{n - 2} klachten gewijzigd." in html
        assert chosen[0].reference + ":" in html and chosen[1].reference + ":" in html
    assert queries[5] == queries[50], queries


def test_bulk_putting_into_a_theme_moves_each_complaint_there_pinned_with_an_audit_row(
    cast: Cast, three: list[Complaint]
) -> None:
    theme = Theme.objects.create(name="Wachttijden")
    other = Theme.objects.create(name="Brieven")
    ThemeMember.objects.create(theme=other, complaint=three[0], similarity=0.8)
    ThemeExclusion.objects.create(theme=theme, complaint=three[1])
    html = (
        cast.client_for(cast.manager)
        .post(
            WORK_LIST + "bulk/",
            {
                "bulk-selected": [c.pk for c in three],
                "bulk-action": "theme",
                "bulk-theme": theme.pk,
            },
            follow=True,
        )
        .content.decode()
    )
    assert "3 klachten gewijzigd." in html
    members = ThemeMember.objects.filter(complaint__in=three)
    assert {(m.theme_id, m.pinned) for m in members} == {(theme.pk, True)}
    assert members.count() == 3
    assert not ThemeExclusion.objects.filter(theme=theme).exists()
    assert AuditEntry.objects.filter(detail=f"theme {theme.pk}: complaint added").count() == 3


def test_bulk_putting_into_a_merged_theme_is_refused(cast: Cast, three: list[Complaint]) -> None:
    target = Theme.objects.create(name="Wachttijden")
    merged = Theme.objects.create(name="Oud", merged_into=target)
    cast.client_for(cast.manager).post(
        WORK_LIST + "bulk/",
        {"bulk-selected": [three[0].pk], "bulk-action": "theme", "bulk-theme": merged.pk},
    )
    assert not ThemeMember.objects.exists()
