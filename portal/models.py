"""The public side keeps no model of its own: its rate-limit windows are ``common.models``."""
