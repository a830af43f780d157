from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lp_xblocks', '0010_mentoring'),
    ]

    operations = [
        migrations.CreateModel(
            name='ActivityResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('block_key', models.CharField(help_text='Usage key of the block.', max_length=255)),
                ('course_key', models.CharField(blank=True, default='', help_text='Course of the block.', max_length=255)),
                ('student_id', models.CharField(help_text="Anonymous student id (the runtime's user id in the workbench).", max_length=255)),
                ('username', models.CharField(blank=True, default='', help_text='Username when the runtime gives one.', max_length=150)),
                ('title', models.CharField(blank=True, default='', help_text="The activity's name when last saved.", max_length=255)),
                ('prompt', models.TextField(blank=True, default='', help_text="The activity's prompt when last saved.")),
                ('response', models.TextField(help_text="The learner's response (plain text).")),
                ('word_count', models.PositiveIntegerField(default=0)),
                ('first_saved_at', models.DateTimeField()),
                ('saved_at', models.DateTimeField()),
                ('archived', models.BooleanField(default=False, help_text="Removed by an instructor's delete of the learner's state (kept, in no portfolio).")),
            ],
            options={
                'indexes': [models.Index(fields=['course_key', 'student_id'], name='lp_act_learner_idx'), models.Index(fields=['course_key', 'username'], name='lp_act_username_idx')],
                'constraints': [models.UniqueConstraint(fields=('block_key', 'student_id'), name='lp_act_response_unique')],
            },
        ),
    ]
