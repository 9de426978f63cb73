"""Writing a file safely: the path checked before any work, then an atomic replace.

What ``save`` and ``write_corpus`` promise about the file at ``path`` (SPEC, "Files and
memory"), and how:

- Only a regular file is written. An empty path, a path ending in ``/``, a missing folder, a
  directory, a device, a FIFO or a socket are refused by :func:`check_output_path`, before
  anything is drawn: an atomic rename would otherwise replace ``/dev/null`` or a FIFO with a
  regular file, or fail only after the whole corpus was written.
- A symlink is written through to its target, as ``cp`` does: the link stays a link.
- The new file keeps the old one's permission bits (and owner and group, where allowed): a 0600
  file must not come back readable by all.
- A read-only file (no write bit for anyone, or not writable by this user) is refused, not
  replaced: its mode says it must not change, and a rename in a writable folder would bypass
  that silently. ``cp`` refuses it too, as any user but root.
- The data goes to a temporary file beside the target, whose name is cut to fit the file
  system's name limit, and only a complete file is put in place. Normally by ``os.replace``
  (atomic: a reader, a crash or a signal sees the old file or the new one). A file with several
  hard links is instead copied into, once complete: a rename would give the path a new inode
  and leave the other names on the old content. That copy is not atomic; its space is
  reserved first (so a full disk fails before the old content is touched) and Ctrl-C and
  SIGTERM are held back while it runs, so only SIGKILL or a crash in that short window can
  leave a mixture.
"""

import errno
import os
import secrets
import shutil
import stat
from contextlib import contextmanager, suppress

from ._process import file_in_place, interrupts_held, raise_if_stopped

__all__ = ["check_output_path", "replaced_atomically"]

_KINDS = {
    stat.S_ISDIR: "a folder",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISFIFO: "a FIFO (named pipe)",
    stat.S_ISSOCK: "a socket",
}


def _as_text(path, name):
    try:
        path = os.fspath(path)
    except TypeError:
        raise TypeError(
            f"{name} must be a str or os.PathLike, got {type(path).__name__}."
        ) from None
    return os.fsdecode(path)


def _check_existing(text, target, name):
    """Refuse an existing ``target`` that is not a writable regular file; return its stat."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:  # a name too long, a symlink loop, a component that is a file
        raise ValueError(f"{name} {text!r} cannot be written: {exc.strerror}.") from None
    for is_kind, kind in _KINDS.items():
        if is_kind(info.st_mode):
            raise ValueError(f"{name} {text!r} is {kind}; skmix writes regular files only.")
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise ValueError(
            f"{name} {text!r} is read-only (mode {stat.filemode(info.st_mode)}); make it "
            "writable or choose another file."
        )
    return info


def check_output_path(path, name="path"):
    """Return the file to write for ``path``, refusing what cannot be written, before any work.

    Parameters
    ----------
    path : str or os.PathLike
        Where the user asked the file to go.
    name : str, default="path"
        The parameter's name, for the error message.

    Returns
    -------
    target : str
        The absolute path of the regular file to create or replace (a symlink's target).

    Examples
    --------
    >>> from skmix._files import check_output_path
    >>> check_output_path(".")
    Traceback (most recent call last):
    ...
    ValueError: path '.' is a folder; skmix writes regular files only.
    """
    text = _as_text(path, name)
    if not text:
        raise ValueError(f"{name} is empty; give a file name.")
    if text.endswith(("/", os.sep)):
        raise ValueError(f"{name} {text!r} ends with '/' (a folder); give a file name.")
    target = os.path.realpath(text)  # through symlinks, as cp writes
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise ValueError(f"{name} {text!r}: folder {folder!r} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"{name} {text!r}: folder {folder!r} is not writable.")
    _check_existing(text, target, name)
    return target


def _temporary_path(target):
    """A fresh hidden name beside ``target``, cut to the folder's file name limit."""
    folder, name = os.path.split(target)
    suffix = f".{secrets.token_hex(4)}.tmp"
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        limit = 255
    room = max(limit - len(suffix) - 1, 1)
    stem = os.fsencode(name)[:room].decode("utf-8", "ignore") or "skmix"
    return os.path.join(folder, f".{stem}{suffix}")


def _create(temporary, existing):
    """Create the temporary file, with the old file's owner and mode if there is one."""
    mode = 0o600 if existing else 0o666  # new files: as open() makes them, through the umask
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode))
    if existing is None:
        return
    with suppress(PermissionError):  # only root may give a file away; the group where allowed
        os.chown(temporary, existing.st_uid, existing.st_gid)
    os.chmod(temporary, stat.S_IMODE(existing.st_mode))


def _copy_into(temporary, target):
    """Copy the complete ``temporary`` into ``target``'s own inode (it has other hard links)."""
    size = os.stat(temporary).st_size
    with open(temporary, "rb") as source, open(target, "r+b") as destination:
        try:
            os.posix_fallocate(destination.fileno(), 0, max(size, 1))
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                raise
        shutil.copyfileobj(source, destination, 2**20)
        destination.truncate(size)
    os.remove(temporary)


def _put_in_place(temporary, target, text, name):
    """Replace ``target`` by the complete ``temporary``, re-checking it first."""
    with interrupts_held():
        raise_if_stopped()  # a Ctrl-C swallowed earlier: the old file stays
        existing = _check_existing(text, target, name)  # it may have changed meanwhile
        if existing is not None and existing.st_nlink > 1:
            _copy_into(temporary, target)
        else:
            os.replace(temporary, target)
        file_in_place(target)


def _remove(temporary):
    # a second Ctrl-C must not leave the temporary file half-removed
    with interrupts_held(), suppress(FileNotFoundError):
            os.remove(temporary)


@contextmanager
def replaced_atomically(path, name="path"):
    """Check ``path``, yield a temporary file beside it, put it in place when the block ends.

    If the block raises (``KeyboardInterrupt`` included) the temporary file is removed and
    ``path`` is left as it was. See the module's docstring for what is kept (permissions,
    symlinks, hard links) and what is refused.

    Parameters
    ----------
    path : str or os.PathLike
        The regular file to create or replace.
    name : str, default="path"
        The parameter's name, for error messages.

    Yields
    ------
    temporary : str
        An empty file to write (open it with ``"w"`` or ``"wb"``): it already has the old
        file's mode.

    Examples
    --------
    >>> import os, tempfile
    >>> from skmix._files import replaced_atomically
    >>> path = os.path.join(tempfile.mkdtemp(), "out.txt")
    >>> with replaced_atomically(path) as temporary, open(temporary, "w") as file:
    ...     _ = file.write("done\\n")
    >>> open(path).read()
    'done\\n'
    """
    text = _as_text(path, name)
    target = check_output_path(text, name)
    temporary = _temporary_path(target)
    _create(temporary, _check_existing(text, target, name))
    try:
        yield temporary
        _put_in_place(temporary, target, text, name)
    except OSError as exc:  # a full disk, a quota: say which file could not be written
        _remove(temporary)
        raise OSError(exc.errno, f"cannot write {name} {text!r}: {exc.strerror}") from exc
    except BaseException:
        _remove(temporary)
        raise
