"""Validation helpers shared by every skmix estimator and function.

Each helper checks one kind of input and raises a ``ValueError`` or ``TypeError`` that names
the parameter and quotes the value that was wrong, before any work starts.
"""

import numbers
import os

import numpy as np

from ._compat import Interval

__all__ = [
    "available_memory",
    "check_n_samples",
    "check_positive_int",
    "check_probability_vector",
    "seed_sequence",
]


class IntervalNotBool(Interval):
    """sklearn's ``Interval`` that refuses ``True``/``False`` (``bool`` is an ``int`` subclass).

    ``n_topics=True`` passed ``Interval(numbers.Integral, 1, None)`` as one topic.
    """

    def is_satisfied_by(self, val):
        return not isinstance(val, bool | np.bool_) and super().is_satisfied_by(val)


def _short(value, limit=60):
    """A short repr of ``value`` for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_positive_int(value, name, *, minimum=1):
    """Return ``value`` as an ``int`` if it is an integer >= ``minimum``.

    Parameters
    ----------
    value : object
        The value to check.
    name : str
        The parameter's name, used in the error message.
    minimum : int, default=1
        The smallest accepted value.

    Returns
    -------
    value : int

    Raises
    ------
    TypeError
        If ``value`` is not an integer (booleans are refused too).
    ValueError
        If ``value`` is smaller than ``minimum``.

    Examples
    --------
    >>> from skmix._validation import check_positive_int
    >>> check_positive_int(3, "n_topics")
    3
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_short(value)} ({type(value).__name__}).")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")
    return int(value)


def _physical_memory():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX: assume a generous 64 GiB
        return 64 * 2**30


def _meminfo_available():
    """Linux's estimate of the memory a new allocation can get without swapping, or None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as file:
            for line in file:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_available():
    """What this process's cgroup (v2) still allows, or None: a container's real bound."""
    try:
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as file:
            limit = file.read().strip()
        with open("/sys/fs/cgroup/memory.current", encoding="ascii") as file:
            used = int(file.read())
    except (OSError, ValueError):
        return None
    return None if limit == "max" else max(int(limit) - used, 0)


def available_memory():
    """Bytes of memory available now (a bound for what one call may take).

    Not the machine's total: ``sample(500_000_000)`` (12 GiB) passed a check against a
    machine's total while far less was free, and ended with the OOM killer. Linux's
    ``MemAvailable``, and a cgroup's limit less its use where one is set; elsewhere the
    physical memory.
    """
    known = [value for value in (_meminfo_available(), _cgroup_available()) if value is not None]
    return min(known) if known else _physical_memory()


def check_n_samples(n_samples, bytes_per_sample, *, name="n_samples", working_bytes=0):
    """Return ``n_samples`` as an ``int`` after checking it is sane and that the output fits.

    The memory needed is estimated as ``n_samples * bytes_per_sample`` (the output) plus
    ``working_bytes`` (what drawing holds besides, at most), and refused, before anything is
    allocated, when it exceeds the memory available now (:func:`available_memory`).

    Parameters
    ----------
    n_samples : int
        The number of samples asked for.
    bytes_per_sample : float
        An estimate of the memory one sample of the output takes.
    name : str, default="n_samples"
        The parameter's name, used in the error message.
    working_bytes : float, default=0
        Memory the drawing needs besides the output.

    Returns
    -------
    n_samples : int

    Examples
    --------
    >>> from skmix._validation import check_n_samples
    >>> check_n_samples(10, bytes_per_sample=16)
    10
    """
    n_samples = check_positive_int(n_samples, name)
    needed = float(n_samples) * float(bytes_per_sample) + float(working_bytes)
    limit = available_memory()
    if needed > limit:
        raise ValueError(
            f"{name}={n_samples} needs about {needed / 2**30:.1f} GiB, more than the "
            f"{limit / 2**30:.1f} GiB of memory available; ask for fewer samples or stream them."
        )
    return n_samples


def check_probability_vector(values, name, *, size=None, atol=1e-6):
    """Return ``values`` as a float array of probabilities that sum to 1.

    Parameters
    ----------
    values : array-like of shape (n,)
        Non-negative, finite weights summing to 1 (within ``atol``).
    name : str
        The parameter's name, used in the error message.
    size : int, default=None
        The expected length, if known.
    atol : float, default=1e-6
        How far the sum may be from 1; the result is renormalised exactly.

    Returns
    -------
    values : ndarray of shape (n,)

    Examples
    --------
    >>> from skmix._validation import check_probability_vector
    >>> check_probability_vector([0.25, 0.75], "weights")
    array([0.25, 0.75])
    """
    if np.iscomplexobj(values):
        raise TypeError(f"{name} must be real numbers, got {_short(values)}.")
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers, got {_short(values)}.") from exc
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {array.shape}.")
    if size is not None and array.size != size:
        raise ValueError(f"{name} must have length {size}, got {array.size}: {_short(values)}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {_short(values)}.")
    if np.any(array < 0):
        raise ValueError(f"{name} must be non-negative, got {_short(values)}.")
    if abs(array.sum() - 1.0) > atol:
        raise ValueError(f"{name} must sum to 1, got sum {array.sum():.6g}: {_short(values)}.")
    return array / array.sum()


def read_json_object(path, what):
    """The JSON object in the file at ``path``; every way it can fail is one ``ValueError``.

    ``what`` names the file's kind in the messages ("a generator spec", "a study spec"); the
    caller puts the option and path in front.
    """
    import json

    try:
        with open(path, encoding="utf-8") as file:
            value = json.load(file)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc}.") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text: byte {exc.object[exc.start]:#04x} at offset "
                         f"{exc.start}.") from None
    except RecursionError:
        raise ValueError(f"JSON nested too deeply to be {what}.") from None
    except OSError as exc:
        raise ValueError(f"cannot be read: {exc.strerror}.") from exc
    if not isinstance(value, dict):
        raise ValueError(f"must hold a JSON object, got a JSON {type(value).__name__}.")
    return value


def seed_sequence(random_state):
    """Turn any ``random_state`` sklearn accepts into a ``numpy.random.SeedSequence``.

    Parameters
    ----------
    random_state : None, int, numpy.random.RandomState, numpy.random.Generator or SeedSequence
        ``None`` takes fresh entropy from the operating system; an int seeds
        ``SeedSequence(random_state)`` (so the same int always gives the same data); a
        ``RandomState`` or ``Generator`` is drawn from (and advanced); a ``SeedSequence`` is
        used as it is.

    Returns
    -------
    seed : numpy.random.SeedSequence

    Examples
    --------
    >>> from skmix._validation import seed_sequence
    >>> seed_sequence(42).entropy
    42
    """
    if random_state is None:
        return np.random.SeedSequence()
    if isinstance(random_state, np.random.SeedSequence):
        return random_state
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"random_state must be a non-negative integer, got {random_state}.")
        return np.random.SeedSequence(int(random_state))
    if isinstance(random_state, np.random.RandomState):
        return np.random.SeedSequence(random_state.randint(0, 2**32, size=4, dtype=np.uint64))
    if isinstance(random_state, np.random.Generator):
        return np.random.SeedSequence(random_state.integers(0, 2**63, size=4, dtype=np.uint64))
    raise TypeError(
        "random_state must be None, an int, a numpy RandomState, Generator or SeedSequence, "
        f"got {_short(random_state)} ({type(random_state).__name__})."
    )
