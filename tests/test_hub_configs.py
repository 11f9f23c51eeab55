"""The hub's configuration files load, and each gives a learner the seed the grader uses.

The demo hub's ``hub/jupyterhub_config.py``, The Littlest JupyterHub's ``hub/tljh/retailkit.py`` and the
Kubernetes Helm values ``hub/kubernetes/config.yaml`` (see hub/README.md), each loaded as its hub would load
it, without starting a hub.
"""

import os
import pwd
import re
from types import SimpleNamespace

import pytest
import yaml
from traitlets.config import Config, PyFileConfigLoader

from grading import variants
from grading.course import PROJECT, Course

HUB = PROJECT / "hub"


def _spawner(name: str) -> SimpleNamespace:
    return SimpleNamespace(user=SimpleNamespace(name=name), environment={}, notebook_dir="")


@pytest.fixture
def course(tmp_path, monkeypatch):
    course = Course.open(tmp_path / "course")
    variants.secret(course)
    monkeypatch.setenv("RETAILKIT_COURSE", str(course.root))
    return course


def test_the_demo_hub_config_loads_and_sets_each_role(course, monkeypatch, tmp_path):
    me = pwd.getpwuid(os.getuid()).pw_name  # an account that exists here, for the home folder
    monkeypatch.setenv("RETAILKIT_HUB_DIR", str(tmp_path / "hub"))
    monkeypatch.setenv("RETAILKIT_HUB_TUTOR", "tutor-not-me")
    monkeypatch.setenv("RETAILKIT_HUB_LEARNERS", f"{me} ben")
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(HUB)).load_config()
    assert config.JupyterHub.authenticator_class == "dummy" and config.JupyterHub.spawner_class == "localprocess"
    assert config.Authenticator.allowed_users == {me, "ben", "tutor-not-me"}
    assert config.JupyterHub.bind_url.startswith("http://127.0.0.1:")
    learner = _spawner(me)
    config.Spawner.pre_spawn_hook(learner)
    assert learner.environment["RETAILKIT_VARIANT"] == str(variants.seeds(course, [me])[me])
    assert learner.environment["JUPYTER_CONFIG_DIR"] == str(tmp_path / "hub" / "config" / "learner")
    assert "RETAILKIT_COURSE" not in learner.environment and not learner.notebook_dir
    (course.root / "secret.key").unlink()
    with pytest.raises(RuntimeError, match="no secret yet"):  # never made by the hub (it would be root's)
        config.Spawner.pre_spawn_hook(_spawner(me))
    assert not (course.root / "secret.key").exists()


def test_the_tljh_file_loads_and_gives_each_learner_their_seed(course, monkeypatch):
    monkeypatch.setenv("RETAILKIT_PROJECT", str(PROJECT))
    config = PyFileConfigLoader("retailkit.py", path=str(HUB / "tljh")).load_config()
    environment = config.Spawner.environment.get_value({})
    seed = variants.seeds(course, ["jupyter-amira"])["jupyter-amira"]  # TLJH's Unix name: the exchange's id
    assert environment["RETAILKIT_VARIANT"](_spawner("amira")) == str(seed)


def test_the_kubernetes_values_load_and_their_seed_is_the_graders(course, monkeypatch):
    values = yaml.safe_load((HUB / "kubernetes" / "config.yaml").read_text())
    mounts = values["singleuser"]["storage"]["extraVolumeMounts"]
    assert {"name": "exchange", "mountPath": "/srv/nbgrader/exchange"} in mounts
    monkeypatch.setenv("RETAILKIT_SECRET_FILE", str(course.root / "secret.key"))
    c = Config()
    exec(compile(values["hub"]["extraConfig"]["retailkit-variant"], "extraConfig", "exec"), {"c": c})  # noqa: S102
    seed = c.KubeSpawner.environment.get_value({})["RETAILKIT_VARIANT"]
    for name in ("amira", "ben", "o'neil"):
        assert seed(_spawner(name)) == str(variants.seeds(course, [name])[name])
    dockerfile = (HUB / "kubernetes" / "Dockerfile").read_text()
    assert "constraints.txt" in dockerfile and "/srv/nbgrader/exchange" in dockerfile


@pytest.mark.parametrize(("tutor", "learners", "port", "says"), [
    ("root", ["amira"], 8000, "'root' is a system account"),
    ("tutor", ["nobody"], 8000, "'nobody' is a system account"),
    ("tutor", ["../amira"], 8000, "'../amira' is not a usable user name"),
    ("tutor", ["Amira Khan"], 8000, "'Amira Khan' is not a usable user name"),
    ("tutor", ["amira", "tutor"], 8000, "each person needs their own user name"),
    ("tutor", ["amira"], 80, "port must be between 1024 and 65533"),
])
def test_the_hub_refuses_user_names_and_ports_it_cannot_use_safely(tutor, learners, port, says):
    from grading.hub import Hub, setup

    with pytest.raises(ValueError, match=re.escape(says)):
        setup(Hub(tutor=tutor, learners=learners, port=port))  # refused before anything is made


def test_the_hub_command_says_a_bad_name_in_one_line():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "grading", "hub", "--tutor", "root"], capture_output=True,
                         text=True, cwd=PROJECT, timeout=60)
    assert out.returncode == 2 and "error: 'root' is a system account" in out.stderr
    assert "Traceback" not in out.stderr
