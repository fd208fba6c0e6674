"""``{% review_case case as rv %}``: the licence section of the case page (see
``portal.review.panels``); ``{% review_opinions case as ro %}``: the review opinions card
of the case page, for bureau staff only (see ``portal.review.opinions``); and
``{% review_actions actions as actions %}``: the generic actions less 出证, which the
licence section's form runs with its scope and validity."""

from django import template

from portal.review.opinions import case_page_opinions
from portal.review.panels import licence_panel, without_issue

register = template.Library()


@register.simple_tag(takes_context=True)
def review_case(context, case):
    return licence_panel(case=case, user=context["user"], actions=context.get("actions") or [])


@register.simple_tag(takes_context=True)
def review_opinions(context, case):
    return case_page_opinions(case=case, user=context["user"])


@register.simple_tag
def review_actions(actions):
    return without_issue(actions)
