# The tokens of a person are found through the unique key (person, purpose, digest): the index of
# the person alone was a second copy of its first column, written with every token.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0004_token_lookup_covers_the_person'),
    ]

    operations = [
        migrations.AlterField(
            model_name='personsearchtoken',
            name='person',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='search_tokens', to='people.person'),
        ),
    ]
