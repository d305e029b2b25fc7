from django.urls import path

from binome.privacy import audit_views as views

# The audit journal: kept under /journal/ and the "audit" namespace; its page lives here,
# above the apps whose events it lists (docs/architecture.md, layers).
app_name = "audit"

urlpatterns = [path("", views.audit_log, name="log")]
