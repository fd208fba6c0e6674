"""API routes: standards (mounted at /api/v1/)."""

urlpatterns: list = []
