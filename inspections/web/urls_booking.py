"""Page routes: booking (mounted at the site root)."""

urlpatterns: list = []
