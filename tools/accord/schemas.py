"""The JSON Schemas shipped in the package, and schema findings with positions and hints.

Clean files take the fast path (schemas compiled to Python by fastjsonschema); a file that
fails is explained in full by jsonschema, every problem at once, each at its own line.

Compiling a schema costs about 25 ms, as much as the rest of `accord check FILE` in a large
repository: with a parse cache (see `keep_compiled`), the compiled code of each schema is kept
in .accord-cache/ beside it and loaded in a fraction of a millisecond.
"""
from __future__ import annotations

import json
import marshal
import os
import zlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .findings import Finding, did_you_mean
from .yamldoc import Doc

_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "a text", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "empty"}


def names() -> list[str]:
    return sorted(p.name[: -len(".schema.json")] for p in resources.files(__package__).joinpath("schemas").iterdir()
                  if p.name.endswith(".schema.json"))


@lru_cache(maxsize=None)
def schema(kind: str) -> dict:
    return json.loads(resources.files(__package__).joinpath("schemas", f"{kind}.schema.json").read_text("utf-8"))


# The generated code imports its exception classes from fastjsonschema (9 ms: the whole package);
# a failure is only a sign to explain the file with jsonschema, so one class of ours does. It
# imports Decimal whether it uses it or not (2 ms).
_IMPORT = "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException\n"
_DECIMAL = "from decimal import Decimal\n"
_MAGIC = b"accordV1"  # then the stamp, a CRC-32 of the body, the body: {kind: marshalled code}
_fast_of: dict[str, object] = {}  # kind -> its validator, in this process
_kept: tuple[Path, bytes, int] | None = None  # where compiled schemas are kept, under which stamp, by whom
_kept_code: dict[str, bytes] | None = None  # what that file holds, once read


class _Invalid(Exception):
    def __init__(self, message="", *args, **details):
        super().__init__(message)


def keep_compiled(file: Path | None, stamp: bytes = b"") -> None:
    """Keep the code schemas compile to in `file` between runs (None: do not), valid while
    `stamp` (accord, its schemas and Python: see the parse cache's stamp) is the same. Only this process
    writes it: a forked child parsing half the files compiles what it needs alongside, unsaved."""
    global _kept, _kept_code
    _kept, _kept_code = (file, stamp, os.getpid()) if file is not None else None, None


def _fast(kind: str):
    fast = _fast_of.get(kind)
    if fast is None:
        fast = _fast_of[kind] = _load_fast(kind)
    return fast


def _load_fast(kind: str):
    kept = _read_kept()
    if kind in kept:
        try:
            return _run(marshal.loads(kept[kind]))
        except Exception:  # another Python's code, or damaged: compile it again
            pass
    import fastjsonschema

    source = fastjsonschema.compile_to_code(schema(kind)).replace(_IMPORT, "", 1)
    if source.count("Decimal") == 1:
        source = source.replace(_DECIMAL, "", 1)
    code = compile(source, f"<{kind} schema>", "exec")
    if _kept is not None and _kept[2] == os.getpid():
        kept[kind] = marshal.dumps(code)
        _write_kept(kept)
    return _run(code)


def _run(code):
    scope = {"JsonSchemaValueException": _Invalid, "JsonSchemaValuesException": _Invalid}
    exec(code, scope)
    return scope["validate"]


def _read_kept() -> dict[str, bytes]:
    global _kept_code
    if _kept_code is None:
        _kept_code = _read(*_kept[:2]) if _kept is not None else {}
    return _kept_code


def _read(file: Path, stamp: bytes) -> dict[str, bytes]:
    try:
        blob = file.read_bytes()
    except OSError:
        return {}
    head = len(_MAGIC) + len(stamp) + 4
    if blob[:head - 4] != _MAGIC + stamp or zlib.crc32(blob[head:]) != int.from_bytes(blob[head - 4:head], "big"):
        return {}
    try:
        kept = marshal.loads(blob[head:])
    except Exception:
        return {}
    return kept if isinstance(kept, dict) else {}


