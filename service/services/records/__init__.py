"""The job seeker's records: organizations and news, contacts, attempts, and the helpers
they share (owned lookups, patches, pages, stored first responses)."""
