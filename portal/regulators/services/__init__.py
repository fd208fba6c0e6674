"""Services of 审管互动: writing the outbox, delivering it, claims, requests, secrets."""
