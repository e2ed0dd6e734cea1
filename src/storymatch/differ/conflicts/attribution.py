"""Attribution: reporting verbs, hedges, and the framing of a statement.

Reporting verbs are read in classes (``said`` is neutral; ``claimed``, ``insisted``,
``admitted``, ``denied``, ``warned``, ``suggested``, ``accused`` each frame a statement), outside
quotations and not as nouns or passives (``his claims``, ``was admitted``). Hedges are
``allegedly``, ``reportedly``, ``may``, ``the alleged attacker``, ``is said to``.

- :func:`attribution_conflicts`: a hedge set into words both texts share, on one side only
  (``allegedly stabbed`` against ``stabbed``): a conflict.
- :func:`verb_framing`: verbs of different classes about the same speaker or words (``said``
  against ``claimed``): framing, how an outlet presents a statement, kept apart from the
  conflicts (:func:`storymatch.differ.conflicts.find_framing`).
"""

from __future__ import annotations

from typing import Final

from storymatch.differ.conflicts._common import Analysis, Found, span
from storymatch.differ.conflicts.numbers import is_content, stem_of
from storymatch.text.tokens import PUNCT, SENTENCE_END, WORD, Token, token_opcodes, word_set

__all__ = ["HEDGES", "attribution_conflicts", "verb_framing", "verbs_and_hedges"]


_DETERMINERS: Final = word_set(
    "the a an his her their its our my your this these those such no any some every each 's"
)

_VERB_CLASSES: Final = {
    "neutral": "say says said saying tell tells told telling state states stated stating "
    "announce announces announced announcing add adds added adding explain explains explained "
    "note notes noted report reports reported confirm confirms confirmed declare declares "
    "declared write writes wrote tweeted remarked commented according",
    "claim": "claim claims claimed claiming allege alleges alleging assert asserts asserted "
    "asserting contend contends contended contending purport purports",
    "insist": "insist insists insisted insisting argue argues argued arguing",
    "concede": "admit admits admitted admitting concede concedes conceded conceding "
    "acknowledge acknowledges acknowledged acknowledging confess confesses confessed",
    "deny": "deny denies denied denying",
    "warn": "warn warns warned warning caution cautions cautioned",
    "suggest": "suggest suggests suggested suggesting hint hints hinted hinting imply implies "
    "implied speculate speculates speculated",
    "accuse": "accuse accuses accusing blame blames blamed blaming",
}

_VERB_CLASS: Final = {form: cls for cls, forms in _VERB_CLASSES.items() for form in forms.split()}

_AUX: Final = word_set("was were been being is are be am get gets got")

HEDGES: Final = word_set(
    "reportedly allegedly apparently purportedly supposedly possibly perhaps probably "
    "presumably seemingly ostensibly maybe may might"
)

# Words that soften as much as a hedge but do not flag on their own ("could" vs "may").
_WEAK_MODALS: Final = frozenset(["could", "would", "should", "likely"])

# Verb forms that are also plural nouns, and words that follow the noun, not the verb.
_NOUN_FORMS: Final = word_set(
    "claim claims report reports note notes state states hint hints warning blame comment add"
)

_AFTER_NOUN: Final = word_set(
    "of as were are was is by about from in on to against for and or have had has will would "
    "could may might"
)

_HEDGE_ADJECTIVES: Final = word_set(
    "alleged suspected purported presumed possible probable apparent likely"
)

_OBJECT_SPAN: Final = 3  # words after a verb that can show it is not reporting speech

_NOT_REPORTING: Final = {
    "claim": word_set("responsibility credit victory lives life title asylum seat seats"),
    "deny": word_set("bail entry access permission visa visas asylum"),
}


def verbs_and_hedges(
    tokens: tuple[Token, ...], quoted: frozenset[int]
) -> tuple[tuple[tuple[int, str], ...], frozenset[int], frozenset[int]]:
    """Return the reporting verbs (index, class), hedges and weak modals outside quotations."""
    n = len(tokens)
    verbs: list[tuple[int, str]] = []
    hedges: set[int] = set()
    modals: set[int] = set()
    for i, t in enumerate(tokens):
        if t.kind != WORD or i in quoted:
            continue
        key = t.key
        prev = tokens[i - 1].key if i else ""
        nxt = tokens[i + 1].key if i + 1 < n else ""
        if key in HEDGES:
            if not t.cap or t.initial:  # "May" mid-sentence is a month or a name
                hedges.add(i)
            continue
        if key in _WEAK_MODALS:
            modals.add(i)
            continue
        if key in _HEDGE_ADJECTIVES and prev in _DETERMINERS:
            hedges.add(i)  # "the alleged attacker", "a suspected gunman"
            continue
        if key in {"said", "believed", "thought"} and prev in _AUX and nxt == "to":
            hedges.add(i)  # "he is said to have fled"
            continue
        cls = _VERB_CLASS.get(key)
        if cls is None:
            continue
        if key == "according" and nxt != "to":
            continue
        if prev in _DETERMINERS or (prev in _AUX and not key.endswith("ing")):
            continue  # a noun ("his claims") or a passive ("was admitted")
        if key in _NOUN_FORMS and (
            nxt in _AFTER_NOUN or (i + 1 < n and tokens[i + 1].kind == PUNCT)
        ):
            continue  # "ownership claims as", "the reports were"
        following = {tokens[k].key for k in range(i + 1, min(i + 1 + _OBJECT_SPAN, n))}
        if following & _NOT_REPORTING.get(cls, frozenset()):
            continue  # "claimed responsibility", "denied bail"
        if cls == "concede" and "hospital" in following:
            continue
        verbs.append((i, cls))
    return tuple(verbs), frozenset(hedges), frozenset(modals)


