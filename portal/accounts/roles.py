"""The roles of DOMAIN.md. A role is a Django group whose name is the role's code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    AGENT = "agent", _("帮办代办员")
    CLERK = "clerk", _("综合窗口受理员")
    REVIEWER = "reviewer", _("审查员")
    DISPATCHER = "dispatcher", _("勘验调度员")
    INSPECTOR = "inspector", _("勘验员")
    EXPERT = "expert", _("评审专家")
    APPROVER = "approver", _("审批负责人")
    CERTIFIER = "certifier", _("制证出证员")
    ARCHIVIST = "archivist", _("档案员")
    SUPERVISOR = "supervisor", _("督查/局领导")
    REGULATOR = "regulator", _("行业主管部门")


STAFF_ROLES = frozenset({
    Role.CLERK, Role.REVIEWER, Role.DISPATCHER, Role.INSPECTOR, Role.APPROVER,
    Role.CERTIFIER, Role.ARCHIVIST, Role.SUPERVISOR,
})
