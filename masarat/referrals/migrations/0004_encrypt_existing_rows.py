# Encrypts what earlier versions stored in plaintext; reversing the migration decrypts it back.

from django.db import migrations

from masarat.vault.columns import encrypt_columns_migration


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0003_encrypt_identities'),
    ]

    operations = [
        encrypt_columns_migration('referrals', {'referral': ['circumstances'], 'referraldraft': ['data']}),
    ]
