"""Every event has a Chinese template whose three parts render: a title, a body with the
link, and an SMS signed with the bureau's short name."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.notifications.events import EVENTS
from portal.notifications.rendering import render_message

CONTEXT = {"case_number": "SP-JY-2026-000012", "matter": "食品经营许可", "applicant": "张三",
           "title": "好味道饭店", "promised_date": date(2026, 12, 1), "note": "意见",
           "at": datetime(2026, 11, 20, 3, tzinfo=UTC), "items": [], "label": "审查环节",
           "due_date": date(2026, 11, 24), "remaining": 1, "overdue_by": 3, "limit": 5,
           "when": datetime(2026, 11, 25, 1, 30, tzinfo=UTC), "place": "解放路100号"}


@pytest.mark.parametrize("event", sorted(EVENTS))
@pytest.mark.parametrize("audience", ["applicant", "staff"])
def test_every_event_renders_title_body_and_sms(event, audience):
    rendered = render_message(event, CONTEXT | {"audience": audience}, link="/cases/12/")
    assert "SP-JY-2026-000012" in rendered.title and "\n" not in rendered.title
    assert "http://localhost:8000/cases/12/" in rendered.body
    assert rendered.sms.startswith("【示例审批】") and len(rendered.sms) > 12
    assert "{{" not in rendered.body + rendered.sms and "\n" not in rendered.sms


def test_dates_are_written_the_chinese_way_in_local_time():
    body = render_message("case_accepted", CONTEXT).body
    assert "2026年11月20日受理" in body and "2026年12月1日" in body


def test_sms_site_url_comes_from_settings(settings):
    settings.ONESEAL_SITE_URL = "https://zwfw.example.gov.cn"
    body = render_message("case_issued", CONTEXT, link="/cases/12/").body
    assert "https://zwfw.example.gov.cn/cases/12/" in body
