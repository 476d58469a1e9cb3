"""What a deployment configures: the organisation, its categories, deadlines, closing days,
the triage questions and the bodies it forwards to. Nothing here is specific to one service;
the demo data (``load_demo``) fills it with POD Maatschappelijke Integratie's values.

Texts that a complainant reads exist once per language: a field ``name`` becomes the columns
``name_nl``, ``name_fr``, ``name_de`` and ``name_en``, and ``obj.translated("name")`` picks the
one for the active language (falling back to the default language).
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES: tuple[str, ...] = ("nl", "fr", "de", "en")


class ConfigurationVersion(models.Model):
    """One row whose ``stamp`` changes with every change to the configuration. Each process
    keeps the configuration in memory (``configuration.cache``) and reads only this row per
    request to know whether its copy is still current. A random stamp rather than a counter:
    a restored backup or a rolled-back transaction cannot bring back a number that a process
    has already seen with other data."""

    stamp = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("configuration version")
        verbose_name_plural = _("configuration version")

    def __str__(self) -> str:
        return self.stamp


def configuration_changed() -> None:
    """Tells every process, on every machine, that the configuration changed: their cached
    copies are reloaded on their next request. Called by every write to a configuration model
    (``ConfigurationModel``), in the same transaction as the write."""
    stamp = uuid.uuid4().hex
    if not ConfigurationVersion.objects.filter(pk=1).update(stamp=stamp):
        ConfigurationVersion.objects.update_or_create(pk=1, defaults={"stamp": stamp})
    from configuration import cache

    cache.forget_for_this_request()


class ConfigurationQuerySet(models.QuerySet[Any]):
    """Bulk writes to the configuration also change its version."""

    def update(self, **kwargs: Any) -> int:
        with transaction.atomic(using=self.db):
            count = super().update(**kwargs)
            configuration_changed()
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=self.db):
            deleted = super().delete()
            configuration_changed()
        return deleted

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            configuration_changed()
        return created

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        with transaction.atomic(using=self.db):
            count = super().bulk_update(objs, fields, batch_size)
            configuration_changed()
        return count


class ConfigurationModel(models.Model):
    """A part of the configuration: every write to it changes the configuration's version, so
    that the copies the web processes keep in memory are reloaded (``configuration.cache``)."""

    objects = ConfigurationQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            configuration_changed()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=kwargs.get("using")):
            deleted = super().delete(*args, **kwargs)
            configuration_changed()
        return deleted


class TranslatedModel(ConfigurationModel):
    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        code = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        value: str = getattr(self, f"{field}_{code}", "") or ""
        return value or str(getattr(self, f"{field}_{settings.LANGUAGE_CODE}", ""))


def add_translated_field(
    model: type[models.Model], name: str, make_field: Callable[[str], models.Field[str, str]]
) -> None:
    """Adds ``name_<code>`` for every language; ``make_field`` gets the language code."""
    for code in LANGUAGE_CODES:
        model.add_to_class(f"{name}_{code}", make_field(code))


def _char(
    label: str, *, required: bool = True, max_length: int = 200
) -> Callable[[str], models.Field[str, str]]:
    return lambda code: models.CharField(
        f"{label} ({code})", max_length=max_length, blank=not required or code != "nl"
    )


def _text(label: str) -> Callable[[str], models.Field[str, str]]:
    return lambda code: models.TextField(f"{label} ({code})", blank=True)


def _url(label: str) -> Callable[[str], models.Field[str, str]]:
    return lambda code: models.URLField(f"{label} ({code})", blank=True)


def _email(label: str) -> Callable[[str], models.Field[str, str]]:
    return lambda code: models.EmailField(f"{label} ({code})", blank=True)


class Organisation(TranslatedModel):
    """The service that receives complaints. One row (pk=1); ``Organisation.current()``."""

    short_name = models.CharField(_("short name"), max_length=40)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo_url = models.CharField(
        _("logo URL"), max_length=300, blank=True, help_text=_("An absolute URL or a static path.")
    )
    privacy_email = models.EmailField(_("data protection officer's e-mail"), blank=True)
    holiday_country = models.CharField(
        _("public holidays of country"),
        max_length=2,
        default="BE",
        help_text=_("ISO code; the public holidays of this country are closing days."),
    )
    ombudsman_phone = models.CharField(_("Ombudsman phone"), max_length=40, blank=True)
    retention_years = models.PositiveSmallIntegerField(
        _("years before personal data is anonymised"), default=5
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> Organisation:
        """The organisation as this process has it cached: read it, do not change it."""
        from configuration import cache

        return cache.current().organisation


# Addresses, websites and mailboxes differ per language in a bilingual country: the French
# page and letter give the French address ("rue de Louvain", not "Leuvenseweg").
add_translated_field(Organisation, "name", _char("name"))
add_translated_field(Organisation, "postal_address", _text("postal address"))
add_translated_field(Organisation, "ombudsman_name", _char("Ombudsman's name", required=False))
add_translated_field(Organisation, "ombudsman_website", _url("Ombudsman website"))
add_translated_field(Organisation, "ombudsman_address", _text("Ombudsman postal address"))
add_translated_field(Organisation, "ombudsman_email", _email("Ombudsman e-mail"))


class Category(TranslatedModel):
    """What a complaint is about (R3-R7): accessibility, information, waiting, behaviour, other."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.translated("label")


