from django.contrib import admin

from masarat.deadlines.models import PublicHoliday


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    list_display = ["name", "day", "month", "year"]
    list_filter = ["year"]
