"""Approvals models: the catalogue, the case records, and the intake records."""

from approvals.catalogue import (  # noqa: F401
    Bundle,
    BundleItem,
    MaterialRequirement,
    Matter,
    MatterSettingChange,
    RiskLevel,
)
from approvals.models.case import (  # noqa: F401
    Case,
    CaseParticipant,
    CaseStage,
    CaseStatusChange,
    StagePause,
)
from approvals.models.certificate import Certificate  # noqa: F401
from approvals.models.intake import (  # noqa: F401
    AgentAuthorization,
    CaseGroup,
    CaseMaterial,
    Commitment,
    Deficiency,
    Notice,
    SupplementItem,
    SupplementRequest,
)
from approvals.models.review import CaseReturn, ReturnReason, ReviewOpinion  # noqa: F401
