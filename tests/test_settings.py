"""Where the defaults point: the checkout's folders, or the installed package's and the user's."""

from __future__ import annotations

from pathlib import Path

from fareast_kg import settings as settings_module
from fareast_kg.settings import Settings, in_checkout, user_store

from .conftest import ROOT


def test_a_checkout_keeps_everything_under_its_root() -> None:
    assert in_checkout(ROOT)
    settings = Settings.from_env({"XDG_DATA_HOME": "/elsewhere"})
    assert (settings.store, settings.ontology_dir, settings.data_dir, settings.queries_dir) == (
        ROOT / "store", ROOT / "ontology", ROOT / "data", ROOT / "queries")


def test_a_folder_without_the_sources_is_no_checkout(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    assert not in_checkout(tmp_path)
    (tmp_path / "ontology").mkdir()
    assert in_checkout(tmp_path)


def test_the_user_store_follows_xdg_data_home() -> None:
    assert user_store({"XDG_DATA_HOME": "/data"}) == Path("/data/fareast-kg/store")
    assert user_store({}) == Path.home() / ".local" / "share" / "fareast-kg" / "store"
    assert user_store({"XDG_DATA_HOME": ""}) == Path.home() / ".local" / "share" / "fareast-kg" / "store"


def test_installed_defaults_use_the_package_and_the_user_store(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    share = Path(settings_module.__file__).resolve().parent / "share"
    monkeypatch.setattr(settings_module, "_ROOT", share)
    settings = Settings.from_env({"XDG_DATA_HOME": "/data"})
    assert (settings.store, settings.ontology_dir, settings.data_dir, settings.queries_dir) == (
        Path("/data/fareast-kg/store"), share / "ontology", share / "data", share / "queries")
    assert Settings.from_env({"XDG_DATA_HOME": "/data", "FAREAST_STORE": "/mine"}).store == Path("/mine")
    assert Settings.from_env({"XDG_DATA_HOME": "/data"}, store=Path("/flag")).store == Path("/flag")
