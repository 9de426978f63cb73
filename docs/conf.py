"""Sphinx configuration of the skmix documentation.

Build (warnings are errors), from the repository root, with the ``docs`` extra installed::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The API reference is generated from ``__all__`` of every public module of skmix (a module
whose name does not start with ``_``), so a public module or name added later appears without
an edit here. The gallery runs ``examples/plot_*.py``.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # document this checkout, not another installed skmix
os.environ.setdefault("MPLBACKEND", "Agg")

from sphinx.pycode import ModuleAnalyzer  # noqa: E402

import skmix  # noqa: E402

project = "skmix"
author = "skmix developers"
copyright = "skmix developers"
release = version = skmix.__version__

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx_gallery.gen_gallery",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.md5"]
templates_path = ["_templates"]

html_theme = "pydata_sphinx_theme"
html_title = f"skmix {version}"
html_theme_options = {
    "navbar_end": ["theme-switcher"],
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_show_sourcelink = False
html_static_path = ["_static"]
html_css_files = ["skmix.css"]

myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

autosummary_generate = True
autodoc_typehints = "none"
numpydoc_show_class_members = False  # the class template lists the members itself
numpydoc_class_members_toctree = False

sphinx_gallery_conf = {
    "examples_dirs": str(DOCS.parent / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "show_memory": False,
}

# The guide's pages in the order of a user's tasks; pages not named here (added by later work)
# follow in alphabetical order, so every docs/guide/*.md appears.
GUIDE_ORDER = ["truth", "difficulty", "sample", "lookalike", "judge", "studies", "scale", "cli",
               "development"]
GUIDE_MARKER = "GUIDE_PAGES"


def public_modules():
    """``skmix`` and its public submodules (names without a leading underscore)."""
    names = [info.name for info in pkgutil.iter_modules(skmix.__path__, "skmix.")
             if not info.name.rpartition(".")[2].startswith("_")]
    return ["skmix", *sorted(names)]


def public_names(module_name):
    """The documented names of a module: its ``__all__`` without dunders."""
    module = importlib.import_module(module_name)
    if not hasattr(module, "__all__"):
        raise RuntimeError(f"{module_name} is public and must declare __all__ for the API docs")
    return [name for name in module.__all__ if not name.startswith("__")]


def write_api_pages():
    """One page per public module in ``docs/api/``: its docstring and a table of its names."""
    folder = DOCS / "api"
    folder.mkdir(exist_ok=True)
    modules = public_modules()
    for name in modules:
        rows = "\n".join(f"   {item}" for item in public_names(name))
        page = (f"{name}\n{'=' * len(name)}\n\n.. automodule:: {name}\n   :no-members:\n\n"
                f".. currentmodule:: {name}\n\n.. autosummary::\n   :toctree: generated\n"
                f"   :nosignatures:\n\n{rows}\n")
        path = folder / f"{name}.rst"
        if not path.exists() or path.read_text() != page:  # unchanged pages are not rebuilt
            path.write_text(page)
    for stale in set(folder.glob("*.rst")) - {folder / f"{name}.rst" for name in modules}:
        stale.unlink()


def guide_pages():
    """The guide's page names, in ``GUIDE_ORDER`` first, then the others alphabetically."""
    found = sorted(path.stem for path in (DOCS / "guide").glob("*.md") if path.stem != "index")
    return sorted(found, key=lambda name: (GUIDE_ORDER.index(name) if name in GUIDE_ORDER
                                           else len(GUIDE_ORDER), name))


def fill_guide_toctree(app, docname, source):
    if docname == "guide/index":
        source[0] = source[0].replace(GUIDE_MARKER, "\n".join(guide_pages()))


def skip_foreign_members(app, what, name, obj, skip, options):
    """Leave out what a class inherits from scikit-learn (get_params, set_params, ...)."""
    defined_in = getattr(getattr(obj, "fget", obj), "__module__", None) or ""
    return True if defined_in.startswith("sklearn") else None


def document_constants(app, what, name, obj, options, lines):
    """A re-exported constant's ``#:`` comment from the private module that defines it.

    Without it autodoc would show the docstring of the constant's type (``float``, ``dict``).
    """
    if what != "data":
        return
    attribute = name.rpartition(".")[2]
    for module_name in sorted(name for name in sys.modules if name.startswith("skmix.")):
        comment = ModuleAnalyzer.for_module(module_name).find_attr_docs().get(("", attribute))
        if comment:
            lines[:] = [line for line in comment if line.strip() or lines]
            return


def setup(app):
    write_api_pages()
    app.connect("source-read", fill_guide_toctree)
    app.connect("autodoc-skip-member", skip_foreign_members)
    app.connect("autodoc-process-docstring", document_constants)
