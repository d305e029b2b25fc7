"""FHIR R4 export (read-only) under /api/v1/fhir/: see docs/fhir.md."""
