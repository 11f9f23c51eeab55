"""Every learner their own numbers: seeds from the course secret, the kernel's data, per-learner releases."""

import json
import stat
import subprocess
import sys
from types import SimpleNamespace

import pandas as pd
import pytest

from grading import variants
from grading.course import Course
from grading.sandbox import Sandbox
from retailkit.datasets import current_variant, generate, load, variant_note
from retailkit.datasets.generator import generated


def test_a_learners_seed_is_stable_private_to_the_course_and_differs_between_learners(tmp_path):
    course = Course.open(tmp_path / "course")
    key = variants.secret(course)
    assert variants.secret(course) == key and len(key) == 32
    assert stat.S_IMODE((course.root / "secret.key").stat().st_mode) == 0o600
    seeds = variants.seeds(course, ["amira", "ben", "amira-2"], "retail_kpis")
    assert len(set(seeds.values())) == 3 and seeds == variants.seeds(course, ["amira", "ben", "amira-2"],
                                                                     "retail_kpis")
    other = Course.open(tmp_path / "other")
    assert variants.seeds(other, ["amira"], "retail_kpis")["amira"] != seeds["amira"]  # another secret
    assert variants.seeds(course, ["amira"], "start_here") == {}  # practice: the shared numbers


def test_the_kernel_gets_the_seed_and_never_the_secret(tmp_path):
    course = Course.open(tmp_path / "course")
    secret = variants.secret(course).hex()
    env = Sandbox(variant=123456).environment()
    assert env["RETAILKIT_VARIANT"] == "123456"
    assert not [v for v in env.values() if secret in v or str(course.root) in v]
    assert "RETAILKIT_VARIANT" not in Sandbox().environment()


def test_load_reads_the_learners_own_variant_and_says_so(monkeypatch, tmp_path):
    canonical = load("stores")
    monkeypatch.setenv("RETAILKIT_VARIANT", "424242")
    assert current_variant() == 424242 and "number 424242" in variant_note()
    mine = load("transactions")
    assert len(mine) != len(load("transactions", "canonical"))
    assert load("stores")["store_id"].tolist() == canonical["store_id"].tolist()  # same shops, same story
    monkeypatch.delenv("RETAILKIT_VARIANT")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "retailkit-variant.txt").write_text("424242\n")  # a per-learner release
    assert current_variant() == 424242
    (tmp_path / "retailkit-variant.txt").write_text("my variant")
    with pytest.raises(ValueError, match="should hold your variant number"):
        load("stores")


def test_a_prepared_variant_is_read_instead_of_generated_and_only_for_its_own_seed(monkeypatch, tmp_path):
    course = Course.open(tmp_path / "course")
    path = variants.prepared(course, 424242)
    assert path.parent == variants.prepared_folder(course) and stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE((course.root / "cache").stat().st_mode) == 0o700  # the folder: the tutor's only
    stale = variants.prepared_folder(course).parent / "made-by-older-code"
    stale.mkdir()
    variants.prepared(course, 424242)
    assert stale.exists()  # an existing file is reused, nothing remade
    generated.cache_clear()
    monkeypatch.setenv("RETAILKIT_VARIANT", "424242")
    fresh = load("transactions")
    generated.cache_clear()
    monkeypatch.setenv("RETAILKIT_VARIANT_DATA", str(path))
    pd.testing.assert_frame_equal(load("transactions"), fresh)
    generated.cache_clear()
    monkeypatch.setenv("RETAILKIT_VARIANT", "424243")  # a file for another seed is never used
    assert len(load("transactions")) != len(fresh)
    generated.cache_clear()


def test_a_learners_kernel_reads_their_prepared_variant_read_only_and_sees_no_other(tmp_path):
    course = Course.open(tmp_path / "course")
    mine, other = variants.prepared(course, 424242), variants.prepared(course, 424243)
    probe = (
        "import os, retailkit.datasets.generator as g\n"
        "path = os.environ['RETAILKIT_VARIANT_DATA']\n"
        "print(path, len(g.generated(424242)['transactions']))\n"
        f"print(sorted(os.listdir(os.path.dirname(path))), os.path.exists({str(other)!r}))\n"
        "try:\n    open(path, 'ab')\nexcept OSError as e:\n    print('read-only', e.errno)\n")
    with Sandbox(course.visible, variant=424242, data=str(mine)) as box:
        run = subprocess.run(box.command([sys.executable, "-c", probe]), capture_output=True, text=True,
                             env=box.environment(), preexec_fn=box.preexec, timeout=120)
    assert run.returncode == 0, run.stderr
    first, second, third = run.stdout.splitlines()
    assert first == f"/run/retailkit/variant.data {len(generate(424242)['transactions'])}"
    assert second == "['variant.data'] False" and third.startswith("read-only")


def test_jupyterhub_gives_each_user_their_own_seed(tmp_path, monkeypatch):
    course = Course.open(tmp_path / "course")
    variants.secret(course)  # made by the tutor's tool; the hub only reads it (tests/test_hub_configs.py)
    monkeypatch.setenv("RETAILKIT_COURSE", str(course.root))
    spawner = SimpleNamespace(user=SimpleNamespace(name="amira"))
    assert variants.hub_environment(spawner) == str(variants.seeds(course, ["amira"])["amira"])


@pytest.mark.slow
def test_a_per_learner_release_carries_the_learners_seed_and_self_check_and_nothing_secret(tmp_path):
    from grading.release import per_learner

    course = Course.open(tmp_path / "course")
    made = per_learner(course, "retail_kpis", ["amira", "ben"])
    seeds = variants.seeds(course, ["amira", "ben"], "retail_kpis")
    assert [p.name for p in made] == ["retail_kpis.zip", "retail_kpis.zip"]
    for learner in ("amira", "ben"):
        folder = course.root / "personal" / learner / "retail_kpis"
        assert (folder / "retailkit-variant.txt").read_text().strip() == str(seeds[learner])
        check = json.loads((folder / "selfcheck.json").read_text())
        assert check["variant"] == seeds[learner] and len(check["tasks"]) == 13
        text = "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())
        assert variants.secret(course).hex() not in text and "BEGIN SOLUTION" not in text
    assert (course.root / "personal" / "amira" / "retail_kpis" / "selfcheck.json").read_text() != \
        (course.root / "personal" / "ben" / "retail_kpis" / "selfcheck.json").read_text()
    mine = course.root / "personal" / "amira" / "retail_kpis" / "retail_kpis.ipynb"
    mine.write_text(mine.read_text().replace("replace None with your answer", "MY OWN WORK", 1))
    per_learner(course, "retail_kpis", ["amira"])  # released again: what amira typed is still there
    assert "MY OWN WORK" in mine.read_text()
