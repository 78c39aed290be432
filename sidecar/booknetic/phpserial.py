"""Just enough of PHP's unserialize() to read what WordPress's update_option stored for the Zoom add-on
(arrays of strings, integers, floats, booleans and null). Objects are refused: we never build them."""
from __future__ import annotations


class PhpSerialError(ValueError):
    """The text is not PHP-serialized data of the supported kinds."""


def loads(text: str):
    """The Python value (dict for arrays) of a PHP-serialized string."""
    data = text.encode("utf-8")  # PHP counts string lengths in bytes
    value, end = _parse(data, 0)
    if end != len(data):
        raise PhpSerialError(f"trailing data at byte {end}")
    return value


def _until(data: bytes, pos: int, stop: bytes) -> tuple[bytes, int]:
    end = data.find(stop, pos)
    if end < 0:
        raise PhpSerialError(f"expected {stop!r} after byte {pos}")
    return data[pos:end], end + len(stop)


def _parse(data: bytes, pos: int):
    kind = data[pos:pos + 2]
    if kind == b"N;":
        return None, pos + 2
    if kind == b"b:":
        raw, pos = _until(data, pos + 2, b";")
        return raw == b"1", pos
    if kind == b"i:":
        raw, pos = _until(data, pos + 2, b";")
        return int(raw), pos
    if kind == b"d:":
        raw, pos = _until(data, pos + 2, b";")
        return float(raw), pos
    if kind == b"s:":
        raw, pos = _until(data, pos + 2, b":")
        length = int(raw)
        if data[pos:pos + 1] != b'"' or data[pos + 1 + length:pos + 3 + length] != b'";':
            raise PhpSerialError(f"bad string at byte {pos}")
        return data[pos + 1:pos + 1 + length].decode("utf-8"), pos + 3 + length
    if kind == b"a:":
        raw, pos = _until(data, pos + 2, b":{")
        result = {}
        for _ in range(int(raw)):
            key, pos = _parse(data, pos)
            if not isinstance(key, (int, str)):
                raise PhpSerialError(f"bad array key at byte {pos}")
            result[key], pos = _parse(data, pos)
        if data[pos:pos + 1] != b"}":
            raise PhpSerialError(f"expected '}}' at byte {pos}")
        return result, pos + 1
    raise PhpSerialError(f"unsupported type {kind!r} at byte {pos}")
