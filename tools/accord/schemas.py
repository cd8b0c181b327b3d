"""The JSON Schemas shipped in the package, and schema findings with positions and hints.

Clean files take the fast path (schemas compiled to Python by fastjsonschema); a file that
fails is explained in full by jsonschema, every problem at once, each at its own line.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

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


@lru_cache(maxsize=None)
def _fast(kind: str):
    import fastjsonschema

    return fastjsonschema.compile(schema(kind))


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
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return [at(path, True, rule="schema.required", message=f"missing required key '{missing}'" + (f" in {_where(path)}" if path else ""))]
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
        return [at(rule="schema.range", message=f"{_where(path)} is {err.instance}; {err.message.split(' is ', 1)[-1]}")]
    if v in ("anyOf", "oneOf"):
        return [at(rule="schema.type", message=f"{_where(path)} has the wrong shape"
                   + (f": {sch['description']}" if sch.get("description") else ""))]
    return [at(message=f"{_where(path)}: {err.message}")]
