"""Topic specs: every accepted form of topics -> (names, vocabulary, topic-word matrix).

One parser for the generator, ``skmix.compare``, the CLI and ``fit``, so that a spec means the
same everywhere: a word listed twice in a topic counts twice.
"""

import numbers
from collections import Counter
from collections.abc import Mapping

import numpy as np

from ._validation import _short


def _check_words(words, name):
    """Return ``words`` as a list of non-empty str, refusing strings, empties and non-str."""
    if isinstance(words, str) or not isinstance(words, list | tuple | np.ndarray):
        raise TypeError(f"{name} must be a list of words (str), got {_short(words)}.")
    words = list(words)
    if not words:
        raise ValueError(f"{name} is empty: every topic needs at least one word.")
    bad = [word for word in words if not isinstance(word, str)]
    if bad:
        raise TypeError(f"{name} must hold only str words, got {_short(bad[0])}.")
    if "" in words:
        raise ValueError(f"{name} holds an empty word ''.")
    return words


def _check_weights(weights, name):
    """Check a dict word -> weight; return ``(words, weights)``."""
    words = _check_words(list(weights), name)
    values = np.asarray(list(weights.values()), dtype=float)
    if not np.all(np.isfinite(values)) or np.any(values < 0) or not np.any(values > 0):
        raise ValueError(
            f"{name} weights must be finite, non-negative and not all zero, got {_short(weights)}."
        )
    return words, values


def _word_weights(topic, name):
    """One topic as ``(words, weights)``: a word list (each word once per mention) or a dict."""
    if isinstance(topic, Mapping):
        return _check_weights(topic, name)
    words = _check_words(topic, name)
    return words, np.ones(len(words))


def check_vocabulary(vocabulary, size=None, label="topics"):
    """Return ``vocabulary`` as an object array of distinct, non-empty str.

    The one check of a vocabulary, for topic specs and for the words of a corpus: ``size``,
    when given, is the number of columns of ``label`` it must name.

    Examples
    --------
    >>> check_vocabulary(["b", "a"]).tolist()
    ['b', 'a']
    """
    words = _check_words(vocabulary, "vocabulary")
    duplicates = [word for word, count in Counter(words).items() if count > 1]
    if duplicates:
        raise ValueError(f"vocabulary holds repeated words, e.g. {duplicates[:3]!r}.")
    if size is not None and len(words) != size:
        raise ValueError(
            f"vocabulary has {len(words)} words but {label} has {size} columns; they must "
            "match, one word per column."
        )
    return np.array(words, dtype=object)


def _topics_from_lists(topics, names, vocabulary, label):
    """Word lists or word -> weight dicts (one per name) as a (K, V) matrix."""
    if not topics:
        raise ValueError(f"{label} must hold at least one topic, got an empty collection.")
    named = zip(topics, names, strict=True)
    pairs = [_word_weights(topic, f"{label}[{name!r}]") for topic, name in named]
    if vocabulary is None:
        vocabulary = list(dict.fromkeys(word for words, _ in pairs for word in words))
    vocabulary = check_vocabulary(vocabulary)
    index = {word: j for j, word in enumerate(vocabulary.tolist())}
    topic_word = np.zeros((len(pairs), len(vocabulary)))
    for k, (words, weights) in enumerate(pairs):
        missing = [word for word in words if word not in index]
        if missing:
            raise ValueError(f"{label}[{names[k]!r}] has words not in vocabulary: {missing[:3]!r}.")
        np.add.at(topic_word[k], [index[word] for word in words], weights)
    return vocabulary, _normalised_rows(topic_word)


def _normalised_rows(weights):
    """Rows divided by their sums; first by their largest value where a sum overflows
    (1e308 + 1e308), and only there, so that other rows stay what they always were."""
    with np.errstate(over="ignore"):  # an overflow is seen below and dealt with
        sums = weights.sum(axis=1, keepdims=True)
    if not np.all(np.isfinite(sums)):
        weights = weights / weights.max(axis=1, keepdims=True)
        sums = weights.sum(axis=1, keepdims=True)
    return weights / sums


def _topics_from_array(topics, vocabulary):
    """A (K, V) non-negative array with its vocabulary, rows normalised to sum to 1."""
    try:
        if np.iscomplexobj(topics):  # a float conversion would drop the imaginary parts
            raise TypeError(f"topics must be real numbers, got a complex array {_short(topics)}.")
        topic_word = np.asarray(topics, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"topics must be numbers when given as an array: {exc}") from exc
    if topic_word.ndim != 2 or 0 in topic_word.shape:
        raise ValueError(f"topics as an array must be 2-D (K, V), got shape {topic_word.shape}.")
    if not np.all(np.isfinite(topic_word)) or np.any(topic_word < 0):
        raise ValueError("topics as an array must be finite and non-negative.")
    empty = np.flatnonzero(~np.any(topic_word > 0, axis=1))
    if empty.size:
        raise ValueError(f"topics[{empty[0]}] is all zeros: every topic needs some weight.")
    if vocabulary is None:
        raise ValueError("vocabulary must be given with topics as an array (a word per column).")
    vocabulary = check_vocabulary(vocabulary, size=topic_word.shape[1])
    return vocabulary, _normalised_rows(topic_word)


def parse_topics(topics, vocabulary, label="topics"):
    """Any accepted ``topics`` form as ``(names, vocabulary, topic_word)``.

    ``label`` names the argument in error messages. Word lists count a word once per mention,
    so ``["a", "a", "b"]`` gives "a" probability 2/3, wherever the spec is read.
    """
    if isinstance(topics, Mapping):
        names = [str(name) for name in topics]
        return (names, *_topics_from_lists(list(topics.values()), names, vocabulary, label))
    if isinstance(topics, np.ndarray) or (
        isinstance(topics, list | tuple) and topics and _is_number_row(topics[0])
    ):
        vocabulary, topic_word = _topics_from_array(topics, vocabulary)
        return [f"topic_{k}" for k in range(len(topic_word))], vocabulary, topic_word
    if isinstance(topics, list | tuple):
        names = [f"topic_{k}" for k in range(len(topics))]
        return (names, *_topics_from_lists(list(topics), names, vocabulary, label))
    raise TypeError(
        f"{label} must be a list of word lists, a dict name -> words, a list of dicts "
        f"word -> weight, or a (K, V) array with vocabulary; got {_short(topics)}."
    )


def _is_number_row(row):
    """Whether ``row`` is a row of numbers (an array given as nested lists)."""
    return isinstance(row, list | tuple | np.ndarray) and all(
        isinstance(value, numbers.Number) for value in row
    )
