"""Accounts: who has an account, how they prove it, how a login ends, and what role they hold.

- `credentials`: registration, email verification, sign-in with throttling, passwords.
- `sign_in_locks`: pausing sign-in for an address after repeated wrong passwords.
- `logins`: the one way a login ends, and what that does to its sockets.
- `roles`: representatives' verification, moderators' appointment.
- `data`: the account's entries in "download my data".
"""
