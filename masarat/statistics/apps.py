from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "masarat.statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        """Keep each case's statistical fact current in the transaction that changes the case."""
        from masarat.cases import watchers
        from masarat.cases.models import Case, CaseExploitation, Decision
        from masarat.statistics import facts
        from masarat.statistics.models import CaseFact, ReviewFact

        watchers.listen(facts.refresh_case_facts, [*facts.CASE_FIELDS, "exploitation"])
        post_save.connect(_case_saved, sender=Case, dispatch_uid="statistics_case_saved")
        post_save.connect(_form_changed, sender=CaseExploitation, dispatch_uid="statistics_form_saved")
        post_delete.connect(_form_changed, sender=CaseExploitation, dispatch_uid="statistics_form_deleted")
        post_delete.connect(_fact_deleted, sender=CaseFact, dispatch_uid="statistics_fact_deleted")
        post_delete.connect(_review_deleted, sender=ReviewFact, dispatch_uid="statistics_review_deleted")
        watchers.listen_decisions(facts.refresh_review_facts)
        post_save.connect(_decision_saved, sender=Decision, dispatch_uid="statistics_decision_saved")


def _case_saved(sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    from masarat.statistics import facts

    if raw or (update_fields is not None and not facts.CASE_FIELDS & set(update_fields)):
        return
    facts.refresh_case_facts([instance.pk])


def _form_changed(sender: Any, instance: Any, raw: bool = False, origin: Any = None, **kwargs: Any) -> None:
    from masarat.cases.models import Case
    from masarat.statistics import facts

    # A case being deleted takes its forms and its fact with it: nothing to refresh.
    if raw or isinstance(origin, Case) or getattr(origin, "model", None) is Case:
        return
    facts.refresh_case_facts([instance.case_id])


def _fact_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from masarat.statistics import facts

    facts.forget_fact(instance)


def _review_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from masarat.statistics import facts

    facts.forget_review(instance)


def _decision_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    from masarat.statistics import facts

    if not raw:
        facts.refresh_review_facts([instance.pk])
