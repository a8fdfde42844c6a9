# Encrypts what earlier versions stored in plaintext; reversing the migration decrypts it back.

from django.db import migrations

from masarat.vault.columns import encrypt_columns_migration


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_encrypt_identities'),
    ]

    operations = [
        encrypt_columns_migration('cases', {'caseevent': ['note'], 'decision': ['reasons', 'review_reasons'], 'emergencyaccess': ['reason']}),
    ]
