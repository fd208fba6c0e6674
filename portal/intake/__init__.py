"""Applicant portal and combined-counter pages (受理): they call the approvals services."""
