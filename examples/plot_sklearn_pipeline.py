"""
A scikit-learn pipeline checked against the truth
=================================================

A corpus with known topics goes through a plain scikit-learn text pipeline: documents as
strings, ``CountVectorizer``, ``LatentDirichletAllocation``. ``skmix.compare.match_topics``
then says whether the pipeline found the topics the corpus was drawn from, matching them by
their words (sklearn's ``components_`` are pseudo-counts: they are normalised).
"""

# %%
# A corpus with known topics, as strings
# --------------------------------------
from sklearn.decomposition import LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.pipeline import make_pipeline

from skmix import TopicMixtureGenerator
from skmix.compare import match_topics
from skmix.datasets import bars_topics

truth = TopicMixtureGenerator(bars_topics(5), doc_topic_prior=0.2, doc_length=100,
                              random_state=0).fit()
texts = [" ".join(doc) for doc in truth.sample(300)]
print(texts[0][:100], "...")

# %%
# The pipeline
# ------------
# Batch variational Bayes with the prior the corpus was drawn with. It can settle in a local
# optimum (two true topics sharing one recovered topic), so fit three seeds and keep the
# pipeline whose ``score`` (the model's approximate log-likelihood) is best: a choice made
# without looking at the truth.
def fit_pipeline(seed):
    pipeline = make_pipeline(
        CountVectorizer(),
        LatentDirichletAllocation(n_components=10, doc_topic_prior=0.2,
                                  learning_method="batch", max_iter=20, random_state=seed),
    )
    return pipeline.fit(texts)


pipelines = [fit_pipeline(seed) for seed in range(3)]
for seed, pipeline in enumerate(pipelines):
    print(f"seed {seed}: score {pipeline.score(texts):.0f}")
pipeline = max(pipelines, key=lambda p: p.score(texts))

# %%
# Compare with the truth
# ----------------------
# The fitted model goes in as a pair with its words, the vectorizer's vocabulary.
vectorizer, lda = pipeline[0], pipeline[-1]
report = match_topics(truth, (lda, vectorizer.get_feature_names_out()))
print(report)
report.plot()
