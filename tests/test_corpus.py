"""SampledCorpus: token lists, their conversions, and files written whole or not at all."""

import json
import os

import numpy as np
import pytest
import scipy.sparse
from gensim.corpora import Dictionary, MmCorpus
from sklearn.feature_extraction.text import CountVectorizer

import skmix._corpus
from skmix import SampledCorpus, TopicMixtureGenerator
from skmix._corpus import RaggedArray
from skmix._formats import SAVE_FORMATS, _write_txt, atomic_path, write_chunks
from skmix.datasets import bars_topics, worksheet_topics


@pytest.fixture(scope="module")
def generator():
    return TopicMixtureGenerator(
        bars_topics(), doc_topic_prior=0.5, doc_length=np.array([0, 3, 10, 25])
    ).fit()


@pytest.fixture(scope="module")
def corpus(generator):
    return generator.sample(1200, random_state=0)


def test_documents_are_str_lists_of_the_ids(corpus):
    documents = list(corpus)
    assert len(documents) == len(corpus) == 1200
    assert all(isinstance(word, str) for document in documents for word in document)
    for d in (0, 1, 599, 1199):
        assert corpus[d] == corpus.vocabulary[corpus.token_ids[d]].tolist() == documents[d]
        assert len(corpus.token_topics[d]) == len(documents[d])
    assert corpus[-1] == documents[-1]
    assert sum(map(len, documents)) == corpus.n_tokens == corpus.doc_lengths.sum()


@pytest.mark.parametrize("index", [1200, -1201])
def test_index_out_of_range(corpus, index):
    with pytest.raises(IndexError, match="out of range"):
        corpus[index]


def test_index_of_wrong_type(corpus):
    with pytest.raises(TypeError, match="indexed by an int or a slice"):
        corpus[1.0]


@pytest.mark.parametrize(
    "index",
    [slice(10, 20), slice(None, 5), slice(1190, None), slice(5, 5), slice(3, 40, 7), [4, -1, 4]],
    ids=["middle", "head", "tail", "empty", "step", "list"],
)
def test_slices_are_corpora_with_their_truth(corpus, index):
    documents = list(corpus)
    positions = np.arange(len(corpus))[index]
    part = corpus[index]
    assert isinstance(part, SampledCorpus)
    assert list(part) == [documents[d] for d in positions]
    np.testing.assert_array_equal(part.doc_topic, corpus.doc_topic[positions])
    for i, d in enumerate(positions):
        np.testing.assert_array_equal(part.token_topics[i], corpus.token_topics[d])
    assert part.topic_names == corpus.topic_names


def test_concatenate_gives_back_the_corpus(corpus):
    joined = SampledCorpus.concatenate([corpus[:500], corpus[500:501], corpus[501:]])
    assert list(joined) == list(corpus)
    np.testing.assert_array_equal(joined.token_topics.values, corpus.token_topics.values)
    np.testing.assert_array_equal(joined.doc_topic, corpus.doc_topic)


def test_concatenate_refuses_nothing():
    with pytest.raises(ValueError, match="at least one SampledCorpus"):
        SampledCorpus.concatenate([])


def test_to_csr_matches_count_vectorizer_and_keeps_token_order(corpus):
    before = corpus.token_ids.values.copy()
    counts = corpus.to_csr()
    vectorizer = CountVectorizer(analyzer=lambda document: document, vocabulary=corpus.vocabulary)
    expected = vectorizer.transform(list(corpus))
    assert counts.shape == (1200, 25)
    assert (counts != expected).nnz == 0
    np.testing.assert_array_equal(corpus.token_ids.values, before)


@pytest.mark.parametrize("documents_per_part", [1, 7, 1200])
def test_to_csr_in_int32_parts_is_canonical(corpus, monkeypatch, documents_per_part):
    expected = corpus.to_csr()
    monkeypatch.setattr(skmix._corpus, "_INT32_KEYS", documents_per_part * 25)
    counts = corpus.to_csr()
    assert (counts != expected).nnz == 0
    # canonical as flagged (ids sorted and unique within rows): scipy checks a fresh copy
    fresh = scipy.sparse.csr_matrix((counts.data, counts.indices, counts.indptr), counts.shape)
    assert fresh.has_canonical_format and counts.data.min() > 0
    assert corpus[5:5].to_csr().shape == (0, 25)


def test_to_bow_and_dictionary_agree_with_gensim(corpus):
    dictionary = corpus.dictionary()
    assert [dictionary[i] for i in range(25)] == corpus.vocabulary.tolist()
    bow = corpus.to_bow()
    assert bow == [dictionary.doc2bow(document) for document in corpus]
    by_gensim = Dictionary(corpus)
    assert {dictionary[i]: n for i, n in dictionary.dfs.items()} == {
        by_gensim[i]: n for i, n in by_gensim.dfs.items()
    }
    assert (dictionary.num_docs, dictionary.num_pos, dictionary.num_nnz) == (
        by_gensim.num_docs,
        by_gensim.num_pos,
        by_gensim.num_nnz,
    )


def test_ragged_array():
    ragged = RaggedArray(np.arange(6), np.array([0, 2, 2, 6]))
    assert len(ragged) == 3
    assert [row.tolist() for row in ragged] == [[0, 1], [], [2, 3, 4, 5]]
    assert ragged[-1].tolist() == [2, 3, 4, 5]
    assert ragged.lengths.tolist() == [2, 0, 4]


