"""``TopicMixtureGenerator.fit(X)`` with ``"auto"`` realism: a look-alike of real text.

A plain LDA fit samples text far less bursty than the corpus, with fewer words seen once and a
slower vocabulary growth. With ``background="auto"``, ``burstiness="auto"`` or
``new_words="auto"`` the fit learns, in this order:

1. the words of the background (used by at least half the documents) and of the tail (seen
   once), from the corpus's counts; the background's share of the tokens is
   ``background_rate``, its word weights are its counts;
2. the topics, by the backend, from the other words only (documents keep their full lengths);
3. kappa, by bisection, so that a look-alike of the corpus's size (one fixed seed) is as
   bursty as the corpus (the share of the top 200 words' occurrences that repeat within a
   document); a corpus of more than ``CALIBRATION_TOKENS`` tokens is calibrated on every k-th
   of its documents, so that the look-alikes drawn stay small;
4. the tail's rate and Zipf exponent, so that the look-alike has as many distinct words, and
   as many seen once, as the corpus: the tail supplies those the topics' words leave, by its
   expected frequency spectrum (:func:`~skmix._realism.zipf_tail_for`); twice, as the
   tail's rate changes what the topics' words leave.
"""

import numpy as np

from ._blocks import NEW_WORD_TOPIC, DocumentBlocks
from ._realism import (
    Realism,
    calibrate_burstiness,
    is_auto,
    split_vocabulary,
    zipf_tail_for,
)
from ._text_stats import text_statistics
from ._topic_fit import document_term_counts, non_empty_rows
from ._validation import seed_sequence
from .processes import Dirichlet, ZipfTail, length_law

#: The tail exponent used while kappa is calibrated (it hardly moves the top words' repeats).
_PROVISIONAL_EXPONENT = 2.0

#: Rounds of fitting the tail to what the topics' words leave (the second moves it little).
_TAIL_ROUNDS = 2

#: The largest share of tokens the learned tail may take.
_MAX_TAIL_RATE = 0.5


def fit_lookalike(generator, X, vocabulary):
    """Fit ``generator`` (a TopicMixtureGenerator) to ``X``, learning the ``"auto"`` parts.

    ``X`` and ``vocabulary`` as the generator's ``fit`` validated them.
    """
    counts, vocabulary = document_term_counts(X, vocabulary)
    counts = non_empty_rows(counts)
    topic_words, background_words, tail_words = split_vocabulary(
        counts, background=generator.background, new_words=generator.new_words
    )
    topic_counts = counts if topic_words.all() else counts[:, topic_words]
    result = generator._fit_topics(topic_counts, vocabulary[topic_words], generator.n_topics)
    del topic_counts
    totals = np.asarray(counts.sum(axis=0)).ravel()
    background, rate = _background(generator, totals, background_words)
    tail_rate = totals[tail_words].sum() / totals.sum()
    generator._set_truth(
        np.asarray(result.vocabulary, dtype=object),
        np.asarray(result.topic_word, dtype=float),
        list(result.topic_names),
        np.asarray(result.topic_weights, dtype=float),
    )
    if background is not None:
        generator._set_truth(*_with_background_words(generator, vocabulary, background_words),
                             generator.topic_names_, generator.topic_weights_)
        background = _spread(background, vocabulary[background_words], generator.vocabulary_)
    lengths = np.asarray(counts.sum(axis=1), dtype=np.int64).ravel()
    prior = Dirichlet(np.asarray(result.doc_topic_prior, dtype=float))
    sample_counts, sample_lengths = _calibration_sample(counts, lengths)
    del counts  # the corpus's counts (~0.5 GB at 50,000,000 tokens): calibration needs a sample
    realism = _calibrate(generator, sample_counts, sample_lengths, prior,
                         Realism(background, rate, generator.burstiness, generator.new_words),
                         tail_rate)
    generator._set_drawing(prior, lengths, realism)
    generator.model_ = result.model


