"""Compare the reports of one event: sentence similarity, N-way alignment, discrepancies."""
