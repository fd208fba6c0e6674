"""Cross-cutting foundations: base model, business errors, audit trail, workday calendar."""
