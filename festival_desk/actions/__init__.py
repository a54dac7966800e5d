"""The use cases: one function per user action, one transaction each, returning a `Change`.

The CLI and the GUI call these and nothing else that writes.
"""
