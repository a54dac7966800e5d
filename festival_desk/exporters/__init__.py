"""Writers of files for other programs: calendars, spreadsheets, designer hand-off."""
