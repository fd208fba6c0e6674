"""Page routes: standards (mounted at the site root)."""

urlpatterns: list = []
