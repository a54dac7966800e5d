"""Festival Desk: the programming desk of a documentary festival."""

__version__ = "0.1.0"
