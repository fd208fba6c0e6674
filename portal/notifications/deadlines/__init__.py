"""Working-day deadlines: the pure alert policy, the registry of deadline sources (stages,
case promises, 容缺 promises; later rectifications, expert invitations, regulator claims)
and the beat sweep that raises yellow, red and escalation alerts once each."""
