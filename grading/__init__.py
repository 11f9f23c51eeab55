"""The tutor's grading pipeline for the Retail Skills Workbook (run it with ``python -m grading``)."""

import warnings

# nbgrader 0.9 trips SQLAlchemy 2's session warnings on every submission; they are noise for a tutor.
warnings.filterwarnings("ignore", message=".*not in session.*")


def _defer_iri_grammars() -> None:
    """Compile jsonschema's IRI grammars only if an IRI is ever checked.

    ``import jsonschema`` (under nbformat and nbgrader) imports ``rfc3987_syntax``, which compiles 35
    grammars: about 0.9 s in every grading process and worker, for a format no notebook schema uses
    (jsonschema issue 1428). A stand-in module loads the real one on the first check, so any check
    still gives the real answer.
    """
    import importlib
    import importlib.util
    import sys
    import types

    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    if importlib.util.find_spec("rfc3987_syntax") is None:
        return
    stand_in = types.ModuleType("rfc3987_syntax")

    def is_valid_syntax(*args, **kwargs):
        if sys.modules.get("rfc3987_syntax") is stand_in:
            del sys.modules["rfc3987_syntax"]
        return importlib.import_module("rfc3987_syntax").is_valid_syntax(*args, **kwargs)

    stand_in.is_valid_syntax = is_valid_syntax
    sys.modules["rfc3987_syntax"] = stand_in


_defer_iri_grammars()
