"""Notification services: the only code that writes notifications, preferences and the
outbox. Views, APIs, tasks, receivers and the deadline sweep call these."""

from portal.notifications.services.notify import (  # noqa: F401
    notification_mark_all_read,
    notification_mark_read,
    notify,
    notify_phone,
)
from portal.notifications.services.outbox import (  # noqa: F401
    outbox_deliver_due,
    outbox_deliver_one,
    outbox_retry,
)
from portal.notifications.services.preferences import (  # noqa: F401
    preference_channels,
    preferences_update,
)
from portal.notifications.services.transitions import case_transition_notify  # noqa: F401