_VERB_SPAN: Final = 4  # words each side of a reporting verb that name its speaker or content


def _verb_context(an: Analysis, i: int) -> set[str]:
    """Return the stems of the content words around the verb at ``i`` in its sentence."""
    found = set()
    for step in (-1, 1):
        p = i + step
        while 0 <= p < len(an.tokens) and abs(p - i) <= _VERB_SPAN:
            t = an.tokens[p]
            if t.key in SENTENCE_END:
                break
            if is_content(t) and t.key not in _VERB_CLASS:
                found.add(stem_of(t.key))
            p += step
    return found


def _word_count(an: Analysis, lo: int, hi: int) -> int:
    return sum(an.tokens[i].kind != PUNCT for i in range(lo, hi))


def verb_framing(left: Analysis, right: Analysis) -> list[Found]:
    """Return the reporting verbs of different classes about the same speaker or words.

    A verb counts when its class is not used on the other side and it shares a content word
    within four words with such a verb of the other side; one finding lists them all.
    """
    found = []
    # reporting verbs of different classes, about the same speaker or the same words
    classes_l = {cls for _, cls in left.verbs}
    classes_r = {cls for _, cls in right.verbs}
    only_l = [(i, _verb_context(left, i)) for i, cls in left.verbs if cls not in classes_r]
    only_r = [(j, _verb_context(right, j)) for j, cls in right.verbs if cls not in classes_l]
    paired_l = sorted({i for i, cl in only_l for _, cr in only_r if cl & cr})
    paired_r = sorted({j for j, cr in only_r for _, cl in only_l if cl & cr})
    if paired_l and paired_r:
        found.append(
            Found(
                "attribution",
                left.tokens[paired_l[0]].start,
                right.tokens[paired_r[0]].start,
                tuple(left.tokens[i].text for i in paired_l),
                tuple(right.tokens[j].text for j in paired_r),
            )
        )
    return found


def attribution_conflicts(left: Analysis, right: Analysis) -> list[Found]:
    """Return the hedges set into words both texts share, on one side only.

    Nothing is found when both sides hedge (or soften with a modal such as ``could``), or when
    the texts share less than half of the shorter one's words.
    """
    found: list[Found] = []
    if bool(left.hedges) == bool(right.hedges) or (
        left.modals | left.hedges and right.modals | right.hedges
    ):
        return found
    # a hedge on one side only, set into words both sides share: "allegedly stabbed"
    ops = token_opcodes(left.text, right.text)
    shared = sum(_word_count(left, i1, i2) for tag, i1, i2, _, _ in ops if tag == "equal")
    shorter = min(_word_count(left, 0, len(left.tokens)), _word_count(right, 0, len(right.tokens)))
    if 2 * shared < shorter:
        return found  # too little in common to say the hedge is the difference
    for k in range(1, len(ops) - 1):
        tag, i1, i2, j1, j2 = ops[k]
        before, after = ops[k - 1], ops[k + 1]
        if (
            tag == "equal"
            or before[0] != "equal"
            or after[0] != "equal"
            or not _word_count(left, before[1], before[2])
            or not _word_count(left, after[1], after[2])
        ):
            continue
        hedged_l = [i for i in range(i1, i2) if i in left.hedges]
        hedged_r = [j for j in range(j1, j2) if j in right.hedges]
        hedged, hedge_span, other_span = (
            (hedged_l, i2 - i1, j2 - j1) if hedged_l else (hedged_r, j2 - j1, i2 - i1)
        )
        if not hedged or hedge_span > len(hedged) + 1 or other_span > 1:
            continue  # the hedge must be the difference: "allegedly shot", "may" / "will"
        lw = (
            tuple(left.tokens[i].text for i in hedged_l)
            if hedged_l
            else ((span(left, i1, i2 - 1),) if i2 > i1 else ())
        )
        rw = (
            tuple(right.tokens[j].text for j in hedged_r)
            if hedged_r
            else ((span(right, j1, j2 - 1),) if j2 > j1 else ())
        )
        found.append(Found("attribution", left.tokens[i1].start, right.tokens[j1].start, lw, rw))
    return found
