"""YAML files as plain data plus the position of every key and value.

One parse with PyYAML's C composer gives both the data and the marks. Scalars are kept as the
user wrote them except unambiguous numbers, true/false and null: timestamps and yes/no stay
strings so that schemas (and people) see what is in the file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import Resolver

try:
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Parser


class _Loader(_Parser):
    """libyaml's parser and composer, and nothing of a loader's constructor or resolver (the
    nodes are converted by `_convert`; setting those up cost a third of composing a post).

    The composer calls three methods per node; each is a C callable here, so no call enters
    Python: `resolve` (the tag of a node written without one) is `slice`, which takes the same
    three arguments, so a node's tag becomes slice(kind, value, implicit) and `_scalar`
    resolves the plain scalars it is given, once per distinct value (the same keys and values,
    account ids and dates, come back in every file); `descend_resolver` and `ascend_resolver`
    only serve path resolvers, which accord has none of."""

    resolve = slice
    descend_resolver = slice
    ascend_resolver = tuple


_resolve = Resolver().resolve
_typed: dict = {}  # (value, implicit) -> what a plain scalar of up to 40 characters means
_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+]?[0-9]+)?$|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}

Path_ = tuple  # a path into the data: keys and list indexes


class YamlError(Exception):
    def __init__(self, message: str, line: int, col: int):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


@dataclass
class Doc:
    """One file: its data and where each value and key stands (1-based line and column)."""

    path: Path  # absolute
    rel: str  # relative to the repository root, with forward slashes
    text: str
    data: object = None
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    styles: dict[Path_, str] = field(default_factory=dict)  # quoted and block scalars only
    duplicates: list[tuple[Path_, int, int]] = field(default_factory=list)

    def pos(self, path: Path_ = (), key: bool = False) -> tuple[int, int]:
        """Where `path` stands; falls back to its nearest parent that has a position."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if key and path in self.values:
                return self.values[path]
            path = path[:-1]
            table = self.keys if key else self.values
        return self.values.get((), (1, 1))

    def locate(self, path: Path_, offset: int) -> tuple[int, int]:
        """Line and column of character `offset` of the string at `path`.

        Block scalars (| and >) and multi-line plain scalars are mapped back through the
        source lines, so a finding can point at the word inside the text.
        """
        line, col = self.values.get(path, self.pos(path))
        value = self._get(path)
        if not isinstance(value, str):
            return line, col
        style = self.styles.get(path)
        if style in ("|", ">"):
            first, indent = line + 1, None
        elif "\n" not in value:
            return line, col + offset + (1 if style else 0)
        else:
            first, indent = line, None
        lines = self.text.splitlines()
        pos = 0
        for n in range(first - 1, len(lines)):
            src = lines[n]
            stripped = src.strip()
            if n == line - 1 and style not in ("|", ">"):
                stripped = src[col - 1 :].lstrip("'\"").strip()
            if not stripped:
                continue
            if indent is None and style in ("|", ">"):
                indent = len(src) - len(src.lstrip(" "))
            found = value.find(stripped.rstrip("'\""), pos)
            if found < 0:
                break
            end = found + len(stripped)
            if offset < end or n == len(lines) - 1:
                start_col = src.find(stripped) + 1
                return n + 1, start_col + max(0, offset - found)
            pos = end
        return line, col

    def _get(self, path: Path_):
        node = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node


