"""Page routes: tasks (mounted at the site root)."""

urlpatterns: list = []
