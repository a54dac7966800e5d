"""Readers of what arrives from outside: submission exports, critic reviews."""
