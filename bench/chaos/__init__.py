"""A fault-injection run of the whole platform (`make chaos`); see `run.py`."""
