"""Shared test settings."""

from hypothesis import settings

# No per-example deadline (a cold machine can be slow on the first example), and the same examples on
# every run, so CI is repeatable; a failure prints the example to reproduce it.
settings.register_profile("course", deadline=None, derandomize=True, max_examples=150)
settings.load_profile("course")


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def demo_course(tmp_path_factory):
    """The whole tutor cycle on the sample cohort, run once per test session (about a minute)."""
    from grading import demo

    return demo.run(tmp_path_factory.mktemp("course") / "course")


@pytest.fixture(scope="session")
def small_data():
    """The small case-study data set (datasets/small/), loaded once per test session: ``small_data("stock")``."""
    from functools import cache

    from retailkit.datasets import load

    return cache(lambda name: load(name, "small"))
