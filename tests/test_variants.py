"""Every learner their own numbers: seeds from the course secret, the kernel's data, per-learner releases."""

import json
import stat
from types import SimpleNamespace

import pytest

from grading import variants
from grading.course import Course
from grading.sandbox import Sandbox
from retailkit.datasets import current_variant, load, variant_note


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


def test_jupyterhub_gives_each_user_their_own_seed(tmp_path, monkeypatch):
    course = Course.open(tmp_path / "course")
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
