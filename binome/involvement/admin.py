from django.contrib import admin

from binome.involvement.models import AciParameters


@admin.register(AciParameters)
class AciParametersAdmin(admin.ModelAdmin):
    """Administrators update the ACI figures when an avenant changes them."""

    list_display = (
        "valid_from",
        "level1_fixed_points",
        "level2_variable_points",
        "point_value_eur",
        "reference_patient_count",
        "source",
    )
    ordering = ("-valid_from",)
