from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "Fact-check tracker"

    def ready(self):
        from factcheck import history  # noqa: F401  (connects the history signals)
