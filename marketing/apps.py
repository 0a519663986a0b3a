from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "marketing"
    verbose_name = _("Marketing (P5): products, curation and the e-katalog")

    def ready(self) -> None:
        from jakpreneur import scoping
        from marketing import panels, selectors, services
        from marketing.models import Certificate, CurationRound, Grade, Product, Submission
        from registrations import personal_data

        panels.register()
        personal_data.register(
            personal_data.Source(
                key="marketing",
                label=_("Products and curation"),
                export=selectors.personal_data_export,
                erase=services.personal_data_erase,
                order=40,
                choices={
                    "products.category": dict(Product._meta.get_field("category").choices),
                    "products.catalogue_grade": Grade,
                    "submissions.status": Submission.Status,
                    "submissions.grade": Grade,
                    "submissions.steps.to": Submission.Status,
                },
            )
        )
        # The rows a staff member may pick in the back office's forms (jakpreneur/scoping.py).
        for model, selector in {
            Product: selectors.products_visible_to,
            CurationRound: selectors.rounds_visible_to,
            Submission: selectors.submissions_visible_to,
            Certificate: selectors.certificates_visible_to,
        }.items():
            scoping.register(model, selector)