def _write_kept(kept: dict[str, bytes]) -> None:
    from .files import replace

    file, stamp, _ = _kept
    body = marshal.dumps(kept)
    replace(file, [_MAGIC + stamp + zlib.crc32(body).to_bytes(4, "big"), body])


def validate(kind: str, doc: Doc) -> list[Finding]:
    try:
        _fast(kind)(doc.data)
        return []
    except Exception:  # any failure of the fast path is explained by the full validator
        pass
    from jsonschema import Draft7Validator

    validator = Draft7Validator(schema(kind))
    out: list[Finding] = []
    for err in validator.iter_errors(doc.data):
        out.extend(_explain(err, doc))
    return sorted(set(out), key=lambda f: (f.line, f.col, f.rule, f.message))


def _where(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "the file"


def _explain(err, doc: Doc) -> list[Finding]:
    path = tuple(err.absolute_path)
    rel, v, sch = doc.rel, err.validator, err.schema

    def at(p=path, key=False, level="error", rule="schema.invalid", message="", hint=None):
        line, col = doc.pos(p, key=key)
        return Finding(rel, line, col, level, rule, message, hint)

    if v == "additionalProperties" and isinstance(err.instance, dict):
        allowed = list(sch.get("properties", {}))
        return [at(path + (k,), True, rule="schema.unknown-key",
                   message=f"unknown key '{k}'" + (f" in {_where(path)}" if path else ""),
                   hint=did_you_mean(k, allowed) or f"allowed here: {', '.join(allowed)}")
                for k in err.instance if k not in allowed]
    if v == "required":
        where = f" in {_where(path)}" if path else ""
        return [at(path, True, rule="schema.required", message=f"missing required key '{key}'{where}")
                for key in err.validator_value if isinstance(err.instance, dict) and key not in err.instance]
    if v == "enum":
        choices = ", ".join(str(c) for c in err.validator_value)
        return [at(rule="schema.enum", message=f"'{err.instance}' is not allowed for {_where(path)}: use one of {choices}",
                   hint=did_you_mean(err.instance, err.validator_value))]
    if v == "type":
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        got = type(err.instance).__name__
        got = {"str": "a text", "int": "a number", "float": "a number", "bool": "true/false", "dict": "a mapping",
               "list": "a list", "NoneType": "empty"}.get(got, got)
        hint = None
        if "string" in want and isinstance(err.instance, (bool, int, float)):
            hint = "put the value in quotes to keep it as text"
        return [at(rule="schema.type", message=f"{_where(path)} must be {' or '.join(_TYPE_NAMES.get(w, w) for w in want)}, not {got}",
                   hint=hint)]
    if v == "pattern":
        examples = sch.get("examples")
        return [at(rule="schema.format", message=f"'{err.instance}' is not a valid {_where(path)}"
                   + (f": {sch['description']}" if sch.get("description") and not examples else ""),
                   hint=f"e.g. {examples[0]}" if examples else None)]
    if v in ("minItems", "minLength"):
        return [at(rule="schema.empty", message=f"{_where(path)} must not be empty")]
    if v in ("minimum", "maximum"):
        bound = "at least" if v == "minimum" else "at most"
        return [at(rule="schema.range", message=f"{_where(path)} is {err.instance}; it must be {bound} {err.validator_value}")]
    if v == "not" and set(err.validator_value) == {"required"} and isinstance(err.instance, dict):
        keys = err.validator_value["required"]  # keys that must not all be there
        return [at(path + (keys[-1],), True, message=f"{_where(path)} has both {' and '.join(map(repr, keys))}: "
                   f"give one of them", hint=sch.get("description"))]
    if v in ("anyOf", "oneOf"):
        return [at(rule="schema.type", message=f"{_where(path)} has the wrong shape"
                   + (f": {sch['description']}" if sch.get("description") else ""))]
    if v == "const":
        return [at(message=f"{_where(path)} must be {err.validator_value!r} here")]
    # jsonschema's own words change between its releases: accord says what it knows
    return [at(message=f"{_where(path)} does not fit this file's schema ({v})"
               + (f": {sch['description']}" if sch.get("description") else ""))]
