# Encrypts what earlier versions stored in plaintext (reversing the migration decrypts it back),
# then builds the blind indexes that search uses instead of the names.

from django.db import migrations

from masarat.vault.columns import encrypt_columns_migration


def build_search_tokens(apps, schema_editor):
    from masarat.people.search import BUILT_IN_INDEXERS, tokens_of

    Person = apps.get_model('people', 'Person')
    PersonSearchToken = apps.get_model('people', 'PersonSearchToken')
    persons = Person.objects.prefetch_related('documents').order_by('pk')
    rows = [PersonSearchToken(person=person, purpose=purpose, digest=digest)
            for person in persons.iterator(chunk_size=500)
            for purpose, digest in sorted(tokens_of(person, BUILT_IN_INDEXERS))]
    PersonSearchToken.objects.bulk_create(rows, batch_size=1000)


def drop_search_tokens(apps, schema_editor):
    apps.get_model('people', 'PersonSearchToken').objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_encrypt_identities'),
    ]

    operations = [
        encrypt_columns_migration('people', {
            'person': ['given_name_latin', 'family_name_latin', 'given_name_arabic', 'family_name_arabic',
                       'birth_year', 'birth_month', 'birth_day', 'estimated_age', 'estimated_on', 'phone'],
            'identitydocument': ['number'],
        }),
        migrations.RunPython(build_search_tokens, drop_search_tokens),
    ]
