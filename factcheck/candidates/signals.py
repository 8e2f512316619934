"""What makes a sentence worth checking: the signals found in it.

Each signal is found on spaCy's tokens (``like_num``, ``is_title``, ``is_upper``,
``is_quote``, ``is_currency``) and a few word lists kept here. There is no
statistical named-entity model: spaCy's English models are not published on
PyPI by their authors (only as downloads from GitHub releases, which nothing
here may fetch at run time), so names are spotted from capitalisation: a run of
capitalised words that does not merely open the sentence, or an acronym.
A run with an organisation word ("Watch", "Ministry", "Council") or an acronym
counts as an organisation; two or three capitalised words after a title
("President", "Mr.") or before "said"/"told" count as a person.
"""

import re
from dataclasses import dataclass, field

from factcheck.candidates.sentences import tokens


class Signal:
    NUMBER = "number"
    QUANTITY = "quantity"
    DATE = "date"
    QUOTATION = "quotation"
    ATTRIBUTION = "attribution"
    COMPARISON = "comparison"
    PERSON = "person"
    ORGANISATION = "organisation"
    NAME = "name"


MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
    "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.",
    "nov.", "dec.",
}  # fmt: skip
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
RELATIVE_DATES = {"yesterday", "today", "tomorrow", "decade", "decades", "century"}
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)s?$")

NUMBER_WORDS = {
    "hundreds", "thousands", "millions", "billions", "dozens", "dozen", "half",
    "twice", "double", "triple", "majority", "minority", "once",
}  # fmt: skip
SCALE_WORDS = {"hundred", "thousand", "million", "billion", "trillion", "percent", "per", "%"}

ATTRIBUTION_WORDS = {
    "said", "says", "say", "told", "tell", "tells", "found", "finds", "find", "document",
    "documents", "documented", "reported", "reports", "report", "stated", "states",
    "claimed", "claims", "alleged", "alleges", "concluded", "concludes", "estimated",
    "estimates", "announced", "confirmed", "denied", "accused", "wrote", "writes",
    "testified", "showed", "shows", "revealed", "recorded", "interviewed", "cited",
    "according", "described", "describes", "warned", "added", "insisted", "admitted",
    "acknowledged", "argued", "noted", "called", "calls", "urged", "urges", "recommended",
    "recommends", "identified", "established", "determined", "verified", "received",
    "think", "thinks", "believe", "believes", "regard", "regards",
}  # fmt: skip
SPEECH_VERBS = {"said", "says", "told", "wrote", "added", "stated", "according"}
COMPARISON_WORDS = {
    "than", "more", "less", "fewer", "most", "least", "largest", "biggest", "highest",
    "lowest", "smallest", "worst", "best", "first", "last", "only", "record", "compared",
    "increase", "increased", "decrease", "decreased", "rose", "fell", "doubled", "tripled",
    "halved", "since", "unprecedented", "majority", "all", "every", "none", "never",
}  # fmt: skip
ORGANISATION_WORDS = {
    "watch", "organization", "organisation", "ministry", "committee", "council", "nations",
    "union", "court", "office", "agency", "police", "commission", "government",
    "department", "parliament", "university", "institute", "bank", "party", "group",
    "association", "foundation", "service", "centre", "center", "news", "times", "post",
    "mechanism", "assembly", "board", "army", "forces", "company", "corporation", "inc",
    "ltd", "network", "authority", "authorities", "osce", "un", "eu", "nato", "bbc",
}  # fmt: skip
PERSON_TITLES = {
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "president", "minister",
    "professor", "prof.", "judge", "senator", "governor", "mayor", "director",
    "spokesman", "spokeswoman", "spokesperson", "chief", "ambassador", "general",
}  # fmt: skip
NAME_JOINERS = {"of", "for", "the", "and", "on", "in", "de", "von", "van", "al", "-"}


@dataclass
class Found:
    """The signals of one sentence, with the words that showed each."""

    words: dict = field(default_factory=dict)

    def add(self, signal: str, word: str) -> None:
        self.words.setdefault(signal, [])
        if word not in self.words[signal]:
            self.words[signal].append(word)

    def __contains__(self, signal: str) -> bool:
        return signal in self.words


def _is_number(token) -> bool:
    lower = token.lower_
    if lower in NUMBER_WORDS or token.like_num:
        return True
    return any(character.isdigit() for character in token.text)


def _names(doc, found: Found) -> None:
    """Runs of capitalised words (with "of", "for", ... inside) and acronyms."""
    run: list = []

    def close():
        while run and run[-1].lower_ in NAME_JOINERS:
            run.pop()
        if not run:
            return
        after_run = run[-1].i + 1
        if after_run < len(doc) and doc[after_run].lower_ in ORGANISATION_WORDS:
            run.append(doc[after_run])  # "the Belarusian government"
        words = [token.lower_ for token in run]
        starts_sentence = run[0].i == 0 or doc[run[0].i - 1].is_quote
        acronym = any(t.is_upper and len(t.text) >= 2 and t.is_alpha for t in run)
        if starts_sentence and len(run) == 1 and not acronym:
            run.clear()  # a capital that only opens the sentence
            return
        name = " ".join(token.text for token in run)
        before = doc[run[0].i - 1].lower_ if run[0].i > 0 else ""
        after = doc[run[-1].i + 1].lower_ if run[-1].i + 1 < len(doc) else ""
        if acronym or ORGANISATION_WORDS.intersection(words):
            found.add(Signal.ORGANISATION, name)
        elif before in PERSON_TITLES or (2 <= len(run) <= 3 and after in SPEECH_VERBS):
            found.add(Signal.PERSON, name)
        elif 2 <= len(run) <= 3 and all(t.is_title for t in run):
            found.add(Signal.PERSON if after in ATTRIBUTION_WORDS else Signal.NAME, name)
        else:
            found.add(Signal.NAME, name)
        run.clear()

    for token in doc:
        capital = token.is_alpha and (token.is_title or (token.is_upper and len(token) >= 2))
        joiner = bool(run) and token.lower_ in NAME_JOINERS and not token.is_title
        if (capital and token.lower_ not in MONTHS | WEEKDAYS) or joiner:
            run.append(token)
        else:
            close()
    close()


def find(sentence: str) -> Found:
    """The check-worthiness signals of one sentence."""
    doc = tokens(sentence)
    found = Found()
    quote_marks = 0
    for index, token in enumerate(doc):
        lower = token.lower_
        following = doc[index + 1].lower_ if index + 1 < len(doc) else ""
        if lower in MONTHS | WEEKDAYS | RELATIVE_DATES or _YEAR.match(token.text):
            found.add(Signal.DATE, token.text)
        elif _is_number(token):
            found.add(Signal.NUMBER, token.text)
            if (
                following in SCALE_WORDS
                or token.text.endswith("%")
                or (index > 0 and doc[index - 1].is_currency)
            ):
                found.add(Signal.QUANTITY, f"{token.text} {following}".strip())
        if token.is_quote:
            quote_marks += 1
        if lower in ATTRIBUTION_WORDS and (lower != "according" or following == "to"):
            found.add(Signal.ATTRIBUTION, token.text)
        if lower in COMPARISON_WORDS:
            found.add(Signal.COMPARISON, token.text)
    if quote_marks >= 2 or sentence.lstrip()[:1] in '“"' or sentence.rstrip()[-1:] in '”"':
        found.add(Signal.QUOTATION, "quotation marks")
    _names(doc, found)
    return found
