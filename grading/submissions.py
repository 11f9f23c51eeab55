"""Learners' hand-ins as people make them: any name, any layout a browser or a VLE makes, nothing lost.

``collect`` reads a zip or a folder and files each learner's notebooks under
``submitted/<learner id>/<assignment>/``. It understands:

- ``<learner>/<notebook>.ipynb``, ``<learner>.ipynb`` (one-notebook assignments) and nbgrader's
  ``<learner>/<assignment>/<notebook>.ipynb``, at any depth (a zip of a folder of folders is fine);
- Moodle's "download all": ``<Full Name>_<number>_assignsubmission_file_/<any name>.ipynb``;
- notebook names as browsers and people change them: ``Retail_KPIs.ipynb``, ``retail_kpis (1).ipynb``,
  ``retail_kpis copy.ipynb``;
- any name a person has (apostrophes, accents, spaces, other alphabets): the learner id is made from
  it (``Siân O'Brien`` -> ``sian-obrien``) and the name itself is kept in the gradebook; a names file
  (CSV: ``name,learner_id``) maps VLE names to the centre's learner ids.

Nothing is resolved silently: two files for one learner's notebook, a name the names file does not know,
a damaged, oversized, linked or escaping zip entry are each reported (and that learner's file is not
taken), while everyone else is collected. A learner who hands in again keeps the earlier copy in
``archive/``. ``backup`` and ``verify`` keep a byte-for-byte copy of every submitted file and prove,
after each run, that none changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE = 50 * 1024 * 1024  # one notebook
MAX_TOTAL = 2 * 1024 * 1024 * 1024  # a whole hand-in, unpacked
MAX_RATIO = 200  # unpacked size / packed size: more than this is a zip bomb, not a notebook
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<number>\d+)_assignsubmission_(file|onlinetext)_?$")
RENAMED = re.compile(r"(\s*\(\d+\)|[\s_-]*copy(\s*\d+)?|-\d+)$", re.IGNORECASE)


@dataclass
class Collected:
    """What ``collect`` took (learner ids) and what it could not take, in plain words."""

    learners: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # learner id -> the name as handed in
    problems: list[str] = field(default_factory=list)


def learner_id(name: str) -> str:
    """A learner id from any name: lower case, accents dropped, other alphabets kept, words joined by '-'.

    >>> learner_id("Siân O'Brien"), learner_id("  José  María "), learner_id("Ольга Петрова"), learner_id("amira")
    ('sian-obrien', 'jose-maria', 'ольга-петрова', 'amira')
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['’`]", "", text.lower())
    return re.sub(r"[\W_]+", "-", text).strip("-")[:64]


def _notebook(stem: str, notebooks: list[str]) -> str | None:
    """Which notebook a file is, allowing for case and browser renames; None if none."""
    wanted = {n.lower(): n for n in notebooks}
    plain = stem.strip().lower()
    for _ in range(3):
        if plain in wanted:
            return wanted[plain]
        plain = RENAMED.sub("", plain).strip()
    return None


def _who(parts: list[str], name: str, notebooks: list[str]) -> tuple[str | None, str | None]:
    """(learner as handed in, notebook) for a path inside a hand-in, or (None, None)."""
    stem = parts[-1][: -len(".ipynb")]
    notebook = _notebook(stem, notebooks)
    folders = parts[:-1]
    if folders and folders[-1].lower() == name.lower():  # nbgrader's <learner>/<assignment>/<notebook>
        folders = folders[:-1]
    if folders:
        moodle = MOODLE.match(folders[-1])
        if moodle:
            return moodle.group("name"), notebook or (notebooks[0] if len(notebooks) == 1 else None)
        if notebook:
            return folders[-1], notebook
    if notebook is None and len(notebooks) == 1:  # <learner>.ipynb
        return stem, notebooks[0]
    return None, None


def _names_map(path: Path | None) -> dict[str, str] | None:
    if path is None:
        return None
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if not rows or not {"name", "learner_id"} <= set(rows[0]):
        raise ValueError(f"{path}: the names file needs the columns name,learner_id")
    return {learner_id(r["name"]): r["learner_id"].strip() for r in rows}


def _entries(source: Path, problems: list[str]):
    """(path parts, bytes) of every .ipynb in a zip or folder, checked; bad entries go to ``problems``."""
    if source.is_file() and zipfile.is_zipfile(source):
        total = 0
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                where = info.filename
                parts = [p for p in where.replace("\\", "/").split("/") if p not in ("", ".")]
                if info.is_dir() or not parts or "__MACOSX" in parts or parts[-1].startswith("._"):
                    continue
                if not parts[-1].lower().endswith(".ipynb"):
                    continue
                if where.startswith("/") or ".." in parts:
                    problems.append(f"{where}: not taken, its path points outside the hand-in")
                    continue
                if stat.S_ISLNK(info.external_attr >> 16):
                    problems.append(f"{where}: not taken, it is a link, not a file")
                    continue
                if info.file_size > MAX_FILE or total + info.file_size > MAX_TOTAL:
                    problems.append(f"{where}: not taken, it is larger than {MAX_FILE // 2**20} MB")
                    continue
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                    problems.append(f"{where}: not taken, it unpacks to {info.file_size / info.compress_size:.0f} "
                                    "times its size (a zip bomb?)")
                    continue
                try:
                    with archive.open(info) as f:
                        data = f.read(MAX_FILE + 1)  # never trust the declared size
                except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                    problems.append(f"{where}: not taken, it is damaged in the zip ({error})")
                    continue
                if len(data) > MAX_FILE:
                    problems.append(f"{where}: not taken, it is larger than {MAX_FILE // 2**20} MB")
                    continue
                total += len(data)
                yield parts, data
    elif source.is_dir():
        for folder, dirs, files in os.walk(source, followlinks=False):
            here = Path(folder)
            for d in list(dirs):
                if (here / d).is_symlink():
                    problems.append(f"{(here / d).relative_to(source)}: not taken, it is a link to a folder")
                    dirs.remove(d)
            for file in sorted(files):
                path = here / file
                if not file.lower().endswith(".ipynb") or file.startswith("._"):
                    continue
                where = str(path.relative_to(source))
                if path.is_symlink():
                    problems.append(f"{where}: not taken, it is a link, not a file")
                elif path.stat().st_size > MAX_FILE:
                    problems.append(f"{where}: not taken, it is larger than {MAX_FILE // 2**20} MB")
                else:
                    yield list(path.relative_to(source).parts), path.read_bytes()
    else:
        raise FileNotFoundError(f"no zip file or folder of submissions at {source}")


def collect(course, name: str, source: Path, names_file: Path | None = None) -> Collected:
    """Bring learners' notebooks into ``submitted/<learner>/<name>/`` without losing anything."""
    notebooks = course.assignment(name)["notebooks"]
    mapping = _names_map(names_file)
    out = Collected()
    inbound = sorted(p.name for p in Path(source).iterdir() if p.name.count("+") >= 2
                     and p.name.split("+")[1] == name) if Path(source).is_dir() else []
    if inbound:  # <learner>+<assignment>+<time>+<random>: hand-ins in nbgrader's exchange
        out.problems.append(f"{source} is nbgrader's exchange inbound folder ({inbound[0]}...): run "
                            f"`python -m grading autograde {name}` with no folder, and it collects each "
                            "learner's newest hand-in from the exchange itself")
        return out
    found: dict[str, dict[str, list[tuple[str, bytes]]]] = {}
    for parts, data in _entries(Path(source), out.problems):
        where = "/".join(parts)
        person, notebook = _who(parts, name, notebooks)
        if person is None:
            out.problems.append(f"{where}: not taken, it is not one of this assignment's notebooks "
                                f"({', '.join(n + '.ipynb' for n in notebooks)})")
            continue
        key = learner_id(person)
        if mapping is not None:
            if key not in mapping:
                out.problems.append(f"{where}: not taken, {person!r} is not in the names file")
                continue
            key = mapping[key]
        if not key:
            out.problems.append(f"{where}: not taken, no learner name could be read from it")
            continue
        out.names.setdefault(key, person)
        found.setdefault(key, {}).setdefault(notebook, []).append((where, data))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    for student, files in sorted(found.items()):
        clashes = {nb: got for nb, got in files.items() if len({d for _, d in got}) > 1}
        if clashes:
            for nb, got in clashes.items():
                out.problems.append(f"{student}: not taken, {len(got)} different files for {nb}.ipynb "
                                    f"({'; '.join(w for w, _ in got)}); keep one and collect again")
            continue
        folder = course.root / "submitted" / student / name
        if folder.exists():
            same = all((folder / f"{nb}.ipynb").exists() and (folder / f"{nb}.ipynb").read_bytes() == got[0][1]
                       for nb, got in files.items())
            if same:
                out.learners.append(student)
                continue
            keep = course.root / "archive" / student / name / dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(folder), str(keep))
        folder.mkdir(parents=True)
        for notebook, got in files.items():
            (folder / f"{notebook}.ipynb").write_bytes(got[0][1])
        (folder / "timestamp.txt").write_text(stamp)
        out.learners.append(student)
    return out


# --- every submitted byte kept --------------------------------------------------------------------------
def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def backup(course) -> dict[str, str]:
    """Keep a copy of every file under ``submitted/`` in ``archive/store/`` (by content); return {path: sha}."""
    store = course.root / "archive" / "store"
    store.mkdir(parents=True, exist_ok=True)
    seen = {}
    submitted = course.root / "submitted"
    for path in sorted(submitted.rglob("*")) if submitted.exists() else []:
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            sha = _digest(data)
            if not (store / sha).exists():
                (store / sha).write_bytes(data)
            seen[str(path.relative_to(course.root))] = sha
    (course.root / "archive" / "last-backup.json").write_text(json.dumps(seen, indent=1, sort_keys=True))
    return seen


def verify(course, before: dict[str, str]) -> list[str]:
    """Check byte for byte that no submitted file changed or went; put back any that did, and say so."""
    store = course.root / "archive" / "store"
    problems = []
    for rel, sha in before.items():
        path = course.root / rel
        if path.is_file() and _digest(path.read_bytes()) == sha:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((store / sha).read_bytes())
        problems.append(f"{rel} had changed or gone during the run; it was put back from the backup")
    return problems
