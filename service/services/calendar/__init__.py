"""The calendar feed: its private token and the ICS it serves."""
