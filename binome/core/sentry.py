"""Sentry, when SENTRY_DSN is set (settings): events scrubbed of personal data.

Imported by the settings: nothing here may need configured settings."""

KEPT_HEADERS = {"User-Agent", "Content-Type", "Content-Length", "Host"}


def scrub(event, hint=None):
    """Sentry's before_send: drop everything a person could have typed or be identified by."""
    request = event.get("request") or {}
    for key in ("data", "cookies", "query_string", "env"):
        request.pop(key, None)
    if "headers" in request:
        request["headers"] = {k: v for k, v in request["headers"].items() if k in KEPT_HEADERS}
    if "url" in request:
        request["url"] = request["url"].split("?", 1)[0]
    user = event.get("user") or {}
    event["user"] = {"id": user["id"]} if "id" in user else {}
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    event.pop("extra", None)
    for crumb in (event.get("breadcrumbs") or {}).get("values", []):
        crumb.pop("data", None)
        if crumb.get("category") == "query":
            crumb["message"] = ""  # SQL parameters can hold names
    return event


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float = 0.0):
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
    )
