"""Page routes: board (mounted at the site root)."""

urlpatterns: list = []
