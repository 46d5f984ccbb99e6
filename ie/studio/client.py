"""The connection to a Label Studio server: settings, the SDK client, projects, and errors.

Every SDK or HTTP failure becomes an ``InputError`` with one of the E020-E024 messages, so the CLI
prints one line and exits 2. The API key never appears in a message: ``redact`` removes it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ie.errors import Errors, InputError
from ie.paths import CONFIGS

DEFAULT_URL = "http://localhost:8080"
LABEL_CONFIG = CONFIGS / "labeling.xml"
SPAN_CONTROL = "label"  # <Labels name="label" ...> in configs/labeling.xml
TEXT_OBJECT = "text"  # <Text name="text" value="$text"/>


@dataclass(frozen=True)
class Settings:
    url: str
    api_key: str

    def __repr__(self) -> str:  # never print the key, not even in a traceback's locals
        return f"Settings(url={self.url!r}, api_key='***')"


def settings(url: str | None, api_key: str | None) -> Settings:
    """--url/--api-key, else LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY."""
    url = url or os.environ.get("LABEL_STUDIO_URL") or DEFAULT_URL
    api_key = api_key or os.environ.get("LABEL_STUDIO_API_KEY") or ""
    if not api_key:
        raise InputError(Errors.E023)
    return Settings(url.rstrip("/"), api_key)


def shown_url(url: str) -> str:
    """The URL without user:password@, as it may appear in messages."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def redact(message: str, secret: str) -> str:
    return message.replace(secret, "***") if secret else message


@contextmanager
def studio_errors(config: Settings) -> Iterator[None]:
    """Turn connection and API failures into one-line ``InputError``s without the key."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    url = shown_url(config.url)
    try:
        yield
    except httpx.TransportError as error:
        reason = redact(str(error) or type(error).__name__, config.api_key)
        raise InputError(Errors.E020.format(url=url, reason=reason)) from None
    except ApiError as error:
        status = error.status_code
        if status in (401, 403):
            raise InputError(Errors.E021.format(url=url, status=status)) from None
        reason = redact(_api_reason(error.body), config.api_key)
        raise InputError(Errors.E022.format(status=status, reason=reason)) from None


def _api_reason(body: object) -> str:
    if isinstance(body, dict):
        detail = body.get("validation_errors") or body.get("detail") or body
        return str(detail)[:300]
    return str(body)[:300]


def connect(config: Settings):
    """An SDK client whose key the server has accepted (checked with one request)."""
    from label_studio_sdk import LabelStudio

    client = LabelStudio(base_url=config.url, api_key=config.api_key, timeout=60)
    with studio_errors(config):
        client.users.whoami()
    return client


def label_config() -> str:
    return LABEL_CONFIG.read_text(encoding="utf-8")


def find_project(client, name_or_id: str):
    """The project with this id (digits) or title, or None."""
    if name_or_id.isdigit():
        from label_studio_sdk.core.api_error import ApiError

        try:
            return client.projects.get(int(name_or_id))
        except ApiError as error:
            if error.status_code == 404:
                return None
            raise
    for project in client.projects.list(title=name_or_id):
        if project.title == name_or_id:
            return project
    # older servers ignore the title filter; the loop above already saw every project then
    return None


def get_project(client, name_or_id: str):
    project = find_project(client, name_or_id)
    if project is None:
        raise InputError(Errors.E024.format(project=name_or_id))
    return project


def get_or_create_project(client, name_or_id: str):
    """An existing project, or a new one titled ``name_or_id`` with configs/labeling.xml."""
    project = find_project(client, name_or_id)
    if project is not None:
        return project, False
    if name_or_id.isdigit():
        raise InputError(Errors.E024.format(project=name_or_id))
    # Label Studio wants a title of 3 to 50 characters
    created = client.projects.create(title=name_or_id, label_config=label_config())
    return client.projects.get(created.id), True
