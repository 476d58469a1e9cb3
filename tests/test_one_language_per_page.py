"""A page in one language shows only that language (E15): every public and back-office page,
every e-mail to the complainant and the letter to a competent body, rendered in each
language, holds no text of another.

"Text of another language" is any piece of three words or more of another catalogue's
translations, of the English messages on a page that is not English (ours, and Django's own
that its catalogue leaves untranslated), and of the configuration's other-language columns,
unless the same words are also this language's own."""

from __future__ import annotations

import datetime
import html
import pprint
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from complaints import handling
from complaints.complainant import complainant_reply
from complaints.models import Complaint, DecisionKind, Outcome
from configuration.models import LANGUAGE_CODES, CompetentBody, TranslatedModel
from messaging.models import OutboxMessage
from tests.conftest import Cast
from tests.helpers import file_complaint, triage_answers, valid_form

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    yield
    translation.deactivate()


CATALOGUES = ("nl", "fr", "de")
LOCALE = Path(settings.BASE_DIR) / "locale"
DJANGO_LOCALE = Path(django.__file__).parent / "conf" / "locale"
# What separates the pieces of a message: placeholders, template variables, tags, new lines.
SEPARATORS = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\{%.*?%\}|<[^>]+>|\n|[“”„«»]")
WORD = re.compile(r"[^\W\d_]{2,}")


def pieces(text: str) -> set[str]:
    """The parts of ``text`` between placeholders and tags that have three words or more."""
    found = set()
    for piece in SEPARATORS.split(text):
        piece = " ".join(piece.split()).strip(" :;,.·\N{EN DASH}-()")
        if len(WORD.findall(piece)) >= 3:
            found.add(piece)
    return found


def catalogue(path: Path) -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def configured_texts(language: str) -> list[str]:
    """Every translated column of the configuration in ``language``."""
    texts = []
    for model in TranslatedModel.__subclasses__():
        names = {f.name[:-3] for f in model._meta.get_fields() if f.name.endswith("_nl")}
        for row in model.objects.all():
            texts += [str(getattr(row, f"{name}_{language}") or "") for name in names]
    return texts


@cache
def own_and_foreign(language: str) -> tuple[str, frozenset[str]]:
    """The texts of ``language`` (one string to search in) and the pieces of other languages."""
    own: list[str] = configured_texts(language)
    foreign: set[str] = set()
    for code in CATALOGUES:
        for entry in catalogue(LOCALE / code / "LC_MESSAGES" / "django.po"):
            texts = translations(entry)
            if code == language:
                own += texts
                continue
            for text in texts:
                foreign |= pieces(text)
            if language == "en":
                own += [entry.msgid, entry.msgid_plural]
    if language != "en":
        for entry in catalogue(LOCALE / language / "LC_MESSAGES" / "django.po"):
            if entry.msgid not in translations(entry):
                foreign |= pieces(entry.msgid)
        # Django's own messages that its catalogue of this language does not translate.
        django_translated = {
            entry.msgid
            for entry in catalogue(DJANGO_LOCALE / language / "LC_MESSAGES" / "django.po")
            if entry.translated()
        }
        for entry in catalogue(DJANGO_LOCALE / "en" / "LC_MESSAGES" / "django.po"):
            if entry.msgid not in django_translated:
                foreign |= pieces(entry.msgid)
    for code in LANGUAGE_CODES:
        if code != language:
            for text in configured_texts(code):
                foreign |= pieces(text)
    own_text = "\n".join(" ".join(text.split()) for text in own)
    return own_text, frozenset(piece for piece in foreign if piece not in own_text)


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def foreign_in(text: str, language: str) -> list[str]:
    _own, foreign = own_and_foreign(language)
    text = " ".join(text.split())
    return sorted(piece for piece in foreign if piece in text)


