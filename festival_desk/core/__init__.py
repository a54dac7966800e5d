"""Domain rules on plain values. Imports nothing from the rest of the project: no Qt, no database."""
