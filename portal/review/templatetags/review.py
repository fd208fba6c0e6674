"""``{% review_case case as rv %}``: the licence section of the case page (see
``portal.review.panels``), and ``{% review_actions actions as actions %}``: the generic
actions less 出证, which the licence section's form runs with its scope and validity."""

from django import template

from portal.review.panels import licence_panel, without_issue

register = template.Library()


@register.simple_tag(takes_context=True)
def review_case(context, case):
    return licence_panel(case=case, user=context["user"], actions=context.get("actions") or [])


@register.simple_tag
def review_actions(actions):
    return without_issue(actions)
