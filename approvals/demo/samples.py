"""Sample application forms (样表) for the service guide: one generated PDF per matter,
attached to its application-form material, filled with example answers."""

from __future__ import annotations

from django.core.files.base import ContentFile

from approvals.demo.forms import sample_form_data
from approvals.models import Matter
from portal.core.pdf import DocumentSpec, Heading, KeyValueTable, Text, render_document


def sample_pdf_for(matter: Matter) -> bytes:
    answers = sample_form_data(matter.form_schema or [])
    rows = [(field["label"], str(answers.get(field["name"], "")))
            for field in matter.form_schema or []]
    return render_document(DocumentSpec(
        title=f"{matter.name}申请书（样表）",
        body=[Text("本样表供申请人参照填写，带“必填”的栏目须完整填写。", indent=True),
              Heading("申请事项"), KeyValueTable([("事项名称", matter.name),
                                                  ("事项编码", matter.code)]),
              Heading("申请表内容（示例）"), KeyValueTable(rows or [("—", "—")])],
        subject=f"{matter.name} 样表"))


def attach_samples() -> int:
    """Attach a sample to every application-form material that has none; returns how many."""
    attached = 0
    for matter in Matter.objects.prefetch_related("materials"):
        form = next((m for m in matter.materials.all()
                     if ("申请书" in m.name or "申请表" in m.name) and not m.sample), None)
        if form is None:
            continue
        form.sample.save(f"{matter.code}-sample.pdf", ContentFile(sample_pdf_for(matter)),
                         save=True)
        attached += 1
    return attached
