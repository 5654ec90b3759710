"""The vocabulary every stage shares: codes and user-facing labels, Vietnamese formatting, text matching,
file helpers and the statistical checks. Imports nothing else of nrlib.
"""
