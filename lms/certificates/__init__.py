"""Certificates: the issue rule, the PDF, public verification and Open Badges, the register."""
