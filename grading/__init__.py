"""The tutor's grading pipeline for the Retail Skills Workbook (run it with ``python -m grading``)."""

import warnings

# nbgrader 0.9 trips SQLAlchemy 2's session warnings on every submission; they are noise for a tutor.
warnings.filterwarnings("ignore", message=".*not in session.*")
