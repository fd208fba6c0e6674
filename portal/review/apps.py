"""The review pages app: the reviewers' and approvers' work queue and the licence (出证)
pages of a case. No models: views, forms and templates over approvals services."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "portal.review"
    label = "review"
    verbose_name = _("审查与出证")
