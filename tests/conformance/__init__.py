"""Prisma conformance oracle (independent rules; see oracle.py)."""
