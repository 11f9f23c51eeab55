"""nbgrader configuration for the Retail Skills Workbook.

The course tool (`python -m grading`) loads this file and sets the course folder. A copy of the
`nbgrader_config.py` it writes into the course folder points back here, so `nbgrader` commands and the
formgrader run from inside the course folder use the same settings.
"""

import os

import nbgrader
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

import grading.feedback
from grading.feedback import FeedbackWords
from grading.preprocessors import CompareAnswers, SandboxedExecute, SanitizeLearnerContent, check_schema_once
from grading.repair import RepairStructure

c = get_config()  # noqa: F821 (provided by traitlets when this file is loaded)
check_schema_once()  # nbgrader re-checked its own schema for every cell: 0.7 s a notebook

c.CourseDirectory.course_id = "retail-skills-l3"

# nbconvert checks the whole notebook against the schema after each of the fifteen steps of autograde; once,
# after the last, still checks what is written.
c.Exporter.optimistic_validation = True

# What a learner sees in place of the solution: plain words, not `raise NotImplementedError()`; in a written
# answer, the author's model answer (between BEGIN and END SOLUTION) is replaced by a blank line, so the
# answer's headings (what I found / why it matters / what I would do) stay for the learner to fill in.
c.ClearSolutions.code_stub = {"python": "# Your working here (add as many lines as you need)"}
c.ClearSolutions.text_stub = "(Write your answer here, under each heading.)"

# Grade cells that a learner deleted come back, with a note saying so.
c.OverwriteCells.add_missing_cells = True

# A slip in a learner's notebook (a pasted, split or cut cell, lost metadata) costs that task, not the
# notebook: RepairStructure puts the structure right against the release first, and notes what it did.
c.Autograde.sanitize_preprocessors = [
    RepairStructure, ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata]

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
    SanitizeLearnerContent,  # last: what formgrader and feedback show can run no script
]
# Limits per learner, enforced outside the kernel (see grading.sandbox and the README). A learner who hits
# one gets that reason in the feedback and keeps the marks for the answers recorded before it.
c.SandboxedExecute.timeout = 60  # seconds per cell
c.SandboxedExecute.notebook_timeout = 600  # seconds for the whole notebook
c.SandboxedExecute.memory_mb = 2048  # all the learner's processes together
c.SandboxedExecute.processes = 128  # processes and threads
c.SandboxedExecute.disk_mb = 64  # private home folder (and /tmp again)
c.SandboxedExecute.output_mb = 8  # everything printed or shown
c.SandboxedExecute.shutdown_kernel = "immediate"  # the sandbox ends every process anyway: no 0.4 s goodbye
# Cells tagged "explore" only show what-if widgets for the learner to play with: they record no answer,
# so grading does not run them (grading.preprocessors.LimitedRun; nbclient could stall on their widget
# messages, nbclient issue #312).

# The learner's feedback page in a tutor's words ("Task 1.1: Partly right", "Marking point MCS-1: Met"),
# not nbgrader's ("Test cell", "Student's answer", a bare 0.5): grading.feedback, templates/feedback.
c.GenerateFeedback.preprocessors = [GetGrades, FeedbackWords, CSSHTMLHeaderPreprocessor]
# nbgrader always asks for the template called "feedback": ours comes first in the search path. (The
# template name itself is left to nbgrader: formgrader renders its own pages with the same exporter.)
c.HTMLExporter.extra_template_basedirs = [
    os.path.join(os.path.dirname(grading.feedback.__file__), "templates"),
    os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader", "templates")]
