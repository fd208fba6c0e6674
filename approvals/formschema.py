"""Application forms defined in the catalogue (``Matter.form_schema``), validated on the
server. Pure functions: a field is ``{"name", "label", "type", "required"[, "choices"]}``
with type text / textarea / number / date / select."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_LEN = {"text": 200, "textarea": 2000}


def _clean_value(spec: dict, raw) -> tuple[object, str | None]:
    kind = spec.get("type", "text")
    text = "" if raw is None else str(raw).strip()
    if kind in MAX_LEN:
        if len(text) > MAX_LEN[kind]:
            return text, _("不能超过 {n} 个字。").format(n=MAX_LEN[kind])
        return text, None
    if kind == "number":
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text, _("请填写数字。")
        if not number.is_finite() or number < 0:
            return text, _("请填写不小于 0 的数字。")
        return (int(number) if number == number.to_integral_value() else str(number)), None
    if kind == "date":
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return text, _("请按“年-月-日”填写日期，例如 2026-12-01。")
    if kind == "select":
        if text not in spec.get("choices", []):
            return text, _("请从列表中选择。")
        return text, None
    return text, None


def form_clean(schema: list[dict], data: dict, *, complete: bool) -> tuple[dict, dict]:
    """(cleaned answers, errors by field name). Unknown keys are dropped; blanks are kept
    out of the answers; required fields are checked only when ``complete`` is asked."""
    cleaned, errors = {}, {}
    data = data or {}
    for spec in schema:
        name = spec["name"]
        raw = data.get(name)
        if raw is None or str(raw).strip() == "":
            if complete and spec.get("required"):
                errors[name] = _("“{label}”为必填项。").format(label=spec.get("label", name))
            continue
        value, error = _clean_value(spec, raw)
        if error:
            errors[name] = f"{spec.get('label', name)}：{error}"
        else:
            cleaned[name] = value
    return cleaned, errors
