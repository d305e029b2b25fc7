"""Form answers: a refused form is shown again with its French messages and status 422."""


def form_status(*forms) -> int:
    """422 when a submitted form has errors, else 200 (a form not shown counts as valid).

    422 tells htmx, tests and monitoring that nothing was written; the page still shows the
    form with its messages."""
    return 422 if any(form is not None and form.errors for form in forms) else 200
