import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from inventory.models import Country
from portal.accounts.roles import GROUP_NAMES, Role


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"Q{chr(65 + n % 26)}")
    name_fr = factory.LazyAttribute(lambda o: f"Pays {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Country {o.code}")
    currency = "XOF"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Awa"
    last_name = "Diop"
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """`UserFactory(roles=[Role.FOCAL_POINT])` puts the user in those role groups."""
        for role in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])

    @factory.post_generation
    def focal_countries(self, create, extracted, **kwargs):
        for code in extracted or []:
            self.focal_point_countries.add(CountryFactory(code=code))


def user_with_role(role: Role, **kwargs):
    """A user holding exactly `role` (an anonymous user for the visitor role)."""
    from django.contrib.auth.models import AnonymousUser

    if role == Role.VISITOR:
        return AnonymousUser()
    if role == Role.AUTHENTICATED:
        return UserFactory(**kwargs)  # logged in, in no role group
    return UserFactory(roles=[role], **kwargs)


class MutualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.Mutual"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Mutuelle de santé n° {n}")
    country = factory.SubFactory(CountryFactory, code="SN")
    mutual_type = "community"
    registration_state = "approved"

    @factory.post_generation
    def managers(self, create, extracted, **kwargs):
        for user in extracted or []:
            self.managers.add(user)


class ReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.YearlyReturn"

    mutual = factory.SubFactory(MutualFactory)
    year = 2025
