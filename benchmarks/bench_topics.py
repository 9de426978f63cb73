"""TopicMixtureGenerator speed and memory, as ratios against baselines measured in the same run.

K=100 topics, V=10,000 words, 20,000 documents of Poisson(200) words (about 4,000,000 tokens),
each document's proportions drawn from Dirichlet(0.1):

- skmix's token lists per token, against the worksheet's loop (one ``np.random.multinomial(1, p)``
  per word, timed on a few thousand words and scaled per word) and against sklearn's
  ``make_multilabel_classification`` (a Python loop per document) at the same K, V and length;
- ids and CSR against token lists;
- ``to_bow()`` against gensim's ``Dictionary(corpus)`` plus ``doc2bow`` on the same documents;
- the shares of drawing time spent drawing words and shuffling tokens within documents;
- ``stream`` peak memory (each in its own subprocess) over 20,000,000 tokens against 2,000,000;
- the token rate of ``sample`` (ids) with burstiness (kappa = 10), with a background (200 words
  at a rate of 0.3), with new words (``ZipfTail(0.05, 1.8, start=10001)``) and with all three,
  against plain LDA in the same run (target: burstiness and background at most 2x the plain
  time). ``--realism`` runs only this part.

Times are CPU seconds of this process (``time.process_time``; best of 3 for skmix, one run
for the slow baselines): the machines are shared, and CPU time keeps the ratios steadier
than wall time when other work competes for the cores. Peak memory is the child's own
``VmHWM`` (Linux), or ``ru_maxrss`` elsewhere (which may include the parent's at fork).

Run: ``python benchmarks/bench_topics.py`` (or ``--realism``).
"""

import os
import resource
import subprocess
import sys
import time

import numpy as np
from scipy.stats import poisson

import skmix._blocks
from skmix import TopicMixtureGenerator
from skmix.processes import ZipfTail

N_TOPICS, N_WORDS, N_DOCS, MEAN_LENGTH = 100, 10_000, 20_000, 200
WORKSHEET_WORDS = 2_000


def make_generator(**realism):
    rng = np.random.default_rng(0)
    return TopicMixtureGenerator(
        rng.dirichlet(np.full(N_WORDS, 0.05), size=N_TOPICS),
        vocabulary=[f"word{j}" for j in range(N_WORDS)],
        doc_topic_prior=0.1,
        doc_length=poisson(MEAN_LENGTH),
        random_state=0,
        **realism,
    ).fit()


#: The realism settings timed by :func:`realism_rates`, against plain LDA.
REALISM = {
    "plain LDA": {},
    "burstiness (kappa = 10)": {"burstiness": 10.0},
    "background (200 words, rate 0.3)": {
        "background": [f"word{j}" for j in range(200)], "background_rate": 0.3},
    "new words (ZipfTail(0.05, 1.8))": {"new_words": ZipfTail(0.05, 1.8, start=N_WORDS + 1)},
}
REALISM["all three"] = {key: value for settings in REALISM.values()
                        for key, value in settings.items()}


def realism_rates():
    """Tokens per CPU second of ``sample`` (ids, best of 3) for each of :data:`REALISM`."""
    rates = {}
    for name, settings in REALISM.items():
        generator = make_generator(**settings)
        seconds, corpus = best_time(lambda g=generator: g.sample(N_DOCS, random_state=2))
        rates[name] = corpus.n_tokens / seconds
    return rates


def print_realism_rates():
    rates = realism_rates()
    plain = rates["plain LDA"]
    for name, rate in rates.items():
        print(f"{name:34s} {rate / 1e6:6.2f} M tokens/s, time {plain / rate:.2f}x plain "
              f"(target <= 2x)")


clock = time.process_time


def best_time(function, repeat=3):
    """The fastest of ``repeat`` runs of ``function()``, in CPU seconds, and its last result."""
    times = []
    for _ in range(repeat):
        result = None  # the previous run's result is freed before the clock starts
        start = clock()
        result = function()
        times.append(clock() - start)
    return min(times), result


def worksheet_seconds_per_word(generator):
    """The worksheet's loop: one ``np.random.multinomial(1, p)`` per word of a document."""
    legacy = np.random.RandomState(1)
    topics = legacy.randint(0, N_TOPICS, size=WORKSHEET_WORDS)
    start = clock()
    for k in topics:
        legacy.multinomial(1, generator.topic_word_[k]).argmax()
    return (clock() - start) / WORKSHEET_WORDS


def sklearn_seconds_per_word():
    from sklearn.datasets import make_multilabel_classification

    start = clock()
    X, _ = make_multilabel_classification(
        n_samples=N_DOCS,
        n_features=N_WORDS,
        n_classes=N_TOPICS,
        length=MEAN_LENGTH,
        sparse=True,
        random_state=0,
    )
    return (clock() - start) / X.sum()


