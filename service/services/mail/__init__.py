"""Mail: daily reminders out (an outbox of its own), touches logged by BCC in."""
