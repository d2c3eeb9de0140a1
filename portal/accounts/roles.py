"""The portal's roles, the groups that carry them and their Wagtail admin permissions.

A person's role is the set of groups they belong to. Wagtail's two default groups map onto ours:
its *Moderators* become the secretariat (publish anything) and its *Editors* the focal points
(draft and submit for moderation), so Wagtail's default moderation workflow keeps working.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    VISITOR = "visitor"
    # Anyone logged in, whatever their groups (a pseudo-role: no group carries it).
    AUTHENTICATED = "authenticated"
    MEMBER = "member"
    MUTUAL_MANAGER = "mutual_manager"
    SUPPORTING_ORGANIZATION = "supporting_organization"
    FOCAL_POINT = "focal_point"
    SECRETARIAT = "secretariat"


# Group names are stored data: keep them stable; their labels are translated for display.
GROUP_NAMES = {
    Role.MEMBER: "Member",
    Role.MUTUAL_MANAGER: "Mutual manager",
    Role.SUPPORTING_ORGANIZATION: "Supporting organization",
    Role.FOCAL_POINT: "Focal point",
    Role.SECRETARIAT: "Secretariat",
}
ROLE_LABELS = {
    Role.VISITOR: _("Visitor"),
    Role.AUTHENTICATED: _("Registered user"),
    Role.MEMBER: _("Member"),
    Role.MUTUAL_MANAGER: _("Mutual manager"),
    Role.SUPPORTING_ORGANIZATION: _("Supporting organization"),
    Role.FOCAL_POINT: _("Focal point"),
    Role.SECRETARIAT: _("Secretariat"),
}
_WAGTAIL_DEFAULT_GROUPS = {"Moderators": Role.SECRETARIAT, "Editors": Role.FOCAL_POINT}
# The moderation workflow and its one task, which the secretariat approves. Wagtail's migration names
# both after the group ("Moderators approval") and shows the name as it is stored, in every language
# ("Soumettre à Moderators approval"): stored data has one language, the site's first. The admin's
# submit button says "Submit to the secretariat" in each language instead (wagtail_hooks.py).
MODERATION_NAME = "Validation du secrétariat"
_WAGTAIL_DEFAULT_MODERATION_NAME = "Moderators approval"

# Wagtail admin permissions per role: (app_label, codename) for model permissions.
_MODEL_PERMISSIONS = {
    Role.FOCAL_POINT: [
        ("wagtailadmin", "access_admin"),
    ],
    Role.SECRETARIAT: [
        ("wagtailadmin", "access_admin"),
        ("wagtail_localize", "submit_translation"),
        ("accounts", "add_user"),
        ("accounts", "change_user"),
        # Deleting an account on the person's request (never an administrator's: viewsets.py).
        ("accounts", "delete_user"),
        ("reference", "add_country"),
        ("reference", "change_country"),
        ("inventory", "add_mutual"),
        ("inventory", "change_mutual"),
        ("inventory", "add_union"),
        ("inventory", "change_union"),
        ("inventory", "add_supportingorganization"),
        ("inventory", "change_supportingorganization"),
        ("inventory", "add_exchangerate"),
        ("inventory", "change_exchangerate"),
        ("inventory", "delete_exchangerate"),
        ("reference", "add_theme"),
        ("reference", "change_theme"),
        ("reference", "delete_theme"),
        ("wagtailforms", "view_formsubmission"),
        ("wagtailforms", "delete_formsubmission"),
        ("wagtailredirects", "add_redirect"),
        ("wagtailredirects", "change_redirect"),
        ("wagtailredirects", "delete_redirect"),
        ("core", "change_sitelinks"),
        ("news", "add_flashnews"),
        ("news", "change_flashnews"),
        ("news", "delete_flashnews"),
        ("news", "publish_flashnews"),
        ("newsletter", "view_subscriber"),
        ("newsletter", "change_subscriber"),  # unsubscribe an address (there is no edit form)
        ("newsletter", "delete_subscriber"),
    ],
}
_PAGE_PERMISSIONS = {
    Role.FOCAL_POINT: ["add_page", "change_page"],
    Role.SECRETARIAT: [
        "add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page",
    ],
}
_COLLECTION_PERMISSIONS = {
    Role.FOCAL_POINT: [
        ("wagtaildocs", "add_document"), ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"), ("wagtailimages", "choose_image"),
    ],
    Role.SECRETARIAT: [
        ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"), ("wagtaildocs", "delete_document"),
        ("wagtailimages", "add_image"), ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"), ("wagtailimages", "delete_image"),
    ],
}


def ensure_role_groups(using="default"):
    """Create (or rename from Wagtail's defaults) the role groups and give them exactly the
    permissions listed above: the code is the one place a role's rights are defined, so what
    Wagtail's default groups carried, or anything granted by hand, is taken away again.

    Idempotent: runs after every migrate.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    # post_migrate reaches this app before the apps listed after it have their permissions.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)

    for wagtail_name, role in _WAGTAIL_DEFAULT_GROUPS.items():
        name = GROUP_NAMES[role]
        if not Group.objects.using(using).filter(name=name).exists():
            Group.objects.using(using).filter(name=wagtail_name).update(name=name)

    def permission(app_label, codename):
        return Permission.objects.using(using).filter(
            content_type__app_label=app_label, codename=codename
        ).first()

    root_page = Page.objects.using(using).filter(depth=1).first()
    root_collection = Collection.objects.using(using).filter(depth=1).first()
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(
            [p for p in (permission(*key) for key in _MODEL_PERMISSIONS.get(role, [])) if p]
        )
        GroupPagePermission.objects.using(using).filter(group=group).delete()
        if root_page:
            for codename in _PAGE_PERMISSIONS.get(role, []):
                perm = permission("wagtailcore", codename)
                if perm:
                    GroupPagePermission.objects.using(using).create(
                        group=group, page=root_page, permission=perm
                    )
        GroupCollectionPermission.objects.using(using).filter(group=group).delete()
        if root_collection:
            for app_label, codename in _COLLECTION_PERMISSIONS.get(role, []):
                perm = permission(app_label, codename)
                if perm:
                    GroupCollectionPermission.objects.using(using).create(
                        group=group, collection=root_collection, permission=perm
                    )
    _name_moderation(using)


def _name_moderation(using):
    """Wagtail's default workflow and task take the secretariat's name (left alone once renamed)."""
    from wagtail.models import Task, Workflow

    for model in (Workflow, Task):
        model.objects.using(using).filter(name=_WAGTAIL_DEFAULT_MODERATION_NAME).update(name=MODERATION_NAME)

def roles_of(user) -> set[Role]:
    """The roles a user holds: visitor when anonymous; else `AUTHENTICATED` plus one role per
    role group they belong to (taking someone out of a group takes the role away)."""
    if not user or not user.is_authenticated:
        return {Role.VISITOR}
    names = {name: role for role, name in GROUP_NAMES.items()}
    if not hasattr(user, "_portal_roles"):
        group_names = user.groups.values_list("name", flat=True)
        user._portal_roles = {names[n] for n in group_names if n in names} | {Role.AUTHENTICATED}
        if user.is_superuser:
            user._portal_roles.add(Role.SECRETARIAT)
    return user._portal_roles
