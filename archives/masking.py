"""Personal data in archive lists: a natural person's name is masked (张*明), an
organisation's is public registration data and shown in full."""

from __future__ import annotations


def mask_name(name: str) -> str:
    name = name or ""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def applicant_label(applicant) -> str:
    if applicant.kind == "organisation":
        return applicant.name
    return mask_name(applicant.name)
