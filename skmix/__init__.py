"""skmix: data with a known ground truth, and checks that a model finds it again.

- :class:`GaussianMixtureSampler`: points from a mixture of Gaussians, with their labels.
- :class:`TopicMixtureGenerator`: text corpora from a mixture of word groups ("topics"),
  with the topic of every document and token.
- :func:`write_corpus`: a corpus file of any size, written as it is drawn, in parallel.
- :mod:`skmix.compare`: match what a model recovered to the truth, and say whether it passes.
- :mod:`skmix.datasets`: the classroom worksheet's Gaussians and word groups, and the bars.
- :mod:`skmix.study`: recovery and K-selection studies over grids of truths, fitters and repeats.
"""

import importlib

__version__ = "0.1.0"

# Imported on first use (PEP 562), so that ``skmix generate`` or ``import skmix.compare`` do
# not pay for the parts they do not use (sklearn.mixture alone costs about 0.13 s).
_LAZY = {
    "GaussianMixtureSampler": "._gaussian",
    "SampledCorpus": "._corpus",
    "TopicMixtureGenerator": "._topics",
    "write_corpus": "._parallel",
}

__all__ = [
    "GaussianMixtureSampler",
    "SampledCorpus",
    "TopicMixtureGenerator",
    "__version__",
    "write_corpus",
]


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'skmix' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value  # once: later lookups do not come back here
    return value


def __dir__():
    return sorted(__all__)
