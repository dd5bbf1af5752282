from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Membership, OrgUnit, User


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ["name", "code", "kind", "is_active"]
    search_fields = ["code", "name_folded"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    raw_id_fields = ["unit", "granted_by"]
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = [*BaseUserAdmin.fieldsets, (None, {"fields": ["full_name", "phone"]})]
    list_display = ["username", "full_name", "email", "is_active", "is_superuser"]
