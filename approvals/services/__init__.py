"""Approvals services: the only code that changes a case. Views and APIs call these."""

from approvals.services.cases import (  # noqa: F401
    case_allowed_transitions,
    case_create,
    case_number_for,
    case_transition,
    case_update_draft,
)
from approvals.services.catalogue import matter_set_single_approver  # noqa: F401
