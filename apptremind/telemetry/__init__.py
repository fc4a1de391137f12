"""Traces and the Temporal workers' metrics: how each process reports what it does."""
