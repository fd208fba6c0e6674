"""The application form of a matter (``Matter.form_schema``) as page fields: read the typed
answers from a POST, merge a bundle's schemas, and describe each field for the template
(its value as typed, its error). Validation itself is ``approvals.formschema.form_clean``
inside ``case_save_form``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PREFIX = "f_"


@dataclass
class PageField:
    name: str
    label: str
    type: str
    required: bool
    choices: list[str]
    value: str
    error: str = ""

    @property
    def input_name(self) -> str:
        return PREFIX + self.name

    @property
    def input_id(self) -> str:
        return "field-" + self.name

    @property
    def input_type(self) -> str:
        """Browser input type; a date that is not ISO is shown as typed text."""
        if self.type == "date":
            try:
                if self.value:
                    date.fromisoformat(self.value)
                return "date"
            except ValueError:
                return "text"
        return "text"


def merge_schemas(schemas: list[list[dict]]) -> list[dict]:
    """One form for a bundle: the first schema, then the others' new fields by name."""
    seen, merged = set(), []
    for schema in schemas:
        for spec in schema or []:
            if spec["name"] not in seen:
                seen.add(spec["name"])
                merged.append(spec)
    return merged


def posted_answers(schema: list[dict], post) -> dict[str, str]:
    """The answers as typed, for the fields the form sent (a blank one clears the field;
    a field the form did not send is left as it was)."""
    return {spec["name"]: post[PREFIX + spec["name"]] for spec in schema
            if PREFIX + spec["name"] in post}


def page_fields(schema: list[dict], values: dict, errors: dict | None = None) -> list[PageField]:
    errors = errors or {}
    return [PageField(name=spec["name"], label=spec.get("label", spec["name"]),
                      type=spec.get("type", "text"), required=bool(spec.get("required")),
                      choices=list(spec.get("choices", [])),
                      value="" if values.get(spec["name"]) is None else str(values[spec["name"]]),
                      error=errors.get(spec["name"], ""))
            for spec in schema]
