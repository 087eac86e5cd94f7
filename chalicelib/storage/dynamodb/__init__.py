"""The DynamoDB implementations of the ports: one module per store, each with the item classes that know their
keys and attribute names. Nothing outside this package writes an expression or a key prefix."""
