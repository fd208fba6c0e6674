"""Experts models: the pool (专家库), recorded draws with their invitations, and review
meetings with independent score sheets and signed minutes."""

from experts.models.draws import (  # noqa: F401
    ACTIVE_INVITATION_STATES,
    DrawRound,
    DrawStatus,
    ExpertDraw,
    Invitation,
    InvitationStatus,
    MeetingMode,
)
from experts.models.meetings import (  # noqa: F401
    MeetingItem,
    MeetingMinutes,
    MeetingOutcome,
    MeetingStatus,
    ReviewMeeting,
    ScoreSheet,
)
from experts.models.pool import (  # noqa: F401
    Expert,
    ExpertField,
    ExpertImport,
    ExpertRating,
    ExpertRelation,
    ExpertUnavailability,
)