def parse(path: Path, rel: str, text: str) -> Doc:
    """Parse one file; raise YamlError (with line and column) on a syntax error."""
    doc = Doc(path=path, rel=rel, text=text)
    try:
        node = _compose(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: no mark, an offset
        line, col = _line_col(text, exc.position)
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise YamlError(f"YAML syntax error: the character {what} is not allowed in YAML; delete it",
                        line, col) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(text, exc) from None
    except yaml.YAMLError:
        raise YamlError(f"YAML syntax error: {_NOT_YAML}", 1, 1) from None
    if node is not None:
        doc.data = _convert(node, (), doc)
    else:
        doc.values[()] = (1, 1)
    return doc


_NOT_YAML = "this is not valid YAML here"


def _syntax_error(text: str, exc: yaml.MarkedYAMLError) -> YamlError:
    """accord's sentence for what the parser stopped at, where it stopped: the parser's own words
    change between its releases (PyYAML 6.0.4's libyaml stops deep flow nesting itself, in its
    own words and a thousand levels in), and a finding must not."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return YamlError(f"YAML syntax error: {_NOT_YAML}", 1, 1)
    line, col = mark.line + 1, mark.column + 1
    # A file nested deeper than accord allows is told so at the level that is too deep, whichever
    # layer stopped it: the text up to where the parser stopped is measured.
    lines = text.split("\n")
    before = "\n".join(lines[:mark.line] + [lines[mark.line][:mark.column]]) if mark.line < len(lines) else text
    try:
        _depth(before)
    except YamlError as deep:
        return deep
    except yaml.YAMLError:
        pass
    return YamlError(f"YAML syntax error: {_sentence(lines, exc, mark)}", line, col)


def _sentence(lines: list[str], exc: yaml.MarkedYAMLError, mark) -> str:
    problem, opened = exc.problem or "", exc.context_mark
    since = f" at line {opened.line + 1}" if opened is not None and opened.line != mark.line else ""
    if problem == "found character that cannot start any token":
        char = lines[mark.line][mark.column:mark.column + 1] if mark.line < len(lines) else ""
        if char == "\t":
            return "a tab here: YAML indents with spaces only"
        return f"'{char}' cannot start a value here; put the value in quotes"
    if "tab" in problem:  # e.g. a tab that violates indentation, in a plain or quoted scalar
        return "a tab here: YAML indents with spaces only"
    if problem == "mapping values are not allowed in this context":
        return ("a ':' here where no key can start; put text holding ': ' in quotes, or check the "
                "indentation of this line")
    if problem.startswith("did not find expected ',' or "):
        bracket = "[" if problem.endswith("']'") else "{"
        return f"the '{bracket}' opened{since} is not closed: a ',' or its closing bracket belongs here"
    if problem == "did not find expected key":
        return ("a key belongs here: check the indentation of this line and that quoted text ends "
                "where its closing quote is")
    if problem == "found undefined alias":
        return "an alias (*name) here that no anchor (&name) before it defines"
    if problem == "found unexpected end of stream":
        if "quoted scalar" in (exc.context or ""):
            return f"the quoted text that opens{since or ' on this line'} is never closed"
        return "the file ends before what is open here is closed"
    if problem == "found unknown escape character":
        return "an escape (\\) here that YAML does not know; write \\\\ for a backslash, or use single quotes"
    if problem == "but found another document":
        return "a second document (---) starts here; an accord file holds one"
    if problem == "did not find expected alphabetic or numeric character":
        return "an anchor (&) or alias (*) here needs a name of letters and digits"
    if problem == "did not find expected comment or line break":
        return "after '|' or '>' only an indentation digit, '+' or '-' and a comment may follow on its line"
    if problem == "exceeded maximum nesting depth":
        return f"lists and mappings nested more than {DEPTH} deep here"
    return _NOT_YAML


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """Line and column of the parser's offset into the text: libyaml counts UTF-8 bytes, PyYAML's
    own reader characters."""
    before = text.encode("utf-8")[:offset].decode("utf-8", "ignore") if _Parser is not yaml.SafeLoader else text[:offset]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _compose(text: str):
    """The text's one document as a node tree (None when empty), as yaml.compose gives it."""
    # The composer recurses into every list and mapping in C: tens of thousands of levels (100 kB
    # of "- - - ...") end the process. A file that could be a thousand deep is measured first.
    if len(text) > 2000 and sum(map(text.count, "[{-?")) > 1000:
        _depth(text)
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


DEPTH = 100  # lists and mappings inside each other: accord's files use fewer than ten


def _depth(text: str) -> None:
    """Raise YamlError where the text nests lists and mappings more than DEPTH deep (the
    parser's events are read in a loop: no recursion)."""
    loader = _Loader(text)
    try:
        depth = 0
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > DEPTH:
                    raise _too_deep(event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def _too_deep(mark) -> YamlError:
    return YamlError(f"YAML syntax error: lists and mappings nested more than {DEPTH} deep here", mark.line + 1,
                     mark.column + 1)


def _convert(node, path: Path_, doc: Doc):
    values, keys, duplicates = doc.values, doc.keys, doc.duplicates  # locals: called per node
    # An alias (*name) repeats its anchor's value: nine lists of nine aliases to the list before
    # are a few hundred bytes that expand to 9^9 values. A file's lists and mappings may hold
    # this many items in all, aliases expanded.
    budget = [10 * len(doc.text) + 1000]

    def convert(node, path):
        mark = node.start_mark
        values[path] = (mark.line + 1, mark.column + 1)
        cls = type(node)
        if cls is ScalarNode:
            return _scalar(node, path, doc)
        if len(path) >= DEPTH:  # aliases can nest what is written flat
            raise _too_deep(mark)
        budget[0] -= len(node.value)
        if budget[0] < 0:
            raise YamlError("YAML syntax error: the aliases (*name) here repeat their anchors' values "
                            "too many times over; write the values out", mark.line + 1, mark.column + 1)
        if cls is SequenceNode:
            return [convert(item, path + (i,)) for i, item in enumerate(node.value)]
        if cls is MappingNode:
            out: dict = {}
            for knode, vnode in node.value:
                key = knode.value if type(knode) is ScalarNode else _flow(knode)
                kpath = path + (key,)
                kmark = knode.start_mark
                if key in out:
                    duplicates.append((kpath, kmark.line + 1, kmark.column + 1))
                keys[kpath] = (kmark.line + 1, kmark.column + 1)
                out[key] = convert(vnode, kpath)
            return out
        return None

    return convert(node, path)


def _scalar(node: ScalarNode, path: Path_, doc: Doc):
    value = node.value
    if node.style:  # quoted or block: always a string
        doc.styles[path] = node.style
        return value
    tag = node.tag
    if type(tag) is not slice:  # written with a tag
        return _value(value, tag)
    key = (value, tag.step)
    typed = _typed.get(key, _typed)
    if typed is _typed:
        typed = _value(value, _resolve(ScalarNode, value, tag.step))
        if len(value) <= 40:
            _typed[key] = typed
    return typed


def _value(value: str, tag: str):
    """A plain scalar as accord reads it: unambiguous numbers, true/false and null are typed,
    the rest (timestamps, yes/no, ...) stays a string."""
    if tag != "tag:yaml.org,2002:str":
        if value in _NULL:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if _INT.match(value):
            return int(value.replace("_", ""))
        if _FLOAT.match(value):
            return float(value.replace("_", ""))
    return value


def _flow(node) -> str:
    """A complex key (a list or mapping used as a key) as the user would write it in flow style."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SequenceNode):
        return "[" + ", ".join(_flow(n) for n in node.value) + "]"
    return "{" + ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in node.value) + "}"
