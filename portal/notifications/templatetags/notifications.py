"""``{% unread_notifications as n %}``: the user's unread count (the badge without JS)."""

from django import template

from portal.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    user = context.get("user")
    return unread_count(user=user) if user is not None else 0
