"""Provenance: is every statement in ``knowledge/`` found in the section of the guidance it cites?

Generic over the files: every YAML file under ``knowledge/`` is walked, and any mapping that
carries a ``section`` (or a ``source: {section: ...}``) is an item whose text fields are
checked against that section; nested mappings inherit it. A sentence that cites a section
itself, "(2.4)" or "(section 3.3)", is checked against that section too, wherever it is
(so a message in messages.yml that states a guidance fact with a citation is checked).

A statement is supported when each of its content words (not a stop word, not a number
word) is found in the cited section's text, allowing for inflection: both sides are
lemmatised with the spaCy lookup lemmatizer (cse_core.nlp) and regular -s/-es/-ed/-ing
endings are also stripped. Numbers written in digits must be found as written.

A statement that is not supported must be fixed, cited to the right section, or marked in
the data as the assistant's own advice, which the assistant then shows with a visible label
(messages.yml ``own_advice_label``). Marks:

- ``own_advice: true`` on a mapping: all of its text (and its children's) is the assistant's;
- ``own_advice: [field, ...]`` on a mapping: those fields, in it and below it;
- the fields ``advice`` and ``parent_advice``: the assistant's own advice beside an answer;
- ``source: {external: ...}`` (contacts): the fact comes from the named outside source.

Links (web addresses) anywhere in knowledge/ must be ones the guidance gives, or be listed
in an ``added_links`` entry ({url, checked: YYYY-MM-DD, note}) of the item that uses them;
email addresses must be in the guidance or belong to a contact with an external source.

``python -m cse_core.provenance`` prints the report and exits 1 when a statement is
unsupported and unmarked, or a link is not accounted for.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from cse_core import guidance_text, knowledge

# Keys whose values are identifiers, phrasings people type, or structure: not statements.
SKIP_KEYS = frozenset({
    "id", "intent", "intents", "parent", "related", "keywords", "aliases", "synonyms", "examples",
    "patterns", "pathway", "choose_from", "levels", "process_map", "section", "sections", "own_advice",
    "added_links", "payload", "topic", "applies_if_any", "and_any_rated_above", "when_any_rated", "version",
    "ratings", "source_file", "phone", "email", "web", "url", "external", "file", "if", "rating",
    "minimum_level", "level", "cap_category", "area", "short_title", "entry",
})
# Lists and mappings that hold no statements (and whose links are declarations, not uses).
SKIP_SUBTREES = frozenset({
    "added_links", "keywords", "aliases", "synonyms", "examples", "patterns", "levels", "related", "also_under",
    "applies_if_any", "referral_when_any_rated", "minimum_when_any_rated", "ratings", "own_advice", "if",
    "words", "public_domains", "kept_terms",  # words people type; words and domains redaction keeps
})
MARKED_KEYS = frozenset({"advice", "parent_advice"})
# Words that refer to the document or the conversation itself, allowed in any statement.
FRAMING_WORDS = frozenset({"guidance", "section", "sections", "document", "say", "says", "e.g.", "eg", "i.e.", "ie", "etc"})
# Pieces the tokenizer leaves of contractions ("won't" -> "wo" + "n't").
_FRAGMENTS = frozenset({"'s", "s", "n't", "nt", "wo", "ca", "'re", "'ll", "'ve", "'m", "'d"})

SECTION_NUM = r"\d{1,2}(?:\.\d{1,2})?"
_CITE_LIST = rf"{SECTION_NUM}(?:\s*(?:,|and|or|&)\s*{SECTION_NUM})*"
CITATION = re.compile(
    rf"\((?:see\s+)?(?:(?:sections?|paragraphs?)\s+)?(?P<paren>{_CITE_LIST})(?:\s+note)?\)"
    rf"|\b(?:sections?|paragraphs?)\s+(?P<bare>{_CITE_LIST})",
    re.IGNORECASE,
)
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Values that are identifiers or numbers, not words: snake_case ids, versions, paths, "/payloads".
IDENTIFIER = re.compile(r"|[a-z0-9]+(?:_[a-z0-9]+)+|[\d.\-]+|[\w\-]*(?:/[\w.\-]*)+|/\w+.*")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LINK = re.compile(
    r"(?<![\w@.])(?:https?://)?(?:[a-z0-9-]+\.)+(?:uk|org|com|info|net|gov|io)\b(?:/[\w./%?=&#-]*[\w/])?",
    re.IGNORECASE,
)
PHONE = re.compile(r"\b0\d{3,4}\s?\d{3,7}\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(A-Z0-9])")


@dataclass
class Statement:
    file: str
    item: str
    field: str
    text: str
    sections: tuple[str, ...]
    marked: str | None = None  # "own_advice", "external" or None
    missing: tuple[str, ...] = ()

    @property
    def supported(self) -> bool:
        return not self.missing

    @property
    def where(self) -> str:
        return f"{self.file}: {self.item}: {self.field}"


@dataclass
class LinkProblem:
    file: str
    item: str
    link: str
    reason: str


@dataclass
class Report:
    source: str
    statements: list[Statement] = field(default_factory=list)
    uncited: int = 0  # text with no section and no citation: the assistant's own words
    links_checked: int = 0
    link_problems: list[LinkProblem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def unsupported(self) -> list[Statement]:
        return [s for s in self.statements if not s.supported and not s.marked]

    @property
    def marked(self) -> list[Statement]:
        return [s for s in self.statements if s.marked]

    @property
    def ok(self) -> bool:
        return not (self.unsupported or self.link_problems or self.errors)

    def summary(self) -> str:
        checked = [s for s in self.statements if not s.marked]
        own = sum(1 for s in self.marked if s.marked == "own_advice")
        return (
            f"provenance: {len(self.statements)} statements with a cited section; "
            f"{len(checked)} checked against it, {len(checked) - len(self.unsupported)} supported, "
            f"{len(self.unsupported)} unsupported; {own} marked as the assistant's own advice, "
            f"{len(self.marked) - own} from a named outside source; {self.uncited} uncited texts "
            f"(the assistant's own words); {self.links_checked} links, {len(self.link_problems)} not accounted for"
        )

    def text(self, show_marked: bool = False) -> str:
        lines = [f"Provenance of knowledge/ against {self.source}", self.summary()]
        lines += [f"ERROR {e}" for e in self.errors]
        if self.unsupported:
            lines.append("\nUnsupported statements (fix, cite the right section, or mark as own advice):")
            for s in self.unsupported:
                lines.append(f"- {s.where} [section {', '.join(s.sections)}]: {s.text!r}")
                lines.append(f"    not found in the section: {', '.join(s.missing)}")
        if self.link_problems:
            lines.append("\nLinks not given by the guidance and not marked as added and checked:")
            lines += [f"- {p.file}: {p.item}: {p.link} ({p.reason})" for p in self.link_problems]
        if show_marked and self.marked:
            lines.append("\nMarked as the assistant's own (shown with a label) or from an outside source:")
            lines += [f"- {s.where} [{s.marked}]: {s.text!r}" for s in self.marked]
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------
def _endings(word: str) -> set[str]:
    """The word and the word without a regular inflectional ending."""
    out = {word}
    if len(word) > 4:
        if word.endswith("ies"):
            out.add(word[:-3] + "y")
        if word.endswith("es"):
            out.add(word[:-2])
        if word.endswith("s") and not word.endswith("ss"):
            out.add(word[:-1])
        if word.endswith("ed"):
            out.update({word[:-2], word[:-1]})
        if word.endswith("ing"):
            out.update({word[:-3], word[:-3] + "e"})
    return out


@functools.lru_cache(maxsize=1)
def _nlp() -> Any:
    from cse_core.nlp import get_nlp

    return get_nlp()


def _word_forms(text: str) -> list[tuple[str, set[str]]]:
    """(word, its forms) for every word in ``text``: lower case, lemma, regular endings stripped."""
    doc = _nlp()(re.sub(r"[/–—_*\\¹²³⁴⁵⁶⁷⁸⁹]", " ", text.lower()))
    out = []
    for token in doc:
        for part in re.split(r"-", token.text):
            word = part.strip("'’\".,;:!?()[]“”‘")
            if not word or not any(c.isalnum() for c in word):
                continue
            forms = _endings(word)
            lemma = token.lemma_.lower() if part == token.text else word
            forms |= _endings(lemma)
            out.append((word, forms))
    return out


def _is_content(word: str) -> bool:
    from spacy.lang.en.stop_words import STOP_WORDS

    if word in FRAMING_WORDS or word in STOP_WORDS or word in _FRAGMENTS:
        return False
    return any(c.isalnum() for c in word)


@functools.lru_cache(maxsize=64)
def _vocabulary(section_text: str) -> frozenset[str]:
    return frozenset(form for _, forms in _word_forms(section_text) for form in forms)


def missing_words(statement: str, section_text: str) -> tuple[str, ...]:
    """The content words of ``statement`` not found (with inflection) in ``section_text``."""
    vocab = _vocabulary(section_text)
    missing: list[str] = []
    for word, forms in _word_forms(_clean(statement)):
        if _is_content(word) and not (forms & vocab) and word not in missing:
            missing.append(word)
    return tuple(missing)


def _clean(text: str) -> str:
    """The statement without what is checked elsewhere: citations, placeholders, links, emails, phones."""
    text = CITATION.sub(" ", text)
    text = PLACEHOLDER.sub(" ", text)
    text = EMAIL.sub(" ", text)
    text = LINK.sub(" ", text)
    return PHONE.sub(" ", text)


def split_statements(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+\.)\s+", "", line).strip()
        if line:
            out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out


def cited_sections(text: str) -> list[str]:
    found = []
    for m in CITATION.finditer(text):
        found += re.findall(SECTION_NUM, m["paren"] or m["bare"])
    return found


# ---------------------------------------------------------------------------------------------
# Walking knowledge/
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    file: str
    item: str
    section: str | None = None
    marked: str | None = None
    marked_fields: frozenset[str] = frozenset()
    added_links: frozenset[str] = frozenset()


def _norm_link(link: str) -> str:
    link = re.sub(r"^https?://", "", link.strip().lower()).rstrip("/.")
    return link[4:] if link.startswith("www.") else link


def _item_name(node: dict[str, Any], key: str | None, fallback: str) -> str:
    if "id" in node:
        return f"'{node['id']}'"
    return f"'{key}'" if key is not None else fallback


def _section_of(node: dict[str, Any]) -> str | None:
    if "section" in node and not isinstance(node["section"], (dict, list)):
        return str(node["section"])
    source = node.get("source")
    if isinstance(source, dict) and "section" in source:
        return str(source["section"])
    return None


def _walk(node: Any, ctx: _Context, key: str | None, path: str) -> Iterator[tuple[_Context, str, str]]:
    """(context, field, text) for every text in the tree."""
    if isinstance(node, dict):
        section = _section_of(node)
        marked, fields = ctx.marked, ctx.marked_fields
        own = node.get("own_advice")
        if own is True:
            marked = "own_advice"
        elif isinstance(own, list):
            fields = fields | frozenset(str(f) for f in own)
        source = node.get("source")
        if isinstance(source, dict) and source.get("external"):
            marked = marked or "external"
        links = ctx.added_links | frozenset(
            _norm_link(str(a.get("url", ""))) for a in node.get("added_links") or [] if isinstance(a, dict)
        )
        is_item = section is not None or "id" in node or (key is not None and ctx.section is None)
        ctx = _Context(ctx.file, _item_name(node, key, ctx.item) if is_item else ctx.item,
                       section or ctx.section, marked, fields, links)
        for k, v in node.items():
            if k in SKIP_SUBTREES and isinstance(v, (dict, list)):
                continue  # structure (levels, keywords, added_links declarations): no statements
            child = ctx
            if not ctx.marked and (k in MARKED_KEYS or k in ctx.marked_fields):
                child = replace(ctx, marked="own_advice")  # the whole value under a marked field
            yield from _walk(v, child, str(k), f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, ctx, key, f"{path}[{i}]")
    elif isinstance(node, str):
        yield ctx, key or "", node


def _guidance_links(text: str) -> set[str]:
    return {_norm_link(m) for m in LINK.findall(EMAIL.sub(" ", text))}


def _link_ok(link: str, given: set[str]) -> bool:
    return link in given or any(g.startswith(link + "/") for g in given)


def check(base: Path | None = None, source: Path | None = None) -> Report:
    """Check every YAML file under ``base`` against the guidance text at ``source``."""
    base = Path(base or knowledge.KNOWLEDGE_DIR)
    guidance_yml = yaml.safe_load((base / "guidance.yml").read_text(encoding="utf-8")) or {}
    source = Path(source or base / guidance_yml["document"]["source_file"])
    full_text = source.read_text(encoding="utf-8")
    sections = guidance_text.split_sections(full_text)
    known = {str(s) for s in guidance_yml.get("sections") or {}}
    given_links = _guidance_links(full_text)
    report = Report(source=str(source.relative_to(base.parent) if source.is_relative_to(base.parent) else source))
    for number in sorted(known - set(sections)):
        report.errors.append(f"guidance.yml: section '{number}' is not found in the guidance text")

    for path in sorted(base.rglob("*.yml")) + sorted(base.rglob("*.yaml")):
        rel = str(path.relative_to(base))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for ctx, field_name, text in _walk(data, _Context(rel, rel), None, ""):
            _check_links(report, ctx, text, given_links, full_text)
            if field_name in SKIP_KEYS or IDENTIFIER.fullmatch(text.strip()):
                continue  # identifiers and structure, not statements
            marked = ctx.marked
            for sentence in split_statements(text):
                cited = cited_sections(sentence)
                unknown = [c for c in cited if c not in known]
                if unknown:
                    report.errors.append(f"{rel}: {ctx.item}: cites unknown section(s) {unknown}: {sentence!r}")
                cited = [c for c in cited if c in known]
                cites = tuple(dict.fromkeys(([ctx.section] if ctx.section else []) + cited))
                if not cites:
                    report.uncited += 1
                    continue
                if not re.search(r"[A-Za-z]", _clean(sentence)):
                    continue  # only a placeholder, link or number
                if all(c in sections for c in cites):
                    section_text = "\n".join(sections[c] for c in cites)
                else:
                    report.errors.append(f"{rel}: {ctx.item}: section(s) {cites} not found in the text")
                    continue
                statement = Statement(rel, ctx.item, field_name, sentence, cites, marked)
                if not marked:
                    statement.missing = missing_words(sentence, section_text)
                report.statements.append(statement)
    return report


def _check_links(report: Report, ctx: _Context, text: str, given: set[str], full_text: str) -> None:
    for email in EMAIL.findall(text):
        if email.lower() not in full_text.lower() and ctx.marked != "external":
            report.link_problems.append(LinkProblem(ctx.file, ctx.item, email, "email not in the guidance"))
    for raw in LINK.findall(EMAIL.sub(" ", text)):
        report.links_checked += 1
        link = _norm_link(raw)
        if not (_link_ok(link, given) or link in ctx.added_links):
            report.link_problems.append(LinkProblem(ctx.file, ctx.item, raw, "not in the guidance"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--marked", action="store_true", help="also list the statements marked as own advice")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    report = check()
    text = report.text(show_marked=args.marked)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
