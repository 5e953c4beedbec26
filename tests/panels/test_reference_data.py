import pytest

from panels.models import OrganisationType, Site

pytestmark = pytest.mark.django_db


def test_the_25_seed_sites_are_loaded_with_their_cohorts():
    assert Site.objects.count() == 25
    assert Site.objects.filter(cohort=1, cohort_year=2013).count() == 14
    assert Site.objects.filter(cohort=2, cohort_year=2015).count() == 11


@pytest.mark.parametrize(
    ("code", "name", "cohort", "year"),
    [
        (1, "Airedale, Wharfedale and Craven", 2, 2015),
        (13, "Nottingham City", 2, 2015),
        (15, "North West London", 1, 2013),
        (21, "Staffordshire and Stoke", 1, 2013),
        (24, "West Norfolk", 2, 2015),
        (25, "Worcestershire", 1, 2013),
    ],
)
def test_sites_carry_the_codes_and_cohorts_of_the_2016_questionnaire(code, name, cohort, year):
    site = Site.objects.get(code=code)
    assert (site.name, site.cohort, site.cohort_year) == (name, cohort, year)


def test_programme_names_are_kept_as_aliases():
    assert "Well Connected" in Site.objects.get(name="Worcestershire").aliases


@pytest.mark.parametrize(
    ("code", "group"),
    [
        (1, "CCG"),
        (2, "Local Authority"),
        (5, "Local Authority"),
        (6, "NHS provider"),
        (11, "NHS provider"),
        (12, "Other"),
        (13, "Other"),
        (14, "Other"),
    ],
)
def test_organisation_types_map_to_the_report_analysis_groups(code, group):
    assert OrganisationType.objects.get(code=code).analysis_group.name == group


def test_organisation_type_labels_are_kept_per_questionnaire_where_they_changed():
    acute = OrganisationType.objects.get(code=6)
    assert acute.labels_by_version == {
        "2016": "NHS or Foundation Trust (acute)",
        "2020": "NHS Acute Trust",
    }
    assert OrganisationType.objects.count() == 14


def test_the_2016_questionnaires_spelling_of_airedale_is_an_alias():
    assert "Airdale, Wharfedale and Craven" in Site.objects.get(code=1).aliases


def test_the_alias_migration_adds_the_spelling_to_a_database_and_keeps_other_aliases():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("panels.migrations.0006_airdale_alias")
    Site.objects.filter(code=1).update(aliases=["Bradford District"])
    migration.forwards(apps, None)
    migration.forwards(apps, None)
    aliases = Site.objects.get(code=1).aliases
    assert aliases == ["Bradford District", "Airdale, Wharfedale and Craven"]
