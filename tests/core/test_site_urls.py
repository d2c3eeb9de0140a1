# ruff: noqa: E501  (a table: one URL pattern and its six outcomes per line)
"""Who gets what on every URL of the public site, for every role (the admin's own walk is
tests/core/test_admin_urls.py).

The table names every URL pattern outside /admin/ (as Django's resolver reports it, in French: the
English addresses are the same views) and what a visitor, a member, the mutual's manager, the staff of
its supporting organization, its country's focal point and the secretariat get from it. The walk reads
the patterns from `django.urls.get_resolver()`, fills their parameters with real objects
(tests/core/site_urls.py: a mutual with a validated return of 2024 and a submitted one of 2025, a
pending sign-up, someone else's import job and proposals, an event taking registrations, a release)
and fails on any pattern the table does not name: a view added later cannot slip past unreviewed.
Views that take POST only are walked with an empty POST, each request in a savepoint rolled back.

Outcomes: OK (200), LOGIN (redirect to the login page), DENIED (403), NOT_FOUND (404: for that role
the object is not there), REDIRECT (any other redirect: the action done, a page moved, allauth's
English addresses sent to the French ones), BAD_REQUEST (400: an empty form or a bad token),
NOT_ALLOWED (405).
"""

from typing import NamedTuple

import pytest
from django.db import transaction
from django.urls import resolve

from portal.accounts.roles import Role
from tests.factories import UserFactory

from .admin_urls import BAD_REQUEST, DENIED, LOGIN, NOT_FOUND, OK, REDIRECT, outcome, same_route
from .site_urls import make_objects, site_routes, url_for

pytestmark = pytest.mark.django_db

ROLES = [Role.VISITOR, Role.MEMBER, Role.MUTUAL_MANAGER, Role.SUPPORTING_ORGANIZATION, Role.FOCAL_POINT,
         Role.SECRETARIAT]


class Expect(NamedTuple):
    visitor: str
    member: str
    mutual_manager: str
    supporting_organization: str
    focal_point: str
    secretariat: str
    method: str = "GET"


def post(*outcomes):
    return Expect(*outcomes, method="POST")


PUBLIC = Expect(*[OK] * 6)
NOT_THERE = Expect(*[NOT_FOUND] * 6)
MOVED = Expect(*[REDIRECT] * 6)
SIGNED_IN = Expect(LOGIN, *[OK] * 5)
SIGNED_IN_MOVED = Expect(LOGIN, *[REDIRECT] * 5)
SIGNED_IN_NOT_THERE = Expect(LOGIN, *[NOT_FOUND] * 5)
SECRETARIAT = Expect(LOGIN, DENIED, DENIED, DENIED, DENIED, OK)
# The mutual's return: its managers and supporting organization report, its focal point validates,
# the secretariat does both; other members are refused.
THE_MUTUALS_PEOPLE = Expect(LOGIN, DENIED, OK, OK, OK, OK)
REPORTERS = Expect(LOGIN, DENIED, OK, OK, DENIED, OK)
VALIDATORS = Expect(LOGIN, DENIED, DENIED, DENIED, OK, OK)

