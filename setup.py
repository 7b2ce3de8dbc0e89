"""Packaging beyond what pyproject.toml can say: the wheel carries the checkout's ontology/, data/
and queries/ inside the package, as ``fareast_kg/share/…``, so an installed package builds anywhere."""

from setuptools import find_namespace_packages, setup

# Folder at the checkout's top -> the files the package needs from it.
SHARED = {
    "ontology": ["*.ttl"],
    "data": ["*.trig", "*.tsv", "README.md"],
    "data.sections": ["*.trig"],
    "queries": ["*.rq"],
}

setup(
    # Namespace packages too: the template and static folders hold data, not modules.
    packages=find_namespace_packages("src", include=["fareast_kg*"], exclude=["*.__pycache__"])
    + [f"fareast_kg.share.{name}" for name in SHARED],
    package_dir={"": "src", **{f"fareast_kg.share.{name}": name for name in SHARED if "." not in name}},
    package_data={
        "fareast_kg.web.templates": ["*.html"],
        "fareast_kg.web.static": ["*"],
        **{f"fareast_kg.share.{name}": globs for name, globs in SHARED.items()},
    },
)
