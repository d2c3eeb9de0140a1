"""XOF and XAF are pegged to the euro at 655.957: one row per currency and year from 1998 (the
contract's first reporting year) to the year after this migration runs. The conversion applies the
parity for any year anyway (`exchange_rates.rate_for`); the rows show it to the secretariat."""

import datetime
from decimal import Decimal

from django.db import migrations

PARITY = Decimal("655.957")


def seed(apps, schema_editor):
    ExchangeRate = apps.get_model("inventory", "ExchangeRate")
    for currency in ("XOF", "XAF"):
        for year in range(1998, datetime.date.today().year + 2):
            ExchangeRate.objects.get_or_create(
                currency=currency, year=year,
                defaults={"rate": PARITY, "source": "Fixed parity with the euro (BCEAO, BEAC)"},
            )


def unseed(apps, schema_editor):
    apps.get_model("inventory", "ExchangeRate").objects.filter(currency__in=["XOF", "XAF"]).delete()


class Migration(migrations.Migration):
    dependencies = [("inventory", "0006_exchange_rates_and_releases")]

    operations = [migrations.RunPython(seed, unseed)]
