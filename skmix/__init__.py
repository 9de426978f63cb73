"""skmix: data with a known ground truth, and checks that a model finds it again.

- :class:`GaussianMixtureSampler`: points from a mixture of Gaussians, with their labels.
- :class:`TopicMixtureGenerator`: text corpora from a mixture of word groups ("topics"),
  with the topic of every document and token.
- :mod:`skmix.compare`: match what a model recovered to the truth, and say whether it passes.
- :mod:`skmix.datasets`: the classroom worksheet's Gaussians and word groups, and the bars.
"""

from ._corpus import SampledCorpus
from ._gaussian import GaussianMixtureSampler
from ._topics import TopicMixtureGenerator

__version__ = "0.1.0"

__all__ = ["GaussianMixtureSampler", "SampledCorpus", "TopicMixtureGenerator", "__version__"]