def _background(generator, totals, background_words):
    """The background's weights over its words and its share of tokens, or the given ones."""
    if is_auto(generator.background):
        if not background_words.any():
            return None, 0.0
        return totals[background_words] / totals[background_words].sum(), (
            totals[background_words].sum() / totals.sum())
    if generator.background is not None:
        raise ValueError("with 'auto' burstiness or new words, background must be 'auto' or "
                         "None when fitting a corpus.")
    return None, 0.0


def _with_background_words(generator, vocabulary, background_words):
    """Vocabulary and topic-word matrix with the background's words added at the end."""
    added = vocabulary[background_words].astype(object)
    topic_word = np.hstack([generator.topic_word_,
                            np.zeros((generator.topic_word_.shape[0], added.size))])
    return np.concatenate([generator.vocabulary_, added]), topic_word


def _spread(weights, words, vocabulary):
    """``weights`` of ``words`` as an array over ``vocabulary`` (which holds every word)."""
    position = {word: i for i, word in enumerate(vocabulary.tolist())}
    spread = np.zeros(len(vocabulary))
    spread[[position[w] for w in words.tolist()]] = weights
    return spread


#: Tokens of the real corpus (documents evenly spread over it) that kappa and the tail are
#: calibrated on: each round draws a synthetic corpus as large, so a corpus of 50,000,000
#: tokens would need several of its size in memory at once.
CALIBRATION_TOKENS = 2_000_000


def _calibration_sample(counts, lengths):
    """Every k-th document, k the smallest that keeps at most ``CALIBRATION_TOKENS`` tokens."""
    step = max(1, -(-int(lengths.sum()) // CALIBRATION_TOKENS))
    if step == 1:
        return counts, lengths
    rows = np.arange(0, lengths.size, step)
    return counts[rows], lengths[rows]


def _calibrate(generator, counts, lengths, prior, realism, tail_rate):
    """Learn kappa and the tail's exponent against the real corpus (see the module), from the
    documents ``_calibration_sample`` kept (``counts`` and ``lengths``)."""
    real_ids = np.repeat(counts.indices, counts.data)
    real = text_statistics(real_ids, np.concatenate([[0], np.cumsum(lengths)]))
    new_words = realism.new_words
    if is_auto(new_words):
        start = len(generator.vocabulary_) + 1
        new_words = ZipfTail(tail_rate, _PROVISIONAL_EXPONENT, start) if tail_rate > 0 else None
    root = seed_sequence(generator.random_state).spawn(1)[0]

    def draw(kappa, tail=new_words):
        blocks = DocumentBlocks(
            generator.topic_word_, generator.vocabulary_, generator.topic_names_,
            length_law(lengths), prior, background=realism.background,
            background_rate=realism.background_rate, burstiness=kappa, new_words=tail,
        )
        return blocks.documents(root, 0, lengths.size)

    kappa = realism.burstiness
    if is_auto(kappa):
        kappa = calibrate_burstiness(real.burstiness, lambda k: _ids(draw(k)))
    if is_auto(realism.new_words) and new_words is not None:
        for _ in range(_TAIL_ROUNDS):
            new_words = _fit_tail(draw(kappa, new_words), real, lengths.sum(), new_words)
    return realism._replace(burstiness=kappa,
                            new_words=None if new_words is None else new_words.check())


def _fit_tail(sample, real, n_tokens, new_words):
    """The Zipf tail that gives ``sample``'s topic words the real distinct and once-seen words."""
    words = sample.token_ids.values[sample.token_topics.values != NEW_WORD_TOPIC]
    closed = np.bincount(words)
    distinct = real.vocabulary_size - np.count_nonzero(closed)
    seen_once = round(real.hapax_share * real.vocabulary_size) - np.count_nonzero(closed == 1)
    start = new_words.start
    n_tail, exponent = zipf_tail_for(max(distinct, 1), min(max(seen_once, 1), max(distinct, 1)),
                                     start)
    return ZipfTail(min(n_tail / n_tokens, _MAX_TAIL_RATE), exponent, start)


def _ids(corpus):
    return corpus.token_ids.values, corpus.token_ids.offsets
