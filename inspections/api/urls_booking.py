"""API routes: booking (mounted at /api/v1/)."""

urlpatterns: list = []
