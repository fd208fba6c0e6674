"""One module per integration: API, Celery, Channels, storage, logging."""