add_translated_field(Category, "label", _char("label"))
add_translated_field(Category, "help", _text("explanation"))


class DeadlineKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("acknowledgement of receipt")
    ANSWER = "answer", _("answer")
    OMBUDSMAN_REQUEST = "ombudsman_request", _("reply to an Ombudsman request")


class DayCount(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")


class DeadlinePolicy(ConfigurationModel):
    """How long the service has for one kind of deadline, and how days are counted (E4)."""

    DEFAULTS: dict[str, tuple[int, str]] = {
        DeadlineKind.ACKNOWLEDGEMENT: (2, DayCount.WORKING),
        DeadlineKind.ANSWER: (14, DayCount.CALENDAR),
        DeadlineKind.OMBUDSMAN_REQUEST: (15, DayCount.CALENDAR),
    }

    kind = models.CharField(_("deadline"), max_length=30, choices=DeadlineKind.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("number of days"))
    counting = models.CharField(_("days counted as"), max_length=10, choices=DayCount.choices)
    remind_days_before = models.PositiveSmallIntegerField(
        _("reminder (working days before)"), default=1
    )
    pauses_while_waiting = models.BooleanField(
        _("stops while waiting for the complainant"),
        default=False,
        help_text=_(
            "For the answer: the deadline stops while the service waits for information it "
            "asked the complainant for, and moves by the days it stood still."
        ),
    )

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days} {self.get_counting_display()}"

    @classmethod
    def for_kind(cls, kind: str) -> DeadlinePolicy:
        """The configured policy (from the process's cache) or the legal default."""
        from configuration import cache

        configured = cache.current().policies.get(kind)
        if configured is not None:
            return configured
        days, counting = cls.DEFAULTS[kind]
        return DeadlinePolicy(kind=kind, days=days, counting=counting)


class RecurringClosingDay(ConfigurationModel):
    """A day the service is closed every year besides public holidays (15 November, federal)."""

    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    label = models.CharField(_("label"), max_length=100)

    class Meta:
        ordering = ["month", "day"]
        unique_together = [("month", "day")]
        verbose_name = _("closing day every year")
        verbose_name_plural = _("closing days every year")

    def __str__(self) -> str:
        return f"{self.day:02d}/{self.month:02d} {self.label}"

    def clean(self) -> None:
        import datetime

        try:
            datetime.date(2024, self.month, self.day)  # a leap year admits 29 February
        except (TypeError, ValueError):
            raise ValidationError(_("This is not a day of the year.")) from None


