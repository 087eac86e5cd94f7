"""The use cases: each service takes the ports it needs (keyword-only) and the clock, and knows nothing of AWS.
chalicelib/bootstrap.py builds them; tests build them on the in-memory adapters."""
