"""Some documents of a block, drawn without drawing the others: the same tokens, less memory.

A block of the seed scheme draws its 1,000 documents' lengths, proportions and topic counts
(small: 1,000 x K numbers), then one uniform per token, topic after topic, for the words, then
one random key per token, in the same topic-major order, for the shuffle within documents. A
document's tokens are therefore spread over the block's streams at places that the topic
counts tell: topic ``k``'s tokens of documents ``a`` to ``b - 1`` are one run of consecutive
draws. numpy's PCG64 can jump over any number of draws at once (``advance``), so each run is
drawn alone, from the very state the whole block would reach there. The documents come out the
same, token for token, as from the whole block (``tests/test_memory.py`` checks it), while
memory holds only their tokens: ``sample(1)`` of a 100,000-word document used to draw a block
of 100 million tokens (3.7 GB, 15 s).

This needs the two facts of numpy's stream it relies on, both part of its documented
behaviour for ``PCG64``: a float64 uniform takes one 64-bit draw, and ``advance(n)`` is the
same as ``n`` 64-bit draws. The shuffle keys of a block of at least 2**22 tokens have at most
31 random bits (``_document_order``), which numpy draws from 32-bit halves of 64-bit draws,
low half first, through the generator's one-half buffer; blocks this module serves are that
large (:data:`MIN_TOKENS`), smaller ones are drawn whole as before.
"""

import numpy as np

__all__ = ["MIN_TOKENS", "draw_part"]

#: Blocks with fewer tokens are drawn whole (cheap, and the old code path, byte for byte).
MIN_TOKENS = 2**22


def _uniforms(bit_generator, state, runs):
    """The float64 uniforms of each run ``(first draw, count)`` after ``state``, joined."""
    out = np.empty(int(sum(count for _, count in runs)))
    generator = np.random.Generator(bit_generator)
    filled = 0
    for first, count in runs:
        bit_generator.state = state
        bit_generator.advance(int(first))
        out[filled : filled + count] = generator.random(count)
        filled += count
    return out


def _halves(bit_generator, state, runs):
    """The 32-bit draws numbered by each run ``(first, count)`` after ``state``, joined.

    numpy hands out 32-bit draws from 64-bit ones, low half then high half, and keeps a half
    left over from before (``has_uint32``): that one is draw 0.
    """
    buffered = int(state["has_uint32"])
    out = np.empty(int(sum(count for _, count in runs)), dtype=np.uint64)
    filled = 0
    for first, count in runs:
        if count == 0:
            continue
        piece = out[filled : filled + count]
        if buffered and first == 0:
            piece[0], first, piece = state["uinteger"], 1, piece[1:]
        q0, q1 = first - buffered, first - buffered + piece.size  # in the 64-bit draws' halves
        bit_generator.state = state
        bit_generator.advance(q0 // 2)
        raw = bit_generator.random_raw(-(-q1 // 2) - q0 // 2)
        both = np.empty(raw.size * 2, dtype=np.uint64)
        both[0::2], both[1::2] = raw & 0xFFFFFFFF, raw >> np.uint64(32)
        piece[:] = both[q0 % 2 : q0 % 2 + piece.size]
        filled += count
    return out


def draw_part(rng, counts, start, stop, lookup, doc_bits):
    """Documents ``start`` to ``stop - 1`` of a block, as the whole block would draw them.

    Parameters
    ----------
    rng : numpy.random.Generator
        The block's generator (PCG64), just after its topic counts were drawn.
    counts : ndarray of shape (n_documents, n_topics)
        Every document's tokens per topic (the whole block's).
    start, stop : int
        The documents wanted.
    lookup : callable
        ``lookup(topic_counts, uniforms)``: the words of the tokens, topic after topic, from
        their uniforms (the alias tables' lookup).
    doc_bits : int
        Bits of the document index in the shuffle keys.

    Returns
    -------
    word_ids, token_topics : ndarray of shape (n_tokens,)
        The tokens of the documents, in document order, shuffled as the block shuffles them.
    """
    bit_generator = rng.bit_generator
    state = bit_generator.state
    topic_counts = counts.sum(axis=0)
    total = int(topic_counts.sum())
    topic_starts = np.concatenate([[0], np.cumsum(topic_counts)[:-1]])
    before = counts[:start].sum(axis=0)
    wanted = counts[start:stop].sum(axis=0)
    runs = list(zip((topic_starts + before).tolist(), wanted.tolist(), strict=True))
    words = lookup(wanted, _uniforms(bit_generator, state, runs))
    n_topics = counts.shape[1]
    topics = np.repeat(np.arange(n_topics, dtype=np.min_scalar_type(n_topics - 1)), wanted)
    docs = np.repeat(np.tile(np.arange(start, stop), n_topics), counts[start:stop].T.ravel())
    order = _shuffle(bit_generator, state, total, runs, docs, doc_bits)
    return words[order], topics[order]


def _shuffle(bit_generator, state, total, runs, docs, doc_bits):
    """The order ``_document_order`` gives the chosen tokens (positions among them)."""
    position_bits = max(total - 1, 1).bit_length()
    random_bits = 63 - doc_bits - position_bits
    if random_bits > 32:
        raise ValueError(f"a block of {total} tokens is drawn whole, not in parts.")
    after_words = dict(state, state=dict(state["state"]))
    bit_generator.state = state
    bit_generator.advance(total)  # past the word uniforms
    after_words["state"] = bit_generator.state["state"]
    keys = _halves(bit_generator, after_words, runs).astype(np.int64)
    keys >>= 32 - random_bits  # Lemire's method on a power of two: the draw's top bits
    positions = np.concatenate([np.arange(first, first + count) for first, count in runs])
    keys <<= position_bits
    keys |= docs.astype(np.int64) << (63 - doc_bits)
    keys |= positions
    keys.sort()
    keys &= (1 << position_bits) - 1
    return np.searchsorted(positions, keys)
