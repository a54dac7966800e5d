"""Fonts, icons and style sheets (installed as festival_desk.resources)."""
