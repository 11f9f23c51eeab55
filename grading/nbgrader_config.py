"""nbgrader configuration for the Retail Skills Workbook.

The course tool (`python -m grading`) loads this file and sets the course folder. A copy of the
`nbgrader_config.py` it writes into the course folder points back here, so `nbgrader` commands and the
formgrader run from inside the course folder use the same settings.
"""

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from grading.preprocessors import CompareAnswers, SandboxedExecute

c = get_config()  # noqa: F821 (provided by traitlets when this file is loaded)

c.CourseDirectory.course_id = "retail-skills-l3"

# What a learner sees in place of the solution: plain words, not `raise NotImplementedError()`.
c.ClearSolutions.code_stub = {"python": "# Your working here (add as many lines as you need)"}

# Grade cells that a learner deleted come back, with a note saying so.
c.OverwriteCells.add_missing_cells = True

# The learner's kernel never judges itself: it runs sandboxed and only reports answers; CompareAnswers
# marks them in the grading process. The rest is nbgrader's own pipeline, unchanged.
c.Autograde.autograde_preprocessors = [
    SandboxedExecute,
    CompareAnswers,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.SandboxedExecute.timeout = 300  # seconds per cell: a runaway loop cannot hold up the cohort
c.SandboxedExecute.allow_errors = True
c.SandboxedExecute.interrupt_on_timeout = True
