from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes of the coordinator's queue: its order, and a form of exploitation with the children
    (each made before the single-column index it replaces is dropped)."""

    dependencies = [
        ('cases', '0007_merge_0006_case_closure_0006_statistics_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['due_on', '-referred_at'], name='case_queue_order'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['is_child', 'id'], name='case_child'),
        ),
        migrations.AddIndex(
            model_name='caseexploitation',
            index=models.Index(fields=['form', 'case'], name='case_exploitation_form'),
        ),
        migrations.AlterField(
            model_name='case',
            name='due_on',
            field=models.DateField(blank=True, null=True, verbose_name='due on'),
        ),
        migrations.AlterField(
            model_name='case',
            name='is_child',
            field=models.BooleanField(verbose_name='child at referral'),
        ),
        migrations.AlterField(
            model_name='caseexploitation',
            name='form',
            field=models.CharField(choices=[('ForcedLabour', 'Forced labour'), ('SexualExploitation', 'Sexual exploitation'), ('ChildLabour', 'Child labour'), ('ForcedMarriage', 'Forced marriage'), ('Servitude', 'Servitude (including domestic servitude)'), ('ForcedMilitary', 'Forced military service'), ('OrganRemoval', 'Organ removal'), ('ForcedBegging', 'Forced begging'), ('ForcedAdoption', 'Forced or illegal adoption'), ('Surrogacy', 'Forced surrogacy'), ('Other', 'Other form of exploitation')], max_length=24, verbose_name='form of exploitation'),
        ),
    ]