# --- files -----------------------------------------------------------------------------------


def read_txt(path):
    with open(path, encoding="utf-8") as file:
        return [line.split() for line in file]


def read_jsonl(path):
    with open(path, encoding="utf-8") as file:
        return [json.loads(line) for line in file]


def test_txt_round_trip(corpus, tmp_path):
    corpus.save(tmp_path / "corpus.txt")
    assert read_txt(tmp_path / "corpus.txt") == list(corpus)


def test_jsonl_round_trip_with_truth(corpus, tmp_path):
    corpus.save(tmp_path / "corpus.jsonl", format="jsonl")
    rows = read_jsonl(tmp_path / "corpus.jsonl")
    assert [row["tokens"] for row in rows] == list(corpus)
    np.testing.assert_allclose([row["doc_topic"] for row in rows], corpus.doc_topic)
    assert [row["token_topics"] for row in rows] == [t.tolist() for t in corpus.token_topics]


def test_mm_round_trip(corpus, tmp_path):
    corpus.save(tmp_path / "corpus.mm", format="mm")
    loaded = MmCorpus(str(tmp_path / "corpus.mm"))
    assert (loaded.num_docs, loaded.num_terms) == (1200, 25)
    as_int = [[(i, int(n)) for i, n in document] for document in loaded]
    assert as_int == corpus.to_bow()


@pytest.mark.parametrize("format", SAVE_FORMATS)
def test_chunks_written_into_one_file_equal_the_whole(generator, tmp_path, format):
    whole, streamed = tmp_path / f"whole.{format}", tmp_path / f"streamed.{format}"
    generator.sample(2100, random_state=3).save(whole, format=format)
    chunks = generator.iter_sample(2100, chunk_size=250, random_state=3)
    write_chunks(streamed, chunks, format=format)
    assert whole.read_bytes() == streamed.read_bytes()


def test_chunk_writers_append_to_an_open_file(corpus, tmp_path):
    path = tmp_path / "appended.txt"
    with open(path, "w", encoding="utf-8") as file:
        _write_txt(corpus[:100], file)
        _write_txt(corpus[100:], file)
    assert read_txt(path) == list(corpus)


def leftovers(directory):
    return sorted(name for name in os.listdir(directory) if name.endswith(".tmp"))


@pytest.mark.parametrize("format", ["csv", "TXT", None])
def test_unknown_format_refused_before_any_file(corpus, tmp_path, format):
    with pytest.raises(ValueError, match="format must be one of"):
        corpus.save(tmp_path / "corpus.out", format=format)
    assert os.listdir(tmp_path) == []


def test_unknown_format_refused_before_drawing(generator, tmp_path):
    def chunks():
        raise AssertionError("drawn before the format was checked")
        yield

    with pytest.raises(ValueError, match="format must be one of"):
        write_chunks(tmp_path / "x", chunks(), format="xml")


def test_whitespace_words_refused_in_txt(tmp_path):
    corpus = TopicMixtureGenerator([["new york", "paris"]]).fit().sample(3)
    with pytest.raises(ValueError, match=r"whitespace.*'new york'.*jsonl"):
        corpus.save(tmp_path / "cities.txt")
    assert os.listdir(tmp_path) == []
    corpus.save(tmp_path / "cities.jsonl", format="jsonl")
    assert [row["tokens"] for row in read_jsonl(tmp_path / "cities.jsonl")] == list(corpus)


@pytest.mark.parametrize("format", SAVE_FORMATS)
@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_interrupted_write_leaves_no_file_and_keeps_the_old_one(generator, tmp_path, format, error):
    def chunks():
        yield from generator.iter_sample(3000, chunk_size=1000, random_state=0)
        raise error("interrupted")

    target = tmp_path / "corpus.out"
    with pytest.raises(error):
        write_chunks(tmp_path / "new.out", chunks(), format=format)
    assert os.listdir(tmp_path) == []
    target.write_text("old\n")
    with pytest.raises(error):
        write_chunks(target, chunks(), format=format)
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_empty_chunk_stream_refused(tmp_path):
    with pytest.raises(ValueError, match="at least one SampledCorpus"):
        write_chunks(tmp_path / "x.txt", iter([]))
    assert os.listdir(tmp_path) == []


def test_atomic_path_renames_only_when_complete(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_path(target) as temporary:
        assert os.path.dirname(temporary) == str(tmp_path)
        with open(temporary, "w") as file:
            file.write("done")
        assert not target.exists()
    assert target.read_text() == "done"


# --- models take the corpus as it is -------------------------------------------------------


def test_gensim_and_sklearn_take_the_corpus():
    from gensim.models import LdaModel
    from sklearn.decomposition import LatentDirichletAllocation

    corpus = TopicMixtureGenerator(worksheet_topics(), doc_topic_prior=0.5).fit().sample(
        200, random_state=1
    )
    dictionary = Dictionary(corpus)
    model = LdaModel(corpus.to_bow(), id2word=corpus.dictionary(), num_topics=2, passes=2)
    assert model.get_topics().shape == (2, len(dictionary))
    vectorizer = CountVectorizer(analyzer=lambda document: document)
    counts = vectorizer.fit_transform(corpus)
    lda = LatentDirichletAllocation(n_components=2, max_iter=5, random_state=0).fit(counts)
    assert lda.components_.shape == (2, 13)
    assert sorted(vectorizer.get_feature_names_out()) == sorted(corpus.vocabulary)
