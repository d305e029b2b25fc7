from django.contrib import admin

from binome.networks.models import MatrixDimension, Resource


@admin.register(MatrixDimension)
class MatrixDimensionAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "axis", "is_active", "order"]
    list_filter = ["axis"]
    list_editable = ["is_active", "order"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "order"]
    list_filter = ["kind"]
