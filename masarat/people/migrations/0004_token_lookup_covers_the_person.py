from django.db import migrations, models


class Migration(migrations.Migration):
    """The persons carrying a token are read from the index alone, in order of id (a name search
    intersects the persons of each word), instead of visiting one table page per person."""

    dependencies = [
        ('people', '0003_encrypt_existing_rows'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='personsearchtoken',
            index=models.Index(fields=['purpose', 'digest', 'person'], name='person_token_lookup'),
        ),
        migrations.RemoveIndex(
            model_name='personsearchtoken',
            name='people_pers_purpose_9cd335_idx',
        ),
    ]