SITE_URLS = {
    "documents/^(\\d+)/(.*)$": PUBLIC,
    "documents/authenticate_with_password/<int:restriction_id>/": NOT_THERE,
    "healthz": PUBLIC,
    "robots.txt": PUBLIC,
    "sitemap.xml": PUBLIC,
    "sitemap-<slug:section>.xml": PUBLIC,
    "api/v1/": PUBLIC,
    "api/v1/^inventory/mutuals/?$": PUBLIC,
    "api/v1/^inventory/returns/?$": PUBLIC,
    "api/v1/^inventory/synthesis/?$": PUBLIC,
    "api/v1/^library/search/?$": PUBLIC,
    "api/v1/^library/autocomplete/?$": Expect(*[BAD_REQUEST] * 6),
    "api/v1/openapi.json": PUBLIC,
    "api/v1/^(?P<path>.+)$": NOT_THERE,
    "fr/recherche/": PUBLIC,
    "fr/comptes/a-faire/": SIGNED_IN,
    "fr/comptes/connexion/": Expect(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "fr/comptes/deconnexion/": Expect(REDIRECT, OK, OK, OK, OK, OK),
    "fr/comptes/compte-inactif/": PUBLIC,
    "fr/comptes/inscription/": Expect(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "fr/comptes/reauthentification/": SIGNED_IN,
    "fr/comptes/adresses-electroniques/": SIGNED_IN,
    "fr/comptes/confirmation-adresse/": PUBLIC,
    "fr/comptes/mot-de-passe/modifier/": SIGNED_IN,
    "fr/comptes/mot-de-passe/definir/": SIGNED_IN_MOVED,
    "fr/comptes/mot-de-passe/reinitialiser/": PUBLIC,
    "fr/comptes/connexion/code/confirmer/": SIGNED_IN_MOVED,
    "fr/comptes/^confirmation-adresse/(?P<key>[-:\\w]+)/$": PUBLIC,
    "fr/comptes/mot-de-passe/reinitialiser/cle/termine/": PUBLIC,
    "fr/comptes/^mot-de-passe/reinitialiser/cle/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": PUBLIC,
    "fr/comptes/mot-de-passe/reinitialiser/envoye/": PUBLIC,
    "fr/comptes/double-authentification/": SIGNED_IN,
    "fr/comptes/double-authentification/verifier/": SIGNED_IN_MOVED,
    "fr/comptes/double-authentification/reauthentification/": Expect(LOGIN, REDIRECT, REDIRECT, REDIRECT, OK, OK),
    "fr/comptes/double-authentification/application/activer/": SIGNED_IN_MOVED,
    "fr/comptes/double-authentification/application/desactiver/": Expect(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, REDIRECT, REDIRECT),
    "fr/comptes/double-authentification/codes-de-secours/": SIGNED_IN_NOT_THERE,
    "fr/comptes/double-authentification/codes-de-secours/generer/": SIGNED_IN_MOVED,
    "fr/comptes/double-authentification/codes-de-secours/telecharger/": SIGNED_IN_NOT_THERE,
    "fr/comptes/double-authentification/cles-de-securite/": SIGNED_IN,
    "fr/comptes/double-authentification/cles-de-securite/ajouter/": SIGNED_IN_MOVED,
    "fr/comptes/double-authentification/cles-de-securite/reauthentification/": SIGNED_IN_MOVED,
    "fr/comptes/double-authentification/cles-de-securite/<int:pk>/supprimer/": SIGNED_IN_MOVED,
    "fr/comptes/double-authentification/cles-de-securite/<int:pk>/modifier/": SIGNED_IN_MOVED,
    "fr/comptes/login/": Expect(*[LOGIN] * 6),
    "fr/comptes/logout/": MOVED,
    "fr/comptes/inactive/": MOVED,
    "fr/comptes/signup/": MOVED,
    "fr/comptes/reauthenticate/": MOVED,
    "fr/comptes/email/": MOVED,
    "fr/comptes/confirm-email/": MOVED,
    "fr/comptes/password/change/": MOVED,
    "fr/comptes/password/set/": MOVED,
    "fr/comptes/password/reset/": MOVED,
    "fr/comptes/login/code/confirm/": Expect(*[LOGIN] * 6),
    "fr/comptes/^confirm-email/(?P<key>[-:\\w]+)/$": MOVED,
    "fr/comptes/password/reset/key/done/": MOVED,
    "fr/comptes/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": MOVED,
    "fr/comptes/password/reset/done/": MOVED,
    "fr/comptes/2fa/": MOVED,
    "fr/comptes/2fa/authenticate/": MOVED,
    "fr/comptes/2fa/reauthenticate/": MOVED,
    "fr/comptes/2fa/totp/activate/": MOVED,
    "fr/comptes/2fa/totp/deactivate/": MOVED,
    "fr/comptes/2fa/recovery-codes/": MOVED,
    "fr/comptes/2fa/recovery-codes/generate/": MOVED,
    "fr/comptes/2fa/recovery-codes/download/": MOVED,
    "fr/comptes/2fa/webauthn/": MOVED,
    "fr/comptes/2fa/webauthn/add/": MOVED,
    "fr/comptes/2fa/webauthn/reauthenticate/": MOVED,
    "fr/comptes/2fa/webauthn/keys/<id:pk>/remove/": MOVED,
    "fr/comptes/2fa/webauthn/keys/<id:pk>/edit/": MOVED,
    "fr/comptes/profil/": SIGNED_IN,
    "fr/comptes/profil/mes-donnees/": SIGNED_IN,
    "fr/comptes/profil/supprimer/": SIGNED_IN,
    "fr/inventaire/mutuelles/": PUBLIC,
    "fr/inventaire/mutuelles/<str:mutual_id>/": PUBLIC,
    "fr/inventaire/": PUBLIC,
    "fr/inventaire/chiffres/<slug:slug>.csv": PUBLIC,
    "fr/inventaire/chiffres/<slug:slug>.svg": PUBLIC,
    "fr/inventaire/pays/": PUBLIC,
    "fr/inventaire/pays/<str:code>/": PUBLIC,
    "fr/inventaire/pays/<str:code>/chiffres/<slug:slug>.csv": PUBLIC,
    "fr/inventaire/pays/<str:code>/chiffres/<slug:slug>.svg": PUBLIC,
    "fr/inventaire/glossaire/": PUBLIC,
    "fr/inventaire/espace-declarant/": SIGNED_IN,
    "fr/inventaire/declarations/<str:mutual_id>/<year:year>/": THE_MUTUALS_PEOPLE,
    "fr/inventaire/declarations/<str:mutual_id>/<year:year>/modifier/": Expect(LOGIN, DENIED, REDIRECT, REDIRECT, DENIED, REDIRECT),  # submitted: to its page
    "fr/inventaire/declarations/<str:mutual_id>/<year:year>/modifier/<slug:section>/": Expect(LOGIN, DENIED, REDIRECT, REDIRECT, DENIED, REDIRECT),
    "fr/inventaire/declarations/<str:mutual_id>/<year:year>/soumettre/": post(LOGIN, DENIED, BAD_REQUEST, BAD_REQUEST, DENIED, BAD_REQUEST),
    "fr/inventaire/declarations/<str:mutual_id>/<year:year>/valider/": post(LOGIN, DENIED, DENIED, DENIED, BAD_REQUEST, BAD_REQUEST),
    "fr/inventaire/declarations/<str:mutual_id>/<year:year>/renvoyer/": post(LOGIN, DENIED, DENIED, DENIED, BAD_REQUEST, BAD_REQUEST),
    "fr/inventaire/declarations/<str:mutual_id>/<year:year>/historique/": THE_MUTUALS_PEOPLE,
    "fr/inventaire/declarations/<str:mutual_id>/<year:year>/historique/<id:number>/restaurer/": post(LOGIN, DENIED, DENIED, DENIED, DENIED, NOT_FOUND),
    "fr/inventaire/declarations/<str:mutual_id>/<year:year>/comparaison/": THE_MUTUALS_PEOPLE,
    "fr/inventaire/campagnes/": SECRETARIAT,
    "fr/inventaire/campagnes/<year:year>/fermer/": post(*SECRETARIAT[:5], REDIRECT),
    "fr/inventaire/campagnes/<year:year>/envoyer/": post(*SECRETARIAT[:5], REDIRECT),
    "fr/inventaire/campagnes/<year:year>/provisoire/": post(*SECRETARIAT[:5], REDIRECT),
    "fr/inventaire/suivi/": VALIDATORS,
    "fr/inventaire/suivi/<str:country>/": VALIDATORS,
    "fr/inventaire/inscriptions/nouvelle/": SIGNED_IN,
    "fr/inventaire/inscriptions/les-miennes/": SIGNED_IN,
    "fr/inventaire/inscriptions/en-attente/": VALIDATORS,
    "fr/inventaire/inscriptions/<id:pk>/": VALIDATORS,
    "fr/inventaire/importer/": SECRETARIAT,
    "fr/inventaire/importer/<uuid:public_id>/": Expect(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
    "fr/inventaire/declarations/<str:mutual_id>/<year:year>/formulaire-hors-ligne.xlsx": REPORTERS,
    "fr/inventaire/declarations/<str:mutual_id>/<year:year>/envoyer-le-formulaire/": REPORTERS,
    "fr/inventaire/donnees/": PUBLIC,
    "fr/inventaire/donnees/dictionnaire/": PUBLIC,
    "fr/inventaire/donnees/citer/<str:fmt>/": PUBLIC,
    "fr/inventaire/donnees/fichiers/<str:filename>": NOT_THERE,
    "fr/inventaire/donnees/livre-d-or/": post(*[BAD_REQUEST] * 6),
    "fr/inventaire/donnees/publier/": SECRETARIAT,
    "fr/inventaire/donnees/statistiques/": SECRETARIAT,
    "fr/inventaire/donnees/versions/derniere/": MOVED,
    "fr/inventaire/donnees/versions/derniere/<str:filename>": NOT_THERE,
    "fr/inventaire/donnees/versions/<slug:slug>/<release_version:version>/": PUBLIC,
    "fr/inventaire/donnees/catalogue.jsonld": PUBLIC,
    "fr/inventaire/donnees/versions/<slug:slug>/<release_version:version>/datacite.xml": PUBLIC,
    "fr/inventaire/donnees/versions/<slug:slug>/<release_version:version>/doi/": post(*SECRETARIAT[:5], REDIRECT),
    "fr/inventaire/donnees/versions/<slug:slug>/<release_version:version>/citer/<str:fmt>/": PUBLIC,
    "fr/inventaire/donnees/versions/<slug:slug>/<release_version:version>/<str:filename>": NOT_THERE,
    "fr/bibliotheque/proposer/": SIGNED_IN,
    "fr/bibliotheque/mes-propositions/": SIGNED_IN,
    "fr/bibliotheque/mes-propositions/<id:pk>/modifier/": SIGNED_IN_NOT_THERE,
    # Studies using the inventory: anyone declares one, the secretariat decides.
    "fr/bibliotheque/etudes/": MOVED,  # to the library search of that kind
    "fr/bibliotheque/etudes/declarer/": PUBLIC,
    "fr/bibliotheque/etudes/a-examiner/": SECRETARIAT,
    "fr/bibliotheque/etudes/<id:pk>/decider/": post(*SECRETARIAT[:5], BAD_REQUEST),  # an empty decision
    "fr/actualites/proposer/": SIGNED_IN,
    "fr/actualites/mes-articles/": SIGNED_IN,
    "fr/actualites/mes-articles/<id:pk>/modifier/": SIGNED_IN_NOT_THERE,
    "fr/actualites/auteurs/<id:pk>/": NOT_THERE,
    "fr/actualites/flux/rss/": PUBLIC,
    "fr/actualites/flux/atom/": PUBLIC,
    "fr/actualites/flash/desabonnement/<str:token>/": NOT_THERE,
    "fr/lettre-d-information/abonnement/": PUBLIC,
    "fr/lettre-d-information/abonnement/verifiez-votre-messagerie/": PUBLIC,
    "fr/lettre-d-information/confirmer/<str:token>/": Expect(*[BAD_REQUEST] * 6),
    "fr/lettre-d-information/desabonnement/<str:token>/": Expect(*[BAD_REQUEST] * 6),
    "fr/agenda/calendar.ics": PUBLIC,
    "fr/agenda/<id:pk>/event.ics": PUBLIC,
    "fr/agenda/<id:pk>/inscription/": post(LOGIN, *[REDIRECT] * 5),
    "fr/agenda/<id:pk>/annulation/": post(LOGIN, *[REDIRECT] * 5),
    "fr/agenda/<id:pk>/participants.csv": SECRETARIAT,
    "fr/annuaire/": PUBLIC,
    "fr/annuaire/<id:pk>/": PUBLIC,
    "fr/annuaire/projets/<id:page_id>/inventaire.csv": NOT_THERE,  # no project profile in the walk
    "fr/themes/": PUBLIC,
    "fr/themes/<slug:slug>/": PUBLIC,
    "fr/themes/<slug:slug>/flux/rss/": PUBLIC,
    "fr/themes/<slug:slug>/flux/atom/": PUBLIC,
    "fr/_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": NOT_THERE,
    "fr/_util/login/": PUBLIC,
    "fr/^((?:[\\w\\-]+/)*)$": PUBLIC,
}


def test_the_table_names_every_site_url_and_only_those():
    routes = set(site_routes())
    assert routes - set(SITE_URLS) == set(), "site URLs nobody has reviewed: add them to SITE_URLS"
    assert set(SITE_URLS) - routes == set(), "SITE_URLS names URLs that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_every_site_url_answers_each_role_as_the_table_says(client, role):
    user = None if role == Role.VISITOR else UserFactory(roles=[role])
    objects = make_objects(user, role)
    client.raise_request_exception = False  # a 500 is an outcome too (and a failure here)
    wrong = []
    for route in site_routes():
        entry = SITE_URLS[route]
        url = url_for(route, objects)
        assert same_route(route, resolve(url.split("?")[0]).route), (route, url)
        if user is not None:
            client.force_login(user)
        with transaction.atomic():
            response = client.post(url) if entry.method == "POST" else client.get(url)
            transaction.set_rollback(True)
        got, want = outcome(response), getattr(entry, role.value)
        if got != want:
            wrong.append(f"{entry.method} {url} ({route}): {got}, expected {want}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
