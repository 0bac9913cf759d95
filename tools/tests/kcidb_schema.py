# SPDX-License-Identifier: MIT
# The KCIDB v5.3 I/O schema's structure, transcribed from kcidb-io (kcidb_io/schema/v05_03.py,
# with v05_00's test path pattern): every property name, type, pattern, enum and required list
# of the objects kvmct writes, without the descriptions. Plus a validator for the JSON-schema
# keywords used here (the build root has no python3-jsonschema). issues and incidents are
# only named: kvmct writes neither, and a document holding one is refused.
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

ORIGIN = "^[a-z0-9_]+$"
ORIGIN_ID = "^[a-z0-9_]+:.*$"
TEST_PATH = "^([a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)*)?$"
NO_NUL = "^[^\\0]*$"
STATUS_ENUM = ["FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP"]

_text: dict[str, Any] = {"type": "string", "pattern": NO_NUL}
_time: dict[str, Any] = {"type": "string", "format": "date-time"}
_uri: dict[str, Any] = {"type": "string", "format": "uri"}
_excerpt: dict[str, Any] = {"type": "string", "maxLength": 16384, "pattern": NO_NUL}
_files: dict[str, Any] = {"$ref": "#/$defs/resource_list"}
_misc: dict[str, Any] = {"type": "object"}
_id: dict[str, Any] = {"type": "string", "pattern": ORIGIN_ID}


def _object(parent: str, properties: dict[str, Any]) -> dict[str, Any]:
    """A checkout, build or test: its id, origin and parent's id, then its own properties."""
    keys = {"_timestamp": _time, "id": _id, "origin": {"type": "string", "pattern": ORIGIN}}
    if parent:
        keys[parent] = _id
    return {"type": "object", "additionalProperties": False,
            "required": [*([parent] if parent else []), "id", "origin"],
            "properties": {**keys, **properties}}


SCHEMA: dict[str, Any] = {
    "type": "object",
    "$defs": {
        "resource": {"type": "object", "additionalProperties": False,
                     "required": ["name", "url"],
                     "properties": {"name": {"type": "string", "pattern": "^[^/\\0]+$"},
                                    "url": _uri}},
        "resource_list": {"type": "array", "items": {"$ref": "#/$defs/resource"}},
        "status": {"type": "string", "enum": STATUS_ENUM},
        "path": {"type": "string", "pattern": TEST_PATH},
        "checkout": _object("", {
                "tree_name": _text,
                "git_repository_url": _uri,
                # kvmct writes no git_* field; their patterns are not transcribed.
                "git_commit_hash": {"type": "string"},
                "git_commit_name": _text, "git_commit_tags": {"type": "array", "items": _text},
                "git_commit_message": _text, "git_repository_branch": _text,
                "git_repository_branch_tip": {"type": "boolean"}, "patchset_files": _files,
                "patchset_hash": {"type": "string", "pattern": "^$|^[0-9a-f]{64}$"},
                "message_id": {"type": "string", "format": "email"}, "comment": _text,
                "start_time": _time, "origin_builds_finish_time": _time,
                "origin_tests_finish_time": _time, "log_url": _uri, "log_excerpt": _excerpt,
                "valid": {"type": "boolean"}, "misc": _misc}),
        "build": _object("checkout_id", {
                "comment": _text,
                "start_time": _time, "duration": {"type": "number"},
                "architecture": {"type": "string", "pattern": "^[a-z0-9_]*$"},
                "command": _text, "compiler": _text, "input_files": _files,
                "output_files": _files, "config_name": _text, "config_url": _uri,
                "log_url": _uri, "log_excerpt": _excerpt, "status": {"$ref": "#/$defs/status"},
                "misc": _misc}),
        "test": _object("build_id", {
                "environment": {
                    "type": "object", "additionalProperties": False,
                    "properties": {
                        "compatible": {"type": "array",
                                       "items": {"type": "string",
                                                 "pattern": "^[^ \\0]+(,[^ \\0]+)*$"}},
                        "comment": _text, "misc": _misc}},
                "path": {"$ref": "#/$defs/path"}, "comment": _text, "log_url": _uri,
                "log_excerpt": _excerpt, "status": {"$ref": "#/$defs/status"},
                "number": {"type": "object", "additionalProperties": False,
                           "required": ["value"],
                           "properties": {"value": {"type": "number"}, "unit": _text,
                                          "prefix": {"type": "string",
                                                     "enum": ["metric", "binary"]}}},
                "start_time": _time, "duration": {"type": "number"}, "input_files": _files,
                "output_files": _files, "misc": _misc}),
    },
    "additionalProperties": False,
    "required": ["version"],
    "properties": {
        "version": {"type": "object", "additionalProperties": False, "required": ["major"],
                    "properties": {"major": {"type": "integer", "const": 5},
                                   "minor": {"type": "integer", "minimum": 0, "maximum": 3}}},
        "checkouts": {"type": "array", "items": {"$ref": "#/$defs/checkout"}},
        "builds": {"type": "array", "items": {"$ref": "#/$defs/build"}},
        "tests": {"type": "array", "items": {"$ref": "#/$defs/test"}},
        "issues": {"type": "array", "maxItems": 0},
        "incidents": {"type": "array", "maxItems": 0},
    },
}

_TYPES: dict[str, tuple[type, ...]] = {"object": (dict,), "array": (list,), "string": (str,),
                                       "boolean": (bool,), "integer": (int,),
                                       "number": (int, float)}


def errors(value: Any, schema: dict[str, Any] = SCHEMA, where: str = "$",
           root: dict[str, Any] = SCHEMA) -> list[str]:
    """Every violation of `schema` in `value`, as `<json path>: <what>`."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return errors(value, root["$defs"][name], where, root)
    out: list[str] = []
    kind = schema.get("type")
    if kind is not None:
        ok = isinstance(value, _TYPES[kind]) and not (
            kind in ("integer", "number") and isinstance(value, bool))
        if not ok:
            return [f"{where}: {value!r:.60} is not of type {kind}"]
    if "const" in schema and value != schema["const"]:
        out.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        out.append(f"{where}: {value} < {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        out.append(f"{where}: {value} > {schema['maximum']}")
    if isinstance(value, str):
        out += _string(value, schema, where)
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(f"{where}: more than {schema['maxItems']} items")
        for i, item in enumerate(value):
            out += errors(item, schema.get("items", {}), f"{where}[{i}]", root)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        out += [f"{where}: missing {k}" for k in schema.get("required", []) if k not in value]
        for k, v in value.items():
            if k in props:
                out += errors(v, props[k], f"{where}.{k}", root)
            elif schema.get("additionalProperties") is False:
                out.append(f"{where}: property {k} is not in the schema")
    return out


def _string(value: str, schema: dict[str, Any], where: str) -> list[str]:
    out: list[str] = []
    # JSON schema patterns are ECMA regexes; `$` must not match before a trailing newline.
    if "pattern" in schema and not re.search(schema["pattern"].replace("$", "\\Z"), value):
        out.append(f"{where}: {value!r:.80} does not match {schema['pattern']}")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        out.append(f"{where}: longer than {schema['maxLength']}")
    if schema.get("format") == "date-time":
        try:
            if datetime.fromisoformat(value).tzinfo is None:
                out.append(f"{where}: {value!r} has no time zone (RFC 3339)")
        except ValueError:
            out.append(f"{where}: {value!r} is not an RFC 3339 date-time")
    return out