class ClosingDay(ConfigurationModel):
    """A one-off closing day, such as a bridge day; staff add these each year."""

    date = models.DateField(_("date"), unique=True)
    label = models.CharField(_("label"), max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closing day")
        verbose_name_plural = _("closing days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.label}"


class Ground(models.TextChoices):
    """The legal grounds of inadmissibility; their codes are stable (REQUIREMENTS G1-G9)."""

    ANONYMOUS = "G1", _("G1: anonymous complaint")
    NOT_MOTIVATED = "G2", _("G2: the reasons are not described")
    TOO_OLD = "G3", _("G3: facts more than one year before the complaint")
    NOT_COMPETENT = "G4", _("G4: facts outside the service's competence")
    APPEAL_EXISTS = "G5", _("G5: an administrative appeal procedure exists")
    IN_COURT = "G6", _("G6: the facts are part of a court procedure")
    WITH_OMBUDSMAN = "G7", _("G7: a procedure with the Federal Ombudsman has started")
    POLICY = "G8", _("G8: about the policy of the Minister or Secretary of State")
    REGULATIONS = "G9", _("G9: about existing regulations")


class TriageQuestion(TranslatedModel):
    """A yes/no question asked before the form (R8, E2). A "yes" shows the advice (where to go
    instead) and, where the question maps to a ground, the manager later sees it proposed."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    ground = models.CharField(
        _("ground it points to"),
        max_length=2,
        choices=Ground.choices,
        blank=True,
        help_text=_(
            "Leave empty for a question that points to something other than a ground, "
            "such as a request for information."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("triage question")
        verbose_name_plural = _("triage questions")

    def __str__(self) -> str:
        return self.translated("question")


add_translated_field(TriageQuestion, "question", _char("question", max_length=300))
add_translated_field(TriageQuestion, "help", _text("explanation"))
add_translated_field(TriageQuestion, "advice", _text("advice when the answer is yes"))


class CompetentBody(TranslatedModel):
    """A body a complaint outside the service's competence can be forwarded to (G4, E6)."""

    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="nl",
        help_text=_("A complaint forwarded to this body is written in this language."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("competent body")
        verbose_name_plural = _("competent bodies")

    def __str__(self) -> str:
        return self.translated("name")


add_translated_field(CompetentBody, "name", _char("name"))


class Unit(TranslatedModel):
    """A department of the service; handlers belong to one, complaints are assigned to one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.translated("name")


add_translated_field(Unit, "name", _char("name"))


class Norm(TranslatedModel):
    """A norm of good administration (E8), recorded as breached on a founded complaint."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("norm of good administration")
        verbose_name_plural = _("norms of good administration")

    def __str__(self) -> str:
        return self.translated("label")


add_translated_field(Norm, "label", _char("label"))


class FilingAddressKind(models.TextChoices):
    EXEMPT = "exempt", _("not limited")
    OWN_LIMIT = "own_limit", _("a limit of its own")


def _valid_network(value: str) -> None:
    try:
        ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise ValidationError(
            _("Enter an address (192.0.2.10) or a network (192.0.2.0/24).")
        ) from None


class FilingAddress(ConfigurationModel):
    """An address or network from which people file complaints for others: the service's own
    counters, a partner office (an OCMW/CPAS social worker). Complaints filed from there are
    not counted against the limit per address, or against a limit of their own; the limit per
    e-mail address (one person) applies as everywhere."""

    name = models.CharField(_("name"), max_length=200)
    network = models.CharField(
        _("address or network"),
        max_length=50,
        validators=[_valid_network],
        help_text=_("As the web server sees it, e.g. 192.0.2.10 or 192.0.2.0/24."),
    )
    kind = models.CharField(
        _("filing limit"),
        max_length=10,
        choices=FilingAddressKind.choices,
        default=FilingAddressKind.OWN_LIMIT,
    )
    per_hour = models.PositiveIntegerField(
        _("complaints per hour"),
        default=100,
        help_text=_("Only for a limit of its own; per address."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("filing address of an intermediary")
        verbose_name_plural = _("filing addresses of intermediaries")

    def __str__(self) -> str:
        return f"{self.name} ({self.network})"

    def covers(self, address: str) -> bool:
        try:
            return ipaddress.ip_address(address) in ipaddress.ip_network(
                self.network.strip(), strict=False
            )
        except ValueError:
            return False


class WebhookEvent(models.TextChoices):
    FILED = "complaint.filed", _("a complaint is filed")
    DECIDED = "complaint.decided", _("admissibility is decided")
    ANSWERED = "complaint.answered", _("the final answer is sent")
    CLOSED = "complaint.closed", _("a complaint is closed")


def _all_events() -> list[str]:
    return [event.value for event in WebhookEvent]


class WebhookReceiver(ConfigurationModel):
    """A system told of what happens to complaints (a records-management system, say): each
    event it subscribes to is posted to ``url``, signed with ``secret`` (HMAC-SHA256)
    (``messaging.webhooks``). Part of the configuration snapshot, so that the write paths find
    the receivers of an event without a query."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    # The receiver checks the signature with the same secret, so it is kept as it is (a hash
    # could not sign); the admin never shows it again once saved.
    secret = models.CharField(
        _("shared secret"),
        max_length=200,
        help_text=_("At least 32 characters; the receiver checks each body's signature with it."),
    )
    events = models.JSONField(_("events"), default=_all_events)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook receiver")
        verbose_name_plural = _("webhook receivers")

    def __str__(self) -> str:
        return self.name
