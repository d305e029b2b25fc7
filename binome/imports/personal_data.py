"""An import's rows are other people's data (partners, patients) kept only until the
coordinator decides; the outcome (line, result, short name, messages) stays for her report
and goes with the whole batch after the retention period ("import_files", 30 days)."""

from binome.imports.models import ImportBatch
from binome.privacy.registry import register
from binome.privacy.retention import retention_hook


def _brought_by(person):
    if person.user is None:
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(created_by=person.user)


register(
    ImportBatch,
    fields=["file_name", "rows", "outcome", "ignored_columns", "headers"],
    subject=_brought_by,
    erase="delete",
    order=300,
)


@retention_hook("import_files")
def forget_import_files(cutoff, now) -> int:
    deleted, _per_model = ImportBatch._base_manager.filter(created_at__lt=cutoff).delete()
    return deleted
