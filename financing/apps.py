from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "financing"
    verbose_name = _("Financing (P7)")

    def ready(self) -> None:
        from financing import panels, selectors
        from financing import personal_data as financing_personal_data
        from financing.models import FinancingApplication, FinancingProduct, ReferralBatch, RepaymentStatus
        from jakpreneur import scoping
        from registrations import personal_data

        panels.register()
        # Which rows a user may choose in the back office's forms (jakpreneur.scoping).
        scoping.register(FinancingProduct, scoping.PUBLIC)
        scoping.register(FinancingApplication, selectors.applications_visible_to)
        scoping.register(ReferralBatch, selectors.batches_visible_to)
        # The resident's copy of their data and its erasure (registrations/personal_data.py).
        personal_data.register(
            personal_data.Source(
                key="financing",
                label=_("Financing applications"),
                export=financing_personal_data.personal_data_export,
                erase=financing_personal_data.personal_data_erase,
                order=50,
                choices={
                    "applications.status": FinancingApplication.Status,
                    "applications.submitted_by": FinancingApplication.SubmittedBy,
                    "applications.steps.from": FinancingApplication.Status,
                    "applications.steps.to": FinancingApplication.Status,
                    "applications.repayments.status": RepaymentStatus.Status,
                },
            )
        )