#: The drawing stages timed by :func:`stage_shares`: the module functions of skmix._blocks.
STAGES = {
    "words from the alias tables": "_draw_words",
    "shuffling tokens within documents": "_document_order",
}


def stage_shares(generator):
    """The share of ``sample``'s time spent in each of :data:`STAGES` (best of 3 samples)."""
    originals = {name: getattr(skmix._blocks, name) for name in STAGES.values()}
    spent = dict.fromkeys(originals, 0.0)

    def timed(name):
        def stage(*args):
            start = clock()
            result = originals[name](*args)
            spent[name] += clock() - start
            return result

        return stage

    for name in originals:
        setattr(skmix._blocks, name, timed(name))
    runs = []
    try:
        for _ in range(3):
            spent.update(dict.fromkeys(spent, 0.0))
            total, _ = best_time(lambda: generator.sample(N_DOCS, random_state=2), repeat=1)
            runs.append((total, dict(spent)))
    finally:
        for name, function in originals.items():
            setattr(skmix._blocks, name, function)
    total, spent = min(runs, key=lambda run: run[0])
    return {stage: spent[name] / total for stage, name in STAGES.items()}


def stream_child(n_tokens):
    """Iterate a stream of ``n_tokens`` tokens; print peak resident memory in MB."""
    generator = make_generator()
    n_docs = n_tokens // MEAN_LENGTH
    count = sum(len(document) for document in generator.stream(n_docs, random_state=3))
    print(f"{peak_megabytes():.1f} {count}")


def peak_megabytes():
    """This process's peak resident memory in MB."""
    if os.path.exists("/proc/self/status"):
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream_peak(n_tokens):
    out = subprocess.run(
        [sys.executable, __file__, "--stream-child", str(n_tokens)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def main():
    small_peak, small_tokens = stream_peak(2_000_000)
    large_peak, large_tokens = stream_peak(20_000_000)
    generator = make_generator()
    ids_time, corpus = best_time(lambda: generator.sample(N_DOCS, random_state=2))
    n_tokens = corpus.n_tokens
    lists_time, documents = best_time(lambda: list(generator.sample(N_DOCS, random_state=2)))
    csr_time, _ = best_time(lambda: generator.sample(N_DOCS, random_state=2).to_csr())
    bow_time, _ = best_time(corpus.to_bow)

    def gensim_bow():
        from gensim.corpora import Dictionary

        dictionary = Dictionary(documents)
        return [dictionary.doc2bow(document) for document in documents]

    gensim_time, _ = best_time(gensim_bow, repeat=1)
    worksheet = worksheet_seconds_per_word(generator)
    sklearn = sklearn_seconds_per_word()
    shares = stage_shares(generator)

    per_token = lists_time / n_tokens
    print(f"K={N_TOPICS}, V={N_WORDS}, {N_DOCS:,} documents of Poisson({MEAN_LENGTH}): "
          f"{n_tokens:,} tokens; CPU time")
    print(f"token lists (draw + str lists): {n_tokens / lists_time / 1e6:6.2f} M tokens/s")
    print(f"ids (SampledCorpus):            {n_tokens / ids_time / 1e6:6.2f} M tokens/s, "
          f"{lists_time / ids_time:.1f}x token lists")
    print(f"CSR (draw + to_csr):            {n_tokens / csr_time / 1e6:6.2f} M tokens/s, "
          f"{lists_time / csr_time:.1f}x token lists")
    print(f"on top of drawing (difference of the best times): str lists "
          f"{lists_time - ids_time:.3f} s, to_csr {csr_time - ids_time:.3f} s")
    print(f"token lists vs worksheet loop (multinomial(1, p) per word, "
          f"{worksheet * 1e6:.0f} us/word): {worksheet / per_token:,.0f}x per token "
          f"(target >= 1,000x)")
    print(f"token lists vs sklearn make_multilabel_classification ({sklearn * 1e9:.0f} ns/word): "
          f"{sklearn / per_token:.1f}x per word (target >= 15x)")
    print(f"to_bow() {bow_time:.2f} s vs Dictionary + doc2bow {gensim_time:.2f} s: "
          f"{gensim_time / bow_time:.1f}x (target >= 5x)")
    for stage, share in shares.items():
        print(f"{stage}: {share:.0%} of the drawing time")
    print(f"stream peak memory: {large_peak:.0f} MB over {large_tokens:,} tokens vs "
          f"{small_peak:.0f} MB over {small_tokens:,}: {large_peak - small_peak:+.0f} MB "
          f"(target <= +50 MB)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--stream-child":
        stream_child(int(sys.argv[2]))
    elif sys.argv[1:] == ["--realism"]:
        print_realism_rates()
    else:
        main()
        print_realism_rates()
