"""Personal API tokens of staff members. The token itself is shown once, when it is made; the
table keeps its SHA-256 hash (for look-up) and its first characters (so that its owner can
tell their tokens apart)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "qrl_"


class Scope(models.TextChoices):
    READ = "read", _("read only")
    WRITE = "write", _("read and write")


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters, to recognise it in the list; too few to guess the rest.
    shown = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.shown}… ({self.scope})"

    @classmethod
    def issue(
        cls, *, user: User, name: str, scope: Scope, expires_at: datetime.datetime
    ) -> tuple[ApiToken, str]:
        """A new token for ``user``; returns the row and the token, which is never stored."""
        token = PREFIX + secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user,
            name=name,
            shown=token[: len(PREFIX) + 4],
            token_hash=hash_api_token(token),
            scope=scope,
            expires_at=expires_at,
        )
        return row, token

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
