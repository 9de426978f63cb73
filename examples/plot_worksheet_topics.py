"""
The worksheet's two word groups
===============================

Two word groups, a kids' birthday party and Lord of the Rings, share "merry" and "run". The
worksheet writes documents by flipping a coin for every word: heads, a birthday word; tails,
a Lord of the Rings word. No topic model can find the groups in such a corpus: every document
has the same 50/50 mix, so the corpus is one word distribution, and any split of it explains
the data equally well. When every document has its own mix, gensim's LdaModel finds them.
"""

# %%
# Two corpora from the same word groups
# -------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from gensim.models import LdaModel

from skmix import TopicMixtureGenerator
from skmix.compare import match_topics
from skmix.datasets import worksheet_topics

topics = worksheet_topics()
priors = {"coin flip per word": None, "Dirichlet(0.2) mix per document": 0.2}
generators = {
    name: TopicMixtureGenerator(topics, doc_topic_prior=prior, doc_length=20, random_state=0).fit()
    for name, prior in priors.items()
}
corpora = {name: generator.sample(200) for name, generator in generators.items()}
for name, corpus in corpora.items():
    print(f"{name}: {' '.join(corpus[0])}")

# %%
# How much of each document is about the birthday?
# ------------------------------------------------
# The coin flip gives every document about half and half; the Dirichlet mixes differ.
fig, axes = plt.subplots(1, 2, figsize=(10, 3), sharey=True, layout="constrained")
bins = np.linspace(-0.025, 1.025, 22)  # one bin per possible share of 20 words
for ax, (name, corpus) in zip(axes, corpora.items(), strict=True):
    birthday_share = [np.mean(topics_of_doc == 0) for topics_of_doc in corpus.token_topics]
    ax.hist(birthday_share, bins=bins)
    ax.set_title(name)
    ax.set_xlabel("share of birthday words in a document")
axes[0].set_ylabel("documents")


# %%
# Fit gensim's LdaModel to each, and compare with the truth
# ---------------------------------------------------------
# Small chunks and several passes: gensim's default chunk is the whole corpus, one update a
# pass. Variational LDA can land in a local optimum, so keep the best of three restarts by
# the model's own bound.
def fit_lda(corpus):
    bow = corpus.to_bow()
    models = [
        LdaModel(bow, num_topics=2, id2word=corpus.dictionary(), chunksize=20, passes=20,
                 alpha="auto", random_state=seed)
        for seed in range(3)
    ]
    return max(models, key=lambda model: model.bound(bow))


fig, axes = plt.subplots(1, 2, figsize=(10, 3), layout="constrained")
for ax, (name, corpus) in zip(axes, corpora.items(), strict=True):
    report = match_topics(generators[name], fit_lda(corpus))
    print(f"\n{name}\n{report}")
    report.plot(ax=ax)
    ax.set_title(f"{name}: {'PASSED' if report.passed else 'FAILED'}")
plt.show()
