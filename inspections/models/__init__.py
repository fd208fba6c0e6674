"""Inspection records (勘验/踏勘): standards, requests, tasks, booking and reports."""

from inspections.models.booking import Booking, Slot
from inspections.models.requests import InspectionRequest
from inspections.models.standards import (
    CaseStandard,
    Category,
    GuidanceMedia,
    Standard,
    StandardItem,
    StandardVersion,
)
from inspections.models.tasks import (
    OPEN_TASK_STATES,
    Assignment,
    AssignmentDraw,
    Conclusion,
    ConflictDeclaration,
    InspectionReport,
    InspectionTask,
    InspectorAbsence,
    InspectorProfile,
    ItemEvidence,
    Outcome,
    Result,
    TaskItem,
    TaskStatus,
    Trip,
)
from inspections.video.models import (  # noqa: E402
    CallFallback,
    CallLocation,
    CallRecording,
    RecordingChunk,
)

__all__ = [
    "OPEN_TASK_STATES", "Assignment", "AssignmentDraw", "Booking", "CaseStandard", "Category",
    "Conclusion", "ConflictDeclaration", "GuidanceMedia", "InspectionReport",
    "InspectionRequest", "InspectionTask", "InspectorAbsence", "InspectorProfile",
    "ItemEvidence", "Outcome", "Result", "Slot", "Standard", "StandardItem", "StandardVersion",
    "TaskItem", "TaskStatus", "Trip", "CallFallback", "CallLocation", "CallRecording",
    "RecordingChunk",
]
