"""Releasing an assignment (nbgrader generate_assignment, and the exchange) and a learner's own workbook."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from grading.course import Course


def release(course: Course, name: str) -> Path:
    """Nbgrader generate_assignment (and release to the exchange when one is configured)."""
    course.sync_source(name)
    api = course.api()
    result = api.generate_assignment(name, force=True)
    if not result["success"]:
        raise RuntimeError(f"generate_assignment failed for {name}:\n{result.get('error', '')}")
    if course.exchange_root:
        result = api.release_assignment(name)
        if not result["success"]:
            raise RuntimeError(f"release to the exchange failed:\n{result.get('error', '')}")
    return course.root / "release" / name


def workbook(course: Course, name: str, folder: Path | None = None) -> list[str]:
    """Give a learner working on this machine their own copy of ``name``, in ``workbook/<name>/``.

    The copy is made once and then only opened: a learner's notebook is never replaced. When the tutor's
    release has changed since (a corrected question, say), the new version is put beside it as
    ``<notebook> (new release <date>).ipynb`` and the learner's file is left as it is. Other files (the
    self-check, for example) follow the release. Returns what was done, one line each.
    """
    source = release(course, name)
    target = (folder or course.root / "workbook") / name
    target.mkdir(parents=True, exist_ok=True)
    done = []
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        mine = target / path.relative_to(source)
        mine.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix != ".ipynb":
            shutil.copyfile(path, mine)
            continue
        stamp = mine.with_name(f".{mine.name}.release")  # the release this copy was made from
        if not mine.exists():
            shutil.copyfile(path, mine)
            shutil.copyfile(path, stamp)
            done.append(f"new: {mine}")
        elif stamp.exists() and stamp.read_bytes() == path.read_bytes():
            done.append(f"kept: {mine}")
        else:
            newer = mine.with_name(f"{mine.stem} (new release {dt.date.today().isoformat()}).ipynb")
            shutil.copyfile(path, newer)
            shutil.copyfile(path, stamp)
            done.append(f"kept: {mine} (the tutor's new version is beside it: {newer.name})")
    return done




def personalise(course: Course, name: str, learner: str, folder: Path) -> int:
    """Put ``learner``'s own variant into a copy of ``name`` in ``folder``: the seed file and its self-check.

    Returns the seed. ``load`` in that folder then reads the learner's data; the grader ignores the file and
    works the seed out from the learner id again.
    """
    from grading import answer_key, checks, variants

    seed = variants.seeds(course, [learner], name)[learner]
    key, _ = answer_key.build(course, name, seed)
    (folder / "retailkit-variant.txt").write_text(f"{seed}\n")
    for data in checks.selfcheck_data(course, name, key).values():
        (folder / "selfcheck.json").write_text(json.dumps({**data, "variant": seed}, indent=1, sort_keys=True) + "\n")
    return seed


def per_learner(course: Course, name: str, learners: list[str]) -> list[Path]:
    """A release for each learner with their own variant of the data: ``personal/<learner>/<name>/`` and a zip.

    Each folder holds the release notebooks, ``retailkit-variant.txt`` (the learner's seed, which ``load``
    reads; the grader ignores it and uses the learner id) and the self-check file for that variant. The
    tutor hands each learner their zip (or puts the folder in their home directory).
    """
    from grading import variants

    if not variants.enabled(course, name):
        raise ValueError("personal_data is off in grading/course.yml: every learner gets the same release")
    made = []
    for learner in learners:
        if not learner or "/" in learner or learner.startswith("."):
            raise ValueError(f"{learner!r} is not a usable learner id")
        workbook(course, name, course.root / "personal" / learner)  # a learner's notebook is never replaced
        folder = course.root / "personal" / learner / name
        personalise(course, name, learner, folder)
        archive = shutil.make_archive(str(folder.parent / name), "zip", folder.parent, name)
        made.append(Path(archive))
    return made
