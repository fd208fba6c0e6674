"""Models of 审管互动: departments and their users, the outbox with claims, and the
departments' requests back to the bureau."""

from portal.regulators.models.departments import (  # noqa: F401
    RegulatorDepartment,
    RegulatorMembership,
)
from portal.regulators.models.outbox import CLAIMABLE, Claim, EventKind, OutboxEvent  # noqa: F401
from portal.regulators.models.requests import (  # noqa: F401
    RegulatorRequest,
    RequestAttachment,
    RequestKind,
    RequestStatus,
)
