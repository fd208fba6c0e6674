"""Output and input shapes of the ratings API. Lists carry no unmasked personal data: the
applicant's name only, phones masked; the full number is revealed (and audited) through
``/api/v1/applicants/<id>/identity/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals.catalogue import RiskLevel
from portal.accounts.masking import mask_phone
from portal.ratings.models import (
    AppealDecision,
    CallChannel,
    CallOutcome,
    RatingChannel,
)
from portal.ratings.steps import Level, RatableStep


def _choices_help(choices) -> str:
    """Values and labels as help text (plain fields: enum names stay unique in the schema)."""
    return "；".join(f"{value} {label}" for value, label in choices.choices)


LEVEL_HELP = _choices_help(Level)
RATING_CHANNEL_HELP = _choices_help(RatingChannel)
CALL_CHANNEL_HELP = _choices_help(CallChannel)
CALL_OUTCOME_HELP = _choices_help(CallOutcome)


class CaseRef(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    matter = serializers.CharField(source="matter.name")
    applicant = serializers.CharField(source="applicant.name")

    class Meta:
        ref_name = "RatingCaseRef"


class PersonRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")

    class Meta:
        ref_name = "RatingPersonRef"


class RatingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = CaseRef()
    step = serializers.ChoiceField(choices=RatableStep.choices)
    step_label = serializers.CharField(source="get_step_display")
    level = serializers.IntegerField(help_text=LEVEL_HELP)
    level_label = serializers.CharField(source="get_level_display")
    comment = serializers.CharField()
    channel = serializers.CharField(help_text=RATING_CHANNEL_HELP)
    on_behalf = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    rectification = serializers.SerializerMethodField()

    class Meta:
        ref_name = "Rating"

    def get_rectification(self, obj) -> int | None:
        item = getattr(obj, "rectification", None)
        return item.pk if item else None


class RatingInput(serializers.Serializer):
    case = serializers.IntegerField()
    step = serializers.ChoiceField(choices=RatableStep.choices)
    level = serializers.IntegerField(help_text=LEVEL_HELP)
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    max_length=1000)
    channel = serializers.CharField(required=False, default=RatingChannel.ONLINE,
                                    help_text=RATING_CHANNEL_HELP)

    class Meta:
        ref_name = "RatingInput"


class LevelShareOutput(serializers.Serializer):
    level = serializers.IntegerField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.FloatField()

    class Meta:
        ref_name = "RatingLevelShare"


class StatsOutput(serializers.Serializer):
    total = serializers.IntegerField()
    levels = LevelShareOutput(many=True)
    satisfied_percent = serializers.FloatField()
    bad = serializers.IntegerField()

    class Meta:
        ref_name = "RatingStats"


class StepOutput(serializers.Serializer):
    step = serializers.CharField(source="code")
    label = serializers.CharField()
    rating = RatingOutput(allow_null=True)
    can_rate = serializers.BooleanField()

    class Meta:
        ref_name = "RatingStep"


class CallOutput(serializers.Serializer):
    id = serializers.IntegerField()
    channel = serializers.CharField(help_text=CALL_CHANNEL_HELP)
    outcome = serializers.CharField(help_text=CALL_OUTCOME_HELP)
    satisfied = serializers.BooleanField(allow_null=True)
    response = serializers.CharField()
    called_at = serializers.DateTimeField()
    called_by = PersonRef()

    class Meta:
        ref_name = "RatingCallRecord"


class CallInput(serializers.Serializer):
    channel = serializers.CharField(help_text=CALL_CHANNEL_HELP)
    outcome = serializers.CharField(help_text=CALL_OUTCOME_HELP)
    response = serializers.CharField(required=False, allow_blank=True, default="",
                                     max_length=2000)
    called_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    class Meta:
        ref_name = "RatingCallInput"


class AppealOutput(serializers.Serializer):
    reason = serializers.CharField()
    filed_at = serializers.DateTimeField()
    decision = serializers.CharField()
    decision_note = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "RatingAppeal"


class RectificationOutput(serializers.Serializer):
    """Staff see who handles and the call records; the applicant side does not."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    case = CaseRef()
    rating = RatingOutput()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    due_date = serializers.DateField()
    opened_at = serializers.DateTimeField()
    measures = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    dismiss_reason = serializers.CharField()
    appeal_due = serializers.DateField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    appeal = serializers.SerializerMethodField()
    assignee = PersonRef(allow_null=True, required=False)
    calls = CallOutput(many=True, source="calls.all", required=False)

    class Meta:
        ref_name = "RatingRectification"

    @extend_schema_field(AppealOutput(allow_null=True))
    def get_appeal(self, obj):
        appeal = getattr(obj, "appeal", None)
        return AppealOutput(appeal).data if appeal else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("staff"):
            data.pop("assignee", None)
            data.pop("calls", None)
        return data


class RectificationBrief(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    case = CaseRef()
    step = serializers.CharField(source="rating.step")
    level = serializers.IntegerField(source="rating.level")
    status = serializers.CharField()
    due_date = serializers.DateField()
    assignee = PersonRef(allow_null=True)
    opened_at = serializers.DateTimeField()

    class Meta:
        ref_name = "RatingRectificationSummary"


class AssignInput(serializers.Serializer):
    assignee = serializers.IntegerField(help_text="工作人员用户编号")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)

    class Meta:
        ref_name = "RatingAssignInput"


class MeasuresInput(serializers.Serializer):
    measures = serializers.CharField(max_length=2000)

    class Meta:
        ref_name = "RatingMeasuresInput"


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)

    class Meta:
        ref_name = "RatingReasonInput"


class DecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=AppealDecision.choices)
    note = serializers.CharField(max_length=2000)

    class Meta:
        ref_name = "RatingDecisionInput"


class CallbackTaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    day = serializers.DateField(source="sample.day")
    case = CaseRef()
    applicant_phone = serializers.SerializerMethodField()
    assignee = PersonRef(allow_null=True)
    status = serializers.CharField()
    outcome = serializers.CharField()
    completed_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "CallbackTask"

    def get_applicant_phone(self, obj) -> str:
        return mask_phone(obj.case.applicant.phone)


class CallbackTaskDetailOutput(CallbackTaskOutput):
    applicant_id = serializers.IntegerField(source="case.applicant_id")
    calls = CallOutput(many=True, source="calls.all")

    class Meta:
        ref_name = "CallbackTaskDetail"


class SampleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    day = serializers.DateField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    seed = serializers.CharField()
    population = serializers.ListField(child=serializers.IntegerField())
    chosen = serializers.ListField(child=serializers.IntegerField())
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "CallbackSample"


class SampleDetailOutput(SampleOutput):
    verified = serializers.BooleanField()
    recomputed = serializers.ListField(child=serializers.IntegerField())
    population_matches = serializers.BooleanField()

    class Meta:
        ref_name = "CallbackSampleDetail"


class AlertOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    rule = serializers.CharField()
    rule_label = serializers.CharField(source="get_rule_display")
    level = serializers.CharField(help_text=_choices_help(RiskLevel))
    level_label = serializers.CharField(source="get_level_display")
    subject = serializers.CharField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    case_number = serializers.CharField(source="case.number", allow_null=True, default=None)
    description = serializers.CharField()
    details = serializers.JSONField()
    status = serializers.CharField()
    raised_at = serializers.DateTimeField()
    evidence_at = serializers.DateTimeField()
    assignee = PersonRef(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True)
    assign_note = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)
    close_note = serializers.CharField()

    class Meta:
        ref_name = "RiskAlert"


class NoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000)

    class Meta:
        ref_name = "RiskAlertNoteInput"
