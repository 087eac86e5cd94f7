"""Contract tests: one suite per port (chalicelib/domain/ports.py), run against the in-memory and the DynamoDB
implementation alike. A package, so its modules may share names with tests/api/ (test_accounts.py)."""
