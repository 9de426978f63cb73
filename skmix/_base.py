"""The sampling contract shared by skmix's estimators.

``fit`` creates one ``numpy.random.SeedSequence`` from the estimator's ``random_state``
(``self._seed_``). ``sample(n_samples, random_state=None)`` then:

- checks the estimator is fitted (sklearn's ``NotFittedError`` otherwise);
- validates ``n_samples`` (an integer >= 1 whose output fits in memory);
- picks the seed of this call: without ``random_state``, the next child spawned from
  ``self._seed_``, so successive calls continue one reproducible stream and differ from each
  other; with ``random_state``, a seed made from it alone;
- hands both to the subclass's ``_sample(n_samples, seed)``.

Subclasses fill in ``_sample`` and ``_bytes_per_sample``.
"""

from sklearn.utils.validation import check_is_fitted

from ._validation import check_n_samples, seed_sequence


class SamplerMixin:
    """Mixin giving an estimator the shared ``sample`` method (template method)."""

    def _init_seed(self):
        """Create the stream ``sample`` continues; call it at the end of ``fit``."""
        self._seed_ = seed_sequence(self.random_state)

    def _call_seed(self, random_state):
        """The ``SeedSequence`` of one call: the stream's next child, or ``random_state``'s."""
        if random_state is None:
            return self._seed_.spawn(1)[0]
        return seed_sequence(random_state)

    def _check_sample_args(self, n_samples, random_state):
        """Validate a sampling call; return ``(n_samples, seed)``."""
        check_is_fitted(self)
        n_samples = check_n_samples(
            n_samples, self._bytes_per_sample(), working_bytes=self._working_bytes(n_samples)
        )
        return n_samples, self._call_seed(random_state)

    def sample(self, n_samples=1, random_state=None):
        """Draw ``n_samples`` samples; see the subclass's ``_sample`` for what is returned.

        Parameters
        ----------
        n_samples : int, default=1
            How many samples to draw.
        random_state : None, int, RandomState, Generator or SeedSequence, default=None
            ``None`` continues the estimator's stream (seeded at ``fit`` by its
            ``random_state``); anything else seeds this call alone.
        """
        n_samples, seed = self._check_sample_args(n_samples, random_state)
        return self._sample(n_samples, seed)

    def _bytes_per_sample(self):
        raise NotImplementedError

    def _working_bytes(self, n_samples):
        """Memory drawing ``n_samples`` holds besides its output (subclasses may say more)."""
        return 0

    def _sample(self, n_samples, seed):
        raise NotImplementedError
