"""Serializers of the pool API: experts (phones masked), their records, unavailable dates,
relations, contact data, import reports and the expert's own view."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from experts import selectors
from experts.services import spreadsheet


class FieldOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    industry = serializers.CharField()

    class Meta:
        ref_name = "ExpertFieldOutput"


class ExpertOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    fields = serializers.SerializerMethodField(method_name="field_names")
    industries = serializers.ListField(child=serializers.CharField())
    employer = serializers.CharField()
    title = serializers.CharField()
    qualifications = serializers.CharField()
    phone = serializers.CharField(source="masked_phone", help_text="脱敏；完整号码见 contact 接口")
    active = serializers.BooleanField()
    note = serializers.CharField()
    has_login = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ExpertOutput"

    def field_names(self, obj) -> list[str]:
        return sorted(f.name for f in obj.fields.all())

    def get_has_login(self, obj) -> bool:
        return obj.user_id is not None


class RecordsOutput(serializers.Serializer):
    invited = serializers.IntegerField()
    accepted = serializers.IntegerField()
    declined = serializers.IntegerField()
    timed_out = serializers.IntegerField()
    on_time = serializers.IntegerField()
    answered = serializers.IntegerField()
    on_time_rate = serializers.IntegerField(allow_null=True)
    no_shows = serializers.IntegerField()
    participated = serializers.IntegerField()
    rating_avg = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()

    class Meta:
        ref_name = "ExpertRecordsOutput"


class UnavailabilityOutput(serializers.Serializer):
    id = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    reason = serializers.CharField()

    class Meta:
        ref_name = "ExpertUnavailabilityOutput"


class RelationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    relation = serializers.CharField()
    active = serializers.BooleanField()

    class Meta:
        ref_name = "ExpertRelationOutput"


class ExpertDetailOutput(ExpertOutput):
    records = serializers.SerializerMethodField()
    unavailable = UnavailabilityOutput(many=True, source="unavailable.all")
    relations = RelationOutput(many=True, source="relations.all")

    class Meta:
        ref_name = "ExpertDetailOutput"

    @extend_schema_field(RecordsOutput)
    def get_records(self, obj) -> dict:
        return RecordsOutput(selectors.expert_records(obj)).data


class ExpertInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    fields = serializers.ListField(child=serializers.CharField(max_length=50), allow_empty=False,
                                   help_text="专业领域名称（须为已登记的领域）")
    industries = serializers.ListField(child=serializers.CharField(max_length=50),
                                       required=False, default=list)
    employer = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    qualifications = serializers.CharField(max_length=200, required=False, default="",
                                           allow_blank=True)
    phone = serializers.CharField(max_length=20)
    email = serializers.CharField(max_length=254, required=False, default="", allow_blank=True)
    active = serializers.BooleanField(required=False, default=True)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    user = serializers.IntegerField(required=False, allow_null=True, default=None,
                                    help_text="关联的登录账号（评审专家角色）")

    class Meta:
        ref_name = "ExpertInput"


class ContactOutput(serializers.Serializer):
    phone = serializers.CharField()
    email = serializers.CharField()

    class Meta:
        ref_name = "ExpertContactOutput"


class ImportRowOutput(serializers.Serializer):
    row = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=list(spreadsheet.OUTCOME_LABELS))
    name = serializers.CharField()
    expert = serializers.IntegerField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())

    class Meta:
        ref_name = "ExpertImportRow"


class ImportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    sha256 = serializers.CharField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    skipped = serializers.IntegerField()
    rows = ImportRowOutput(many=True, source="report.rows")
    ignored_columns = serializers.ListField(child=serializers.CharField(),
                                            source="report.ignored_columns")

    class Meta:
        ref_name = "ExpertImportOutput"


class InvitationBrief(serializers.Serializer):
    id = serializers.IntegerField()
    draw = serializers.CharField(source="draw.number")
    case_number = serializers.CharField(source="draw.case.number", allow_null=True)
    matter = serializers.CharField(source="draw.case.matter.name")
    applicant = serializers.CharField(source="draw.case.applicant.name")
    meeting_at = serializers.DateTimeField(source="draw.meeting_at")
    mode = serializers.CharField(source="draw.mode")
    place = serializers.CharField(source="draw.place")
    status = serializers.CharField()
    reply_due = serializers.DateTimeField()
    replied_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    meeting = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ExpertInvitationBrief"

    def get_meeting(self, obj) -> int | None:
        meeting = getattr(obj.draw, "meeting", None)
        return meeting.pk if meeting else None


class MeOutput(serializers.Serializer):
    expert = ExpertDetailOutput()
    invitations = InvitationBrief(many=True)

    class Meta:
        ref_name = "ExpertMeOutput"
