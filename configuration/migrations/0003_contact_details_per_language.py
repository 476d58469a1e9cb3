from django.db import migrations, models

# The organisation's postal address and the Ombudsman's website, address and e-mail exist
# once per language; the single column so far becomes the Dutch one (the default language).
TRANSLATED = {
    "postal_address": (models.TextField, "postal address"),
    "ombudsman_website": (models.URLField, "Ombudsman website"),
    "ombudsman_address": (models.TextField, "Ombudsman postal address"),
    "ombudsman_email": (models.EmailField, "Ombudsman e-mail"),
}


def operations() -> list[migrations.operations.base.Operation]:
    found: list[migrations.operations.base.Operation] = []
    for name, (field, label) in TRANSLATED.items():
        found.append(migrations.RenameField("organisation", name, f"{name}_nl"))
        for code in ("nl", "fr", "de", "en"):
            operation = migrations.AlterField if code == "nl" else migrations.AddField
            found.append(
                operation(
                    "organisation",
                    f"{name}_{code}",
                    field(blank=True, verbose_name=f"{label} ({code})"),
                )
            )
    return found


class Migration(migrations.Migration):
    dependencies = [
        ("configuration", "0002_units_and_norms"),
    ]

    operations = [
        *operations(),
        migrations.AddField(
            model_name="competentbody",
            name="language",
            field=models.CharField(
                choices=[("nl", "Dutch"), ("fr", "French"), ("de", "German"), ("en", "English")],
                default="nl",
                help_text="A complaint forwarded to this body is written in this language.",
                max_length=2,
                verbose_name="language",
            ),
        ),
    ]
