"""manage.py commands: workdays (calendar arithmetic and yearly import), audit_verify."""
