"""Scale: one seed, the same documents through sample, iter_sample, stream, to_bag and files,
whatever the chunking, partitions, scheduler or processes; memory that does not grow."""

import os
import subprocess
import sys
import textwrap

import pytest
from scipy.stats import poisson
from sklearn.exceptions import NotFittedError

from skmix import SampledCorpus, TopicMixtureGenerator, write_corpus
from skmix.datasets import bars_topics, worksheet_topics

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

N_DOCS = 2500  # two full blocks of the seed scheme and a partial one


@pytest.fixture(scope="module")
def generator():
    return TopicMixtureGenerator(
        bars_topics(3), doc_topic_prior=0.5, doc_length=poisson(4), random_state=0
    ).fit()


@pytest.fixture(scope="module")
def expected(generator):
    return list(generator.sample(N_DOCS, random_state=11))


@pytest.mark.parametrize(
    ("scheduler", "npartitions"),
    [("synchronous", 1), ("synchronous", 4), ("threads", 4), ("processes", 4)],
)
def test_bag_holds_the_sampled_documents_under_local_schedulers(
    generator, expected, scheduler, npartitions
):
    bag = generator.to_bag(N_DOCS, npartitions=npartitions, random_state=11)
    assert bag.npartitions == npartitions
    assert bag.compute(scheduler=scheduler) == expected


@pytest.fixture
def client():
    """A real local cluster: two worker processes, shut down after the test that uses it."""
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
    assert client.status == "closed"


def test_bag_holds_the_sampled_documents_on_a_distributed_cluster(generator, expected, client):
    bag = generator.to_bag(N_DOCS, npartitions=5, random_state=11)
    assert bag.compute() == expected
    pids = bag.map_partitions(lambda documents: [os.getpid()]).compute()
    assert os.getpid() not in pids  # drawn in the workers, not here


def test_every_way_of_drawing_gives_the_same_documents(generator, expected, tmp_path):
    for chunk_size in (7, 999, 1001):
        chunks = generator.iter_sample(N_DOCS, chunk_size=chunk_size, random_state=11)
        assert list(SampledCorpus.concatenate(chunks)) == expected
        assert list(generator.stream(N_DOCS, chunk_size=chunk_size, random_state=11)) == expected
    for npartitions in (3, 7):
        bag = generator.to_bag(N_DOCS, npartitions=npartitions, random_state=11)
        assert bag.compute(scheduler="threads") == expected
    write_corpus(generator, N_DOCS, tmp_path / "c.txt", random_state=11, jobs=2)
    lines = (tmp_path / "c.txt").read_text().split("\n")[:-1]
    assert [line.split() for line in lines] == expected


def test_a_bag_is_the_same_each_time_it_is_computed_and_continues_the_stream():
    generator = TopicMixtureGenerator(worksheet_topics(), random_state=2).fit()
    first, second = (generator.to_bag(300, npartitions=2) for _ in range(2))
    assert first.compute(scheduler="threads") == first.compute(scheduler="threads")
    assert first.compute(scheduler="threads") != second.compute(scheduler="threads")
    replay = TopicMixtureGenerator(worksheet_topics(), random_state=2).fit()
    assert first.compute(scheduler="threads") == list(replay.sample(300))


def test_no_partition_is_empty(generator):
    bag = generator.to_bag(3, npartitions=5, random_state=11)
    assert bag.npartitions == 3
    assert bag.compute(scheduler="synchronous") == list(generator.sample(3, random_state=11))


BAD_BAGS = {
    "zero partitions": ({"npartitions": 0}, ValueError, "npartitions"),
    "partitions as text": ({"npartitions": "4"}, TypeError, "npartitions"),
    "zero documents": ({"n_samples": 0}, ValueError, "n_samples"),
    "fractional documents": ({"n_samples": 1.5}, TypeError, "n_samples"),
    "bad seed": ({"random_state": -3}, ValueError, "random_state"),
}


@pytest.mark.parametrize("case", BAD_BAGS.values(), ids=BAD_BAGS.keys())
def test_to_bag_refuses_bad_arguments(generator, case):
    changes, error, words = case
    call = {"n_samples": 10, "npartitions": 2} | changes
    with pytest.raises(error, match=words):
        generator.to_bag(call.pop("n_samples"), **call)


def test_to_bag_before_fit_and_without_dask(monkeypatch):
    with pytest.raises(NotFittedError):
        TopicMixtureGenerator(worksheet_topics()).to_bag(10, npartitions=2)
    fitted = TopicMixtureGenerator(worksheet_topics()).fit()
    monkeypatch.setitem(sys.modules, "dask", None)  # what a missing package looks like
    with pytest.raises(ImportError, match=r"skmix\[dask\]"):
        fitted.to_bag(10, npartitions=2)


# Peak memory (ru_maxrss) of a fresh interpreter that streams a corpus twice (tokens and
# bag-of-words) and writes it to a file with two jobs.
_MEMORY_SCRIPT = textwrap.dedent(
    """
    import os, resource, sys, tempfile
    from skmix import TopicMixtureGenerator, write_corpus
    from skmix.datasets import bars_topics

    n_docs = int(sys.argv[1])
    generator = TopicMixtureGenerator(bars_topics(5), doc_topic_prior=1.0, doc_length=20).fit()
    n_tokens = sum(len(doc) for doc in generator.stream(n_docs, random_state=0))
    bow = generator.stream(n_docs, random_state=0, format="bow")
    n_tokens += sum(count for doc in bow for _, count in doc)
    with tempfile.TemporaryDirectory() as folder:
        write_corpus(generator, n_docs, os.path.join(folder, "c.txt"), random_state=0, jobs=2)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(n_tokens, peak, workers)
    """
)

# Holding the larger corpus's 4,000,000 tokens would take 16 MB as int32 ids and about 24 MB
# as text, so a growth above 10 MB means memory follows the corpus size.
_MEMORY_TOLERANCE_KB = 10 * 1024


def _peak_memory(n_docs):
    result = subprocess.run(
        [sys.executable, "-c", _MEMORY_SCRIPT, str(n_docs)],
        capture_output=True, text=True, timeout=300, check=True,
    )
    return [int(value) for value in result.stdout.split()]


@pytest.mark.slow
def test_memory_does_not_grow_with_the_corpus():
    small_tokens, small_peak, small_workers = _peak_memory(20_000)
    large_tokens, large_peak, large_workers = _peak_memory(200_000)
    assert large_tokens == 10 * small_tokens == 2 * 20 * 200_000
    assert large_peak - small_peak < _MEMORY_TOLERANCE_KB, (small_peak, large_peak)
    assert large_workers - small_workers < _MEMORY_TOLERANCE_KB, (small_workers, large_workers)
