"""Everything printed (booklet, committee sheets, day sheets, imposition), rendered with ReportLab
from plain snapshots of the data, never from a live database session."""
