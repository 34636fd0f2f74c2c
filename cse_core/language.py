"""A cheap check for messages not written in English, so they get a clear reply."""

from __future__ import annotations

import re
import unicodedata

# Short, very common English words; an English sentence of a few words has some.
_ENGLISH = set(
    ["a", "an", "the", "i", "im", "i'm", "you", "u", "she", "he", "her", "him", "his", "they", "them", "we", "my", "me", "is", "are", "was", "be", "been", "do", "does", "did", "what", "how", "who", "where", "when", "why", "which", "can", "could", "should", "would", "will", "to", "of", "in", "on", "at", "for", "with", "about", "and", "or", "not", "no", "yes", "if", "it", "its", "this", "that", "there", "have", "has", "had", "get", "got", "from", "by", "as", "so", "but"]
)
# Very common function words of languages Darlington families write in (Polish, Romanian,
# Urdu in Latin script, French, Spanish, Portuguese, German, Lithuanian...).
_FOREIGN = set(
    ["nie", "jest", "się", "sie", "na", "że", "ze", "co", "mam", "moja", "mój", "moj", "czy", "jak", "tak", "este", "și", "si", "nu", "ce", "sunt", "cu", "pentru", "fiica", "mea", "meu", "hai", "hain", "mein", "kya", "aur", "nahi", "nahin", "ki", "ka", "ke", "ko", "meri", "mera", "beti", "est", "les", "des", "une", "je", "suis", "pas", "mais", "avec", "pour", "ma", "mon", "fille", "que", "los", "las", "una", "es", "por", "para", "mi", "hija", "está", "esta", "muy", "pero", "não", "nao", "uma", "minha", "filha", "der", "die", "das", "und", "ist", "nicht", "ich", "meine", "tochter", "yra", "ir", "mano", "dukra", "kaip"]
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


def _has_diacritics(word: str) -> bool:
    return any(unicodedata.decomposition(ch) or ch in "łŁđßøæ" for ch in word if ord(ch) > 127)


def looks_english(text: str) -> bool:
    """False only when the text is clearly not English. Keyword queries, short or mixed
    messages count as English, so a practitioner's terse question is never turned away."""
    words = [w.lower() for w in _WORD.findall(text or "")]
    if not words:
        return True
    letters = "".join(words)
    if sum(1 for ch in letters if ord(ch) > 0x24F) > len(letters) / 2:
        return False  # another script: Arabic, Urdu, Cyrillic...
    english = sum(w in _ENGLISH for w in words)
    foreign = sum(w in _FOREIGN for w in words)
    accented = sum(_has_diacritics(w) for w in words)
    if foreign >= 2 and foreign >= english:
        return False
    return not (accented and english == 0 and len(words) >= 3)
