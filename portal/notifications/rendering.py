"""Render an event's Chinese message template into a title, a body and an SMS text.

Each template (``notifications/messages/<event>.txt``) is plain text with three parts
chosen by the ``part`` variable: ``title``, ``body`` (in-app and e-mail) and ``sms``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import get_template

from portal.notifications.conf import setting
from portal.notifications.events import EVENTS

_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    sms: str


def absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return setting("ONESEAL_SITE_URL") + link


def _part(template, context: dict, part: str) -> str:
    text = template.render({**context, "part": part})
    return _BLANK_LINES.sub("\n\n", text.strip().replace("\r\n", "\n"))


def render_message(event: str, context: dict, *, link: str = "") -> Rendered:
    template = get_template(EVENTS[event].template)
    context = {"bureau": settings.BUREAU_NAME, "bureau_phone": settings.BUREAU_PHONE,
               "link": absolute(link), **context}
    title = " ".join(_part(template, context, "title").split())[:200]
    signature = f"【{settings.BUREAU_SHORT_NAME}】"
    return Rendered(title=title, body=_part(template, context, "body"),
                    sms=signature + " ".join(_part(template, context, "sms").split()))
