"""API routes: tasks (mounted at /api/v1/)."""

urlpatterns: list = []
