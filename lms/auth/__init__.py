"""Accounts, login, roles and the access rules every blueprint uses."""
