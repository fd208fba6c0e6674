"""Expert services: the pool and its spreadsheets, draws and invitations, meetings."""
