"""Users, roles, the organisation (bureau, sections, windows, districts) and applicants."""
