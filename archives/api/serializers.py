"""Output shapes of the archive API (personal data masked in lists)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from archives.masking import applicant_label


class PackageRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    matter_code = serializers.CharField(source="case.matter.code")
    matter = serializers.CharField(source="case.matter.name")
    applicant = serializers.SerializerMethodField(help_text="自然人姓名已脱敏")
    outcome = serializers.CharField()
    closed_on = serializers.DateField()
    classification_code = serializers.CharField()
    classification = serializers.CharField(source="classification_name")
    retention = serializers.CharField()
    retention_review_date = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    binding_status = serializers.CharField()

    class Meta:
        ref_name = "ArchivePackageRow"

    def get_applicant(self, package) -> str:
        return applicant_label(package.case.applicant)


class DocumentOutput(serializers.Serializer):
    seq = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    doc_number = serializers.CharField()
    date = serializers.DateField(source="doc_date")
    pages = serializers.IntegerField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    path = serializers.CharField()
    owned = serializers.BooleanField(help_text="归档时生成、由档案保存的文件")
    destroyed_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "ArchiveDocument"


class LoanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    package = serializers.IntegerField(source="package_id")
    package_number = serializers.CharField(source="package.number")
    borrower_name = serializers.CharField()
    borrower_unit = serializers.CharField()
    purpose = serializers.CharField()
    lent_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    returned_at = serializers.DateTimeField(allow_null=True)
    return_note = serializers.CharField()
    overdue = serializers.BooleanField(source="is_overdue")

    class Meta:
        ref_name = "ArchiveLoan"


class PaperOutput(serializers.Serializer):
    box_number = serializers.CharField()
    volume_number = serializers.CharField()
    shelf_location = serializers.CharField()
    binding_status = serializers.CharField()

    class Meta:
        ref_name = "ArchivePaper"


class PackageOutput(PackageRowOutput):
    closing_status = serializers.CharField()
    bound_at = serializers.DateTimeField()
    bound_by = serializers.CharField(source="bound_by.username")
    seal = serializers.CharField()
    catalogue_sha256 = serializers.CharField()
    document_count = serializers.IntegerField()
    page_count = serializers.IntegerField()
    destroyed_at = serializers.DateTimeField(allow_null=True)
    paper = serializers.SerializerMethodField()
    documents = DocumentOutput(many=True, source="documents.all")
    open_loan = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ArchivePackage"

    @extend_schema_field(PaperOutput)
    def get_paper(self, package) -> dict:
        return PaperOutput(package).data

    @extend_schema_field(LoanOutput(allow_null=True))
    def get_open_loan(self, package) -> dict | None:
        loan = package.loans.filter(returned_at__isnull=True).first()
        return LoanOutput(loan).data if loan else None


class ProblemOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="changed（被改动）/ missing（缺失）/ extra（多出）/ "
                                           "manifest（清单或封存哈希不符）")
    path = serializers.CharField()
    detail = serializers.CharField()

    class Meta:
        ref_name = "ArchiveVerifyProblem"


class VerifyOutput(serializers.Serializer):
    number = serializers.CharField()
    ok = serializers.BooleanField()
    checked = serializers.IntegerField()
    changed = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
    extra = serializers.ListField(child=serializers.CharField())
    problems = ProblemOutput(many=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ArchiveVerifyReport"

    def get_summary(self, report) -> str:
        return report.summary()


class DestructionItemOutput(serializers.Serializer):
    package = serializers.IntegerField(source="package_id")
    package_number = serializers.CharField(source="package.number")
    reason = serializers.CharField()
    files_deleted = serializers.IntegerField()
    originals_kept = serializers.IntegerField()

    class Meta:
        ref_name = "ArchiveDestructionItem"


class DestructionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField()
    proposed_by = serializers.CharField(source="proposed_by.username")
    proposed_at = serializers.DateTimeField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True,
                                       default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    items = DestructionItemOutput(many=True, source="items.all")

    class Meta:
        ref_name = "ArchiveDestructionList"
