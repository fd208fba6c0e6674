"""API routes: board (mounted at /api/v1/)."""

urlpatterns: list = []
