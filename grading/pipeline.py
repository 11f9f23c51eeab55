"""The tutor's and course author's pipeline, one function per step; the CLI is a thin layer over these.

validate -> release -> (learners work) -> autograde -> feedback -> report; ``demo`` runs it all on the
sample cohort. The steps live in modules along nbgrader's own lines; this module gathers them:

- ``grading.checks``: ``validate`` and the self-check file;
- ``grading.release``: ``release`` and the learner's own ``workbook``;
- ``grading.autograde``: ``collect``, ``autograde``, ``feedback``;
- ``grading.gradebook``: marks from nbgrader's gradebook.
"""

from grading.autograde import (
    Grading,
    Result,
    autograde,
    autograde_many,
    collect,
    feedback,
    state_path,
    summary_json,
)
from grading.checks import (
    SANDBOX_CHECK,
    Check,
    checks_table,
    leaks,
    manifest_problems,
    readings_table,
    require_sandbox,
    second_readings,
    selfcheck_data,
    table,
    validate,
    write_selfcheck,
)
from grading.gradebook import scores
from grading.release import release, workbook

__all__ = ["Check", "Grading", "Result", "SANDBOX_CHECK", "autograde", "autograde_many", "checks_table", "collect",
           "feedback",
           "leaks", "manifest_problems", "readings_table", "release", "require_sandbox", "scores",
           "second_readings", "selfcheck_data", "state_path", "summary_json", "table", "validate", "workbook",
           "write_selfcheck"]
