"""好差评 records: ratings, the rectification items bad ratings open and their appeals,
callback samples and call records, and risk alerts (内控)."""

from portal.ratings.models.alerts import AlertStatus, RiskAlert, RiskRule  # noqa: F401
from portal.ratings.models.calls import (  # noqa: F401
    CallbackSample,
    CallbackTask,
    CallbackTaskStatus,
    CallChannel,
    CallOutcome,
    CallRecord,
)
from portal.ratings.models.ratings import (  # noqa: F401
    Appeal,
    AppealDecision,
    Rating,
    RatingChannel,
    Rectification,
    RectificationStatus,
)
