"""The back office keeps no model of its own: staff members, roles and the audit log are
``access.models``."""
