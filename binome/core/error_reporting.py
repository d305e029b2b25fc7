"""Errors reach the people who fix them, never with a patient's data.

- ``ADMINS`` receive Django's error e-mails; their report keeps the path, the exception and
  the stack, but no request body, no cookie and no local variable (``PersonalDataFilter``).
- Sentry (``SENTRY_DSN``; off when unset) gets the same: no request body, cookies, query
  string, headers other than the user agent, local variables, or user beyond an id.
"""

from django.views.debug import SafeExceptionReporterFilter


class PersonalDataFilter(SafeExceptionReporterFilter):
    """Error reports without what people typed: POST data and stack variables hidden."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [("(variables)", self.cleansed_substitute)]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        return {
            key: (
                value
                if key.startswith(("REQUEST_METHOD", "PATH_INFO", "SERVER_", "HTTP_USER_AGENT"))
                else self.cleansed_substitute
            )
            for key, value in meta.items()
        }

    def get_safe_cookies(self, request):
        return {key: self.cleansed_substitute for key in getattr(request, "COOKIES", {})}
