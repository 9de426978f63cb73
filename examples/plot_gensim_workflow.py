"""
A gensim workflow on a streamed corpus
======================================

gensim's ``LdaModel`` reads its corpus once a pass. ``TopicMixtureGenerator.stream`` gives a
re-iterable corpus that draws its documents again on every pass, the same documents each
time, so the corpus never has to sit in memory: here 2,000 documents of 100 words in chunks
of 500, with several passes, compared with the truth at the end.
"""

# %%
# A streamed corpus
# -----------------
# ``format="bow"`` yields gensim bag-of-words documents; the stream's ``id2word`` names the
# ids (the generator's vocabulary).
import matplotlib.pyplot as plt
from gensim.models import LdaModel

from skmix import TopicMixtureGenerator
from skmix.compare import match_topics
from skmix.datasets import bars_topics

truth = TopicMixtureGenerator(bars_topics(5), doc_topic_prior=0.2, doc_length=100,
                              random_state=0).fit()
stream = truth.stream(2000, chunk_size=500, random_state=0, format="bow")
print(stream, next(iter(stream))[:5])

# %%
# LdaModel, several passes over the stream
# ----------------------------------------
# ``chunksize=100``: gensim's default is the whole corpus, a single update per pass.
model = LdaModel(stream, num_topics=10, id2word=stream.id2word, chunksize=100, passes=5,
                 alpha="auto", random_state=0)

# %%
# Compare with the truth
# ----------------------
# The stream carries the truth too: it can stand in for the generator.
report = match_topics(stream, model)
print(report)
report.plot()
plt.show()
