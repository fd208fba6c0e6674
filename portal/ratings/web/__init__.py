"""Pages of 好差评, callbacks and risk alerts (mounted at the site root)."""
