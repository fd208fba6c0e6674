"""Delivery backends: SMS gateways (``sms``); e-mail goes through Django's EMAIL_BACKEND."""
