"""Notifications: in-app (live over Channels), e-mail and SMS through a database outbox,
and the working-day deadline sweep that raises yellow/red alerts and escalations."""