def get(client: Client, url: str, **kwargs: object) -> str:
    response = client.get(url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code in {200, 404}, (url, response.status_code)
    return response.content.decode()


def post(client: Client, url: str, data: Mapping[str, object]) -> str:
    response = client.post(url, data, follow=True)
    assert response.status_code in {200, 404}, (url, response.status_code)
    return response.content.decode()


def public_pages(client: Client, language: str) -> dict[str, str]:
    """Every public page, the complaint filed on the way, and its personal link."""
    pages = {
        "home": get(client, reverse("portal:home")),
        "triage": get(client, reverse("portal:triage")),
        "accessibility": get(client, reverse("portal:accessibility")),
        "privacy": get(client, reverse("portal:privacy")),
        "lost link": get(client, reverse("portal:lost_link")),
        "lost link sent": post(client, reverse("portal:lost_link"), {"email": "x@example.be"}),
        "invalid link": get(client, reverse("portal:follow", args=["no-such-link"])),
        "advice": post(client, reverse("portal:triage"), triage_answers(appeal=True)),
    }
    client.post(reverse("portal:triage"), triage_answers())
    pages["form"] = get(client, reverse("portal:complaint_form"))
    pages["form with errors"] = post(client, reverse("portal:complaint_form"), {})
    client.post(reverse("portal:complaint_form"), valid_form(language=language))
    pages["filed"] = get(client, reverse("portal:complaint_filed"))
    return pages


def staff_pages(cast: Cast, complaint: Complaint) -> dict[str, str]:
    manager = cast.client_for(cast.manager)
    pk = complaint.pk
    message = complaint.messages.first()
    assert message is not None
    pages = {
        "login": get(Client(HTTP_HOST="localhost"), reverse("staff:login")),
        "dashboard": get(manager, reverse("staff:dashboard")),
        "work list": get(manager, reverse("staff:work_list")),
        "evaluation": get(manager, reverse("reporting:evaluation")),
        "register": get(manager, reverse("staff:register")),
        "register with errors": post(manager, reverse("staff:register"), {}),
        "admissibility": get(manager, reverse("staff:admissibility", args=[pk])),
        "complaint": get(manager, reverse("staff:complaint", args=[pk])),
        "letter": get(manager, reverse("staff:letter", args=[pk, message.pk])),
        "audit log": get(manager, reverse("staff:audit_log", args=[pk])),
        "revoke links": post(manager, reverse("staff:revoke_links", args=[pk]), {}),
    }
    handling.complaint_decide_admissibility(
        complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=cast.manager
    )
    for name in (
        "assign",
        "concerned_staff",
        "request_information",
        "interim",
        "answer",
        "ombudsman_request",
    ):
        url = reverse(f"staff:{name}", args=[pk])
        pages[name] = get(manager, url)
        pages[f"{name} with errors"] = post(manager, url, {"step": "facts"})
    pages["complaint in handling"] = get(manager, reverse("staff:complaint", args=[pk]))
    pages |= improvement_pages(cast, complaint)
    return pages


def improvement_pages(cast: Cast, complaint: Complaint) -> dict[str, str]:
    """The plan and the themes, each with an object: an action, a theme with the complaint."""
    from improvement.models import ImprovementAction, Theme, ThemeMember

    manager = cast.client_for(cast.manager)
    action = ImprovementAction.objects.create(
        title="Duidelijker brieven",
        created_on=complaint.received_at.date(),
        created_by=cast.manager,
    )
    theme = Theme.objects.create(name="Wachttijd", keywords=["wachttijd", "loket"])
    ThemeMember.objects.create(theme=theme, complaint=complaint, similarity=0.9)
    return {
        "plan": get(manager, reverse("staff:plan")),
        "new action": get(manager, reverse("staff:action_new")),
        "action": get(manager, reverse("staff:action", args=[action.pk])),
        "action edit": get(manager, reverse("staff:action_edit", args=[action.pk])),
        "themes": get(manager, reverse("staff:themes")),
        "theme": get(manager, reverse("staff:theme", args=[theme.pk])),
    }


def every_event(cast: Cast, client: Client, complaint: Complaint, token: str) -> None:
    """Gives the complaint every kind of event its timeline shows, on top of the decision, the
    request for information and the answer: the complainant's reply and addition, an interim
    message, a note, a request of the Ombudsman."""
    post(client, reverse("portal:follow_reply", args=[token]), {"text": "Hier is mijn antwoord."})
    handling.complaint_send_interim(
        complaint=complaint,
        reason="Onderzoek",
        new_due=complaint.answer_due + datetime.timedelta(days=30),
        by=cast.manager,
    )
    post(client, reverse("portal:follow_reply", args=[token]), {"text": "Nog iets erbij."})
    handling.note_add(complaint=complaint, text="Nota", by=cast.manager)
    handling.ombudsman_request_register(
        complaint=complaint,
        received_on=complaint.received_at.date(),
        summary="Vraag",
        by=cast.manager,
    )


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_page_and_message_is_in_one_language(
    cast: Cast, client: Client, language: str
) -> None:
    translation.activate(language)  # the URLs' prefix; deactivated by the fixture
    found: dict[str, list[str]] = {}
    pages = public_pages(client, language)
    complaint = Complaint.objects.get()
    # The confirmation page shows the personal link once: take it from the page seen above.
    shown = re.search(r'href="/[a-z]{2}/follow/([^/"]+)/" class="follow-link"', pages["filed"])
    assert shown is not None
    token = shown.group(1)
    pages |= staff_pages(cast, complaint)
    manager = cast.client_for(cast.manager)
    handling.complaint_request_information(
        complaint=complaint, subject="?", body="?", by=cast.manager
    )
    pages["follow, asked for information"] = get(client, reverse("portal:follow", args=[token]))
    pages["withdraw"] = get(client, reverse("portal:follow_withdraw", args=[token]))
    pages["follow, reply with errors"] = post(
        client, reverse("portal:follow_reply", args=[token]), {"text": ""}
    )
    every_event(cast, client, complaint, token)
    pages["complaint with every event"] = get(
        manager, reverse("staff:complaint", args=[complaint.pk])
    )
    handling.complaint_answer(
        parts={"findings": "Nagekeken."},
        complaint=complaint,
        outcome=Outcome.UNFOUNDED,
        by=cast.manager,
    )
    pages["follow, answered"] = get(client, reverse("portal:follow", args=[token]))
    pages["follow, not satisfied"] = post(
        client, reverse("portal:follow_satisfaction", args=[token]), {"satisfied": "no"}
    )
    pages["complaint answered"] = get(manager, reverse("staff:complaint", args=[complaint.pk]))
    for name, page in pages.items():
        assert f'lang="{language}"' in page, name
        if foreign := foreign_in(visible_text(page), language):
            found[name] = foreign
    # A complaint in another language, forwarded to a body that reads this one.
    body = CompetentBody.objects.get(name_nl="Federale Pensioendienst")
    CompetentBody.objects.filter(pk=body.pk).update(email="body@example.be", language=language)
    body.refresh_from_db()
    forwarded = file_complaint(
        client,
        page_language=language,
        language="fr" if language == "nl" else "nl",
        email="other@example.be",
    )
    handling.complaint_decide_admissibility(
        complaint=forwarded,
        kind=DecisionKind.NOT_COMPETENT,
        competent_body=body,
        forwarding_consent=True,
        by=cast.manager,
    )
    assert OutboxMessage.objects.filter(to=body.email).count() == 1
    for mail in OutboxMessage.objects.filter(to__in=[complaint.email, body.email]):
        if foreign := foreign_in(mail.body_text + visible_text(mail.body_html), language):
            found[f"mail {mail.subject}"] = foreign
    assert not found, pprint.pformat(found)


def test_the_check_finds_a_text_of_another_language(demo: None) -> None:
    """The check itself: Dutch on a French page, English on a German one."""
    with translation.override("nl"):
        dutch = translation.gettext("Describe what happened.")
    assert foreign_in(f"<p>{dutch}</p>", "fr") == [dutch.rstrip(".")]
    assert foreign_in("Describe what happened.", "de") == ["Describe what happened"]
    assert foreign_in("Select an option", "nl") == ["Select an option"]


def test_the_timeline_names_the_complainants_messages_in_the_pages_language(
    cast: Cast, client: Client
) -> None:
    """A complainant writing in French, a handler reading in Dutch: the timeline says what the
    message is in Dutch alone."""
    complaint = file_complaint(client, page_language="fr", language="fr")
    handling.complaint_decide_admissibility(
        complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=cast.manager
    )
    handling.complaint_request_information(
        complaint=complaint, subject="?", body="?", by=cast.manager
    )
    complaint.refresh_from_db()
    complainant_reply(complaint=complaint, text="Voici ma réponse.", uploads=[])
    with translation.override("nl"):
        url = reverse("staff:complaint", args=[complaint.pk])
    page = visible_text(get(cast.client_for(cast.manager), url))
    assert "antwoord van de klager" in page
    assert "réponse du plaignant" not in page
