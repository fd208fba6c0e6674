"""好差评 services: ratings, rectification items and appeals, callbacks, risk alerts.
The only code that writes these records; pages, the API and tasks call it."""
