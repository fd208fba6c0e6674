"""REST API of 好差评 (/api/v1/ratings/...) and risk alerts (/api/v1/risk-alerts/...)."""
