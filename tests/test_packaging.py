"""What a non-editable install ships: every package of bimcarbon and every file the web app serves
(pyproject's explicit package list missed bimcarbon.park and the web app's scripts once)."""

from __future__ import annotations

import fnmatch
from pathlib import Path

import tomllib

REPO = Path(__file__).resolve().parent.parent


def _setuptools() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_folder_with_python_modules_is_a_listed_package():
    folders = {p.parent for p in (REPO / "bimcarbon").rglob("*.py") if "__pycache__" not in p.parts}
    wanted = {".".join(f.relative_to(REPO).parts) for f in folders}
    assert wanted <= set(_setuptools()["packages"]), sorted(wanted - set(_setuptools()["packages"]))


def test_every_template_and_static_file_of_the_web_app_is_package_data():
    web = REPO / "bimcarbon" / "web"
    patterns = _setuptools()["package-data"]["bimcarbon.web"]
    served = [p.relative_to(web).as_posix() for p in [*web.glob("templates/*"), *web.glob("static/*")]]
    missing = [name for name in served if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)]
    assert served and not missing, missing
