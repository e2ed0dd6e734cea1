"""The differ: sentence similarity, N-way alignment into claims, discrepancies.

The function users call is :func:`storymatch.compare`
(:func:`storymatch.differ.comparison.compare`).
"""
