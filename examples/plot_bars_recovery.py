"""
Recovering the bars
===================

Griffiths & Steyvers (2004, "Finding scientific topics") drew a test corpus from ten "bars":
the vocabulary is a 5 x 5 grid of words, and each topic is uniform over one row or one
column. Drawn as 5 x 5 images, the true topics are bars, and so should be the topics a model
recovers. Here gensim's LdaModel learns them from documents of 100 words.

The paper drew every document's mix from a Dirichlet(1); a sparser Dirichlet(0.2) is used
here so that a few seconds of fitting suffice (with Dirichlet(1) gensim needs more documents,
small chunks and more passes: see the calibration page).
"""

# %%
# The true bars and a corpus drawn from them
# ------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from gensim.models import LdaModel

from skmix import TopicMixtureGenerator
from skmix.compare import match_topics
from skmix.datasets import bars_topics

truth = TopicMixtureGenerator(bars_topics(5), doc_topic_prior=0.2, doc_length=100,
                              random_state=0).fit()
corpus = truth.sample(500)
print(truth.topic_names_)
print(" ".join(corpus[0][:20]), "...")

# %%
# Fit gensim's LdaModel
# ---------------------
# Small chunks (gensim's default chunk is the whole corpus: one update a pass), several
# passes, and the best of three restarts by the model's own bound (variational LDA lands in
# a local optimum about one run in three).
bow, dictionary = corpus.to_bow(), corpus.dictionary()
models = [
    LdaModel(bow, num_topics=10, id2word=dictionary, chunksize=50, passes=10, alpha="auto",
             random_state=seed)
    for seed in range(3)
]
model = max(models, key=lambda m: m.bound(bow))
report = match_topics(truth, model)
print(report)


# %%
# True and recovered topics as 5 x 5 images
# -----------------------------------------
# Top row: the ten true bars. Bottom row: the recovered topic matched to each, with its
# Hellinger distance to the bar, its word probabilities laid out on the same grid
# (word "r{row}c{col}" at row, col).
def as_grid(weights, words):
    grid = np.zeros((5, 5))
    for weight, word in zip(weights, words, strict=True):
        row, col = map(int, word[1:].split("c"))
        grid[row, col] = weight
    return grid


recovered = model.get_topics()
recovered_words = [dictionary[i] for i in range(len(dictionary))]
fig, axes = plt.subplots(2, 10, figsize=(12, 3), layout="constrained")
for k, row in enumerate(report.rows):
    j = report.recovered_names.index(row.matched)
    images = (as_grid(truth.topic_word_[k], truth.vocabulary_),
              as_grid(recovered[j], recovered_words))
    for ax, image in zip(axes[:, k], images, strict=True):
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=0.25)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0, k].set_title(row.name, fontsize=9)
    axes[1, k].set_title(f"{row.matched}: {row.distance:.2f}", fontsize=8)
axes[0, 0].set_ylabel("true")
axes[1, 0].set_ylabel("recovered")
plt.show()
