"""Plain dicts in and out of DynamoDB's attribute-value format (whole numbers as int), and the expression pieces
every store builds the same way."""
from __future__ import annotations

from decimal import Decimal

_serializer = None
_deserializer = None


def _codecs():
    global _serializer, _deserializer
    if _serializer is None:
        from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

        _serializer, _deserializer = TypeSerializer(), TypeDeserializer()
    return _serializer, _deserializer


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return {_plain(v) for v in value}
    if type(value).__name__ == "Binary":  # boto3's wrapper of a B attribute
        return bytes(value)
    return value


def _storable(value):
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _storable(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_storable(v) for v in value]
    return value


def to_item(data: dict) -> dict:
    serializer, _ = _codecs()
    out = {}
    for k, v in data.items():
        # Text and whole numbers (nearly every attribute) directly: boto3's serializer checks each value against
        # every type it knows, which a list of 10,000 workers pays 100,000 times.
        kind = type(v)
        if kind is str:
            out[k] = {"S": v}
        elif kind is int:
            out[k] = {"N": str(v)}
        elif v is not None:
            out[k] = serializer.serialize(_storable(v))
    return out


def to_value(value) -> dict:
    serializer, _ = _codecs()
    return serializer.serialize(_storable(value))


def from_item(item: dict | None) -> dict | None:
    if item is None:
        return None
    _, deserializer = _codecs()
    out = {}
    for k, v in item.items():
        if "S" in v:
            out[k] = v["S"]
        elif "N" in v and v["N"].lstrip("-").isdigit():
            out[k] = int(v["N"])
        else:
            out[k] = _plain(deserializer.deserialize(v))
    return out


def key_of(**parts: str) -> dict:
    """{'pk': 'A', 'sk': 'B'} in attribute-value form."""
    return {name: {"S": value} for name, value in parts.items()}


def values(**named) -> dict:
    """ExpressionAttributeValues from keyword arguments: values(now=1) -> {':now': {'N': '1'}}."""
    return {f":{k}": to_value(v) for k, v in named.items()}


def expiry_bucket(epoch: int) -> str:
    """The UTC day an item expires on: the partition of the `by_expiry` index the cleanup queries."""
    from chalicelib.domain.clock import utc_day

    return utc_day(epoch).isoformat()
