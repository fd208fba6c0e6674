"""Personal data in archive lists: a natural person's name is masked (张*明), an
organisation's is public registration data and shown in full."""

from __future__ import annotations

from portal.accounts.masking import mask_name

__all__ = ["applicant_label", "mask_name"]


def applicant_label(applicant) -> str:
    if applicant.kind == "organisation":
        return applicant.name
    return mask_name(applicant.name)
