"""What the service stores, as types: accounts, statement requests, permits, timeline entries, counters.

Plain dataclasses with status enums and the few rules that belong to one item (a permit knows when it is
live). How they are keyed and written in DynamoDB is storage's business (chalicelib/storage/dynamodb/)."""
