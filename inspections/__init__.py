"""Inspections (勘验/踏勘): standards, tasks, scheduling, scoring, media, reports, video."""
