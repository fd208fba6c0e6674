"""``{% intake_case case as ix %}``: the intake panels of the case page (see
``portal.intake.panels``), so the approvals case view needs no intake knowledge."""

from django import template

from portal.intake.panels import case_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def intake_case(context, case):
    return case_panels(case=case, user=context["user"], actions=context.get("actions") or [],
                       decision=context.get("decision"))
