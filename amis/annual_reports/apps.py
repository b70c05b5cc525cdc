from django.apps import AppConfig


class AnnualReportsConfig(AppConfig):
    name = "amis.annual_reports"
    label = "annual_reports"
