"""skmix: data with a known ground truth, and checks that a model finds it again.

- :class:`GaussianMixtureSampler`: points from a mixture of Gaussians, with their labels.
- :class:`TopicMixtureGenerator`: text corpora from a mixture of word groups ("topics"),
  with the topic of every document and token.
- :func:`write_corpus`: a corpus file of any size, written as it is drawn, in parallel.
- :mod:`skmix.compare`: match what a model recovered to the truth, and say whether it passes.
- :mod:`skmix.datasets`: the classroom worksheet's Gaussians and word groups, and the bars.
"""

from ._corpus import SampledCorpus
from ._gaussian import GaussianMixtureSampler
from ._generate import write_corpus
from ._topics import TopicMixtureGenerator

__version__ = "0.1.0"

__all__ = [
    "GaussianMixtureSampler",
    "SampledCorpus",
    "TopicMixtureGenerator",
    "__version__",
    "write_corpus",
]
