"""In-memory implementations of every port, for the service tests (tests/services/) and anything else that wants
the service without AWS. They keep the same promises as the DynamoDB ones: tests/contracts/ runs one suite per
port against both. All of them share one `MemoryState`, so a "transaction" is a block under its lock."""
