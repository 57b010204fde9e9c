"""Accounts: sign-up and log-in, keys, passwords, the profile, settings, private tokens."""
